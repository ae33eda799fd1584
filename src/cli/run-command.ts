/**
 * `triton-throughput-gate run`: the same pipeline as the Action, with stdout/file sinks and a
 * file store (`--baseline-dir`) or none. Returns the exit code: 0 pass, 1 gate or run failed.
 */
import type { Config } from '../config/config.js';
import { resolveRunnerLabel } from '../config/runner-label.js';
import { CONTROLLER_FACTORIES } from '../control/controllers.js';
import { runShellCommand } from '../control/run-shell-command.js';
import { readInputFiles } from '../load/read-input-files.js';
import type { Logger } from '../logger.js';
import type { Progress } from '../matrix/measure-row.js';
import { runPipeline, type Sink } from '../pipeline.js';
import { createBaselineStore } from '../baseline/create-baseline-store.js';
import { TritonClient } from '../triton/triton-client.js';
import { createJsonFileSink, createStdoutSink } from './cli-sinks.js';

/** What the run command needs from the CLI entry. */
export interface RunCommandOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
}

/** Runs the pipeline once; resolves with the exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const { config, log, signal } = options;
  const files = await readInputFiles(config.matrix);
  const client = new TritonClient({ address: config.server.address, isTls: config.server.isTls, headers: config.server.headers });
  try {
    const transport = client.inferTransport();
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({ client, config, log, runCommand: runShellCommand });
    const sinks: Sink[] = [createStdoutSink()];
    if (config.report.outPath !== undefined) sinks.push(createJsonFileSink(config.report.outPath));
    const result = await runPipeline(config, {
      matrix: {
        client, transport, controller, log, files, signal,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      },
      store: createBaselineStore(config.store, { log }),
      sinks,
      log,
      event: { name: 'cli', isDefaultBranch: false, isTag: false },
      context: { source: { event: 'cli' }, label: cliLabel(config.runnerLabel, log) },
      preferredShas: [],
    });
    if (!result.run.isComplete && signal.aborted) return 1;
    return result.gate.shouldFail ? 1 : 0;
  } finally {
    client.close();
  }
}

/** `--runner-label`, else the deprecated `TTG_LABEL` (with a warning), else ''. */
function cliLabel(configured: string | undefined, log: Logger): string {
  const ttgLabel = process.env['TTG_LABEL'];
  const resolved = resolveRunnerLabel(configured, ttgLabel ?? '', ttgLabel);
  if (resolved.warning !== undefined) log.warn(resolved.warning);
  return resolved.label;
}
