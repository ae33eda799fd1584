/**
 * The composition root shared by the Action (main.ts) and the CLI (`run`): from the Config and
 * a small description of the environment it builds the input files, the baseline store, the
 * Triton client, its inference transport and the batch controller, then runs the pipeline.
 * docs/architecture.md shows where each piece lives.
 */
import type { Config } from '../config/config.js';
import { checkOutputPaths } from './check-output-paths.js';
import { createRedactor, headerSecrets, redactingLogger } from '../redact-secrets.js';
import { CONTROLLER_FACTORIES } from '../control/controllers.js';
import { runShellCommand } from '../control/run-shell-command.js';
import { restoreBudgetMs, type RestoreTracker } from '../control/interrupt.js';
import { createModelJournal, type ModelJournal } from '../control/model-journal.js';
import { readInputFiles } from '../load/read-input-files.js';
import type { Logger } from '../logger.js';
import { createBaseSide } from '../matrix/create-base-side.js';
import type { Progress } from '../matrix/measure-row.js';
import type { RunContext } from '../matrix/run-matrix.js';
import { runPipeline, type PipelineDeps, type PipelineResult, type RunEvent, type Sink } from '../pipeline.js';
import { TritonClient } from '../triton/triton-client.js';
import { tritonClientOptions } from '../triton/client-options.js';
import { metricsSamplerFor } from '../metrics/metrics-sampler.js';
import { createRunnerGpuReader } from '../metrics/read-runner-gpus.js';
import { createGitRunner } from '../control/run-git.js';
import type { GitRunner } from '../control/read-base-model.js';
import { readZeroConfigBase } from './read-zero-config-base.js';
import { createStore, type GitHubStoreAccess } from './create-store.js';
import { cancelledIfAborted } from './run-cancelled-error.js';

/** What differs between the Action and the CLI; everything else comes from the Config. */
export interface RunEnvironment {
  readonly log: Logger;
  /** Aborts the run (cancellation, Ctrl-C); the controller still restores the model. */
  readonly signal: AbortSignal;
  readonly sinks: readonly Sink[];
  readonly event: RunEvent;
  readonly context: RunContext;
  readonly onProgress?: (progress: Progress) => void;
  /** Told around the restore, so later signals report it (control/interrupt.ts). */
  readonly restoreTracker?: RestoreTracker;
  readonly runUrl?: string;
  /** The Action's access to the repository (`branch` store, merge-base); absent on the CLI. */
  readonly github?: GitHubStoreAccess;
  /** Git in the checkout, for `model-repository` (default: git in the working directory). */
  readonly git?: GitRunner;
  /**
   * The run's model-state journal (control/model-journal.ts): every model the run changes is
   * recorded in it and restored through it, on every way the run ends. The entry point owns it,
   * so its signal and crash handlers restore through the same journal. Absent: the run keeps
   * its own (benchmarks, tests).
   */
  readonly journal?: ModelJournal;
}

/** The pipeline's dependencies and what to close afterwards. */
export interface ComposedRun {
  readonly deps: PipelineDeps;
  /** Closes the Triton client's channels; call it in `finally`. */
  close(): void;
}

/**
 * Builds everything the pipeline talks to. Bad input files and a store the environment cannot
 * provide fail here (ConfigError) before any request reaches the server.
 */
export async function composeRun(config: Config, env: RunEnvironment): Promise<ComposedRun> {
  const redact = createRedactor(headerSecrets(config.server.headers));
  const log = redactingLogger(env.log, redact);
  await checkOutputPaths(config);
  const files = await readInputFiles(config.matrix);
  const { store, preferredShas } = await createStore(
    config.store,
    env.github === undefined ? { log } : { log, github: env.github },
  );
  // The zero-config base is read from git before any request: a bad ref fails as a ConfigError.
  const pullRequest = env.github?.context.pullRequest;
  const snapshot = await readZeroConfigBase(config, {
    git: env.git ?? createGitRunner(process.cwd()),
    cwd: process.cwd(),
    log,
    preferredShas,
    pullRequest,
  });
  const client = new TritonClient(tritonClientOptions(config.server, log));
  try {
    const transport = client.inferTransport();
    // Opened on first use: only decoupled models stream (matrix/model-kind.ts).
    let stream: ReturnType<TritonClient['streamTransport']> | undefined;
    const streamTransport = (): ReturnType<TritonClient['streamTransport']> => (stream ??= client.streamTransport());
    const journal = env.journal ?? runJournal(config, log);
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({
      client,
      config,
      log,
      runCommand: runShellCommand,
      journal,
    });
    // Paired mode (docs/statistics.md §11): the base side, on this server or its own.
    const base = createBaseSide(
      config,
      { client, transport, streamTransport, journal },
      log,
      runShellCommand,
      snapshot,
    );
    const deps: PipelineDeps = {
      matrix: {
        client,
        transport,
        streamTransport,
        controller,
        log,
        files,
        signal: env.signal,
        ...metricsSamplerFor(config.server.metricsUrl, log),
        runnerGpus: createRunnerGpuReader(log),
        ...(base === undefined ? {} : { base: base.deps }),
        onProgress: env.onProgress,
        restoreTracker: env.restoreTracker,
      },
      store,
      sinks: env.sinks,
      log,
      preferredShas,
      redact,
      journal,
      event: env.event,
      context: env.context,
      runUrl: env.runUrl,
    };
    return {
      deps,
      close: () => {
        base?.close();
        client.close();
      },
    };
  } catch (err: unknown) {
    client.close();
    throw err;
  }
}

/**
 * Composes, runs the pipeline once and closes the client, whatever happens. Every model the run
 * changed is restored through the journal before the client closes, also when the run failed
 * (the pipeline has restored them already when it produced a result: then this is a no-op). A
 * failure after the run was cancelled rejects as RunCancelledError (verdict `cancelled`).
 */
export async function composeAndRun(config: Config, env: RunEnvironment): Promise<PipelineResult> {
  const journal = env.journal ?? runJournal(config, env.log);
  try {
    const composed = await composeRun(config, { ...env, journal });
    try {
      return await runPipeline(config, composed.deps);
    } finally {
      await journal.restoreAll();
      composed.close();
    }
  } catch (err: unknown) {
    throw cancelledIfAborted(err, env.signal);
  }
}

/** A journal for one run, bounded by the loads its restore may need (control/interrupt.ts). */
export function runJournal(config: Config, log: Logger): ModelJournal {
  return createModelJournal({ log, budgetMs: restoreBudgetMs(config) });
}
