/**
 * The composition root of `merge` (the CLI command and the Action's `mode: merge`, README
 * "Sharded runs"): reads the shard jobs' RunResult files, checks they are one run and merges
 * them (model/merge-shards.ts), then runs the pipeline from the RunResult on with the same
 * store and sinks as a normal run (pipeline.ts `publishFinishedRun`). No server is involved.
 */
import { readShardResults } from '../baseline/read-shard-results.js';
import type { Config } from '../config/config.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { Input, type RawInputs } from '../config/inputs.js';
import { parseConfig } from '../config/parse-config.js';
import type { Logger } from '../logger.js';
import { mergeShards } from '../model/merge-shards.js';
import type { RunResult } from '../model/run-result.js';
import { publishFinishedRun, type PipelineResult, type RunEvent, type Sink } from '../pipeline.js';
import { checkOutputPaths } from './check-output-paths.js';
import { createStore, type GitHubStoreAccess } from './create-store.js';

/** What a merge needs from its entry point (a `RunEnvironment` without the server's parts). */
export interface MergeEnvironment {
  readonly log: Logger;
  readonly sinks: readonly Sink[];
  readonly event: RunEvent;
  readonly runUrl?: string;
  /** The Action's access to the repository (`branch` store, merge-base); absent on the CLI. */
  readonly github?: GitHubStoreAccess;
}

/**
 * Reads the shard results under `paths` and merges them.
 *
 * @param input the input or flag the paths came from, named in errors
 * @throws ConfigError naming each file at fault and the mismatch (the entry points exit 2)
 */
export async function readMergedRun(paths: readonly string[], input: string, log: Logger): Promise<RunResult> {
  const files = await readShardResults(paths, input);
  const merged = mergeShards(files);
  if ('problems' in merged) {
    throw new ConfigError(
      merged.problems.map((p) => ({
        input,
        value: p.path,
        expected: 'the result files of every shard of one run',
        hint: p.problem,
      })),
    );
  }
  const shards = merged.run.mergedFrom?.length ?? files.length;
  log.info(`merged ${shards} shard results (${files.map((file) => file.path).join(', ')}) into run ${merged.run.id}`);
  return merged.run;
}

/**
 * The merge job's Config: the merged run's model and benchmark key fill in what the job did
 * not give (as `compare` does); given ones must be the shards'.
 *
 * @throws ConfigError for an invalid input, or a model or key other than the shards'
 */
export function configForMerged(run: RunResult, raw: RawInputs): Config {
  const config = parseConfig({ [Input.model]: run.environment.model, [Input.benchmarkKey]: run.benchmarkKey, ...raw });
  const issues: ConfigIssue[] = [];
  if (config.matrix.model !== run.environment.model) {
    issues.push({
      input: Input.model,
      value: config.matrix.model,
      expected: `the shards' model '${run.environment.model}' (or no model input)`,
    });
  }
  if (config.benchmarkKey !== run.benchmarkKey) {
    issues.push({
      input: Input.benchmarkKey,
      value: config.benchmarkKey,
      expected: `the shards' benchmark key '${run.benchmarkKey}' (or no benchmark-key input)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

/** Builds the store and publishes the merged run: baseline, comparison, report, sinks, save. */
export async function composeAndMerge(config: Config, env: MergeEnvironment, run: RunResult): Promise<PipelineResult> {
  const { log } = env;
  // As `run` does (compose-run.ts): `out` and the store's directory are checked before anything is written.
  await checkOutputPaths(config);
  const { store, preferredShas } = await createStore(
    config.store,
    env.github === undefined ? { log } : { log, github: env.github },
  );
  return await publishFinishedRun(
    config,
    {
      store,
      sinks: env.sinks,
      log,
      preferredShas,
      event: env.event,
      runUrl: env.runUrl,
    },
    run,
  );
}
