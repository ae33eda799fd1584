/**
 * `merge <file...>` / `merge --in <dir>`: merges the shard jobs' result files into the one run
 * of the whole matrix (compose/compose-merge.ts), compares it with the baseline
 * (`--baseline-dir`), prints it, writes `--out` and saves it with `--save`, like `run` without a
 * server. Exit 0 pass, 1 gate failed, 2 when the files are not the shards of one run.
 */
import { composeAndMerge, configForMerged, readMergedRun } from '../compose/compose-merge.js';
import type { RawInputs } from '../config/inputs.js';
import type { CliArguments } from '../config/read-cli-flags.js';
import { UsageError } from '../config/usage-error.js';
import type { Logger } from '../logger.js';
import type { Sink } from '../pipeline.js';
import { createJsonFileSink } from '../sinks/json-file-sink.js';
import { createStdoutSink } from '../sinks/stdout-sink.js';

/** The name errors give the files of a CLI merge. */
const MERGE_INPUT = 'merge';

/** Runs `merge`; resolves with the exit code. */
export async function mergeCommand(args: CliArguments, raw: RawInputs, log: Logger): Promise<number> {
  const paths = [...args.positionals, ...(args.flags.in === undefined ? [] : [args.flags.in])];
  if (paths.length === 0) {
    throw new UsageError("merge needs the shard jobs' result files: merge <file...> or merge --in <dir>", {
      flag: '--in',
    });
  }
  const run = await readMergedRun(paths, MERGE_INPUT, log);
  const config = configForMerged(run, raw);
  const sinks: Sink[] = [createStdoutSink({ isQuiet: args.flags.isQuiet })];
  if (config.report.outPath !== undefined) sinks.push(createJsonFileSink(config.report.outPath));
  const result = await composeAndMerge(
    config,
    { log, sinks, event: { name: 'cli', isDefaultBranch: false, isTag: false } },
    run,
  );
  return result.gate.shouldFail ? 1 : 0;
}
