/**
 * `triton-throughput-gate run`: the same pipeline as the Action (built by compose/compose-run.ts),
 * with stdout/file sinks and a file store (`--baseline-dir`) or none. Returns the exit code:
 * 0 pass, 1 gate or run failed.
 */
import { composeAndRun } from '../compose/compose-run.js';
import type { Config } from '../config/config.js';
import type { RestoreTracker } from '../control/interrupt.js';
import type { ModelJournal } from '../control/model-journal.js';
import { resolveRunnerLabel } from '../config/runner-label.js';
import type { Logger } from '../logger.js';
import type { Progress } from '../matrix/measure-row.js';
import type { Sink } from '../pipeline.js';
import { createJsonFileSink } from '../sinks/json-file-sink.js';
import { createStdoutSink } from '../sinks/stdout-sink.js';

/** What the run command needs from the CLI entry. */
export interface RunCommandOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  readonly restoreTracker?: RestoreTracker;
  /** The entry's journal, so its signal and crash handlers restore through the same one. */
  readonly journal?: ModelJournal;
  /** `--quiet`: stdout carries only the verdict line. */
  readonly isQuiet?: boolean;
}

/** Runs the pipeline once; resolves with the exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const { config, log, signal } = options;
  const sinks: Sink[] = [createStdoutSink({ isQuiet: options.isQuiet === true })];
  if (config.report.outPath !== undefined) sinks.push(createJsonFileSink(config.report.outPath));
  const result = await composeAndRun(config, {
    log,
    signal,
    sinks,
    journal: options.journal,
    onProgress: options.onProgress,
    restoreTracker: options.restoreTracker,
    event: { name: 'cli', isDefaultBranch: false, isTag: false },
    context: { source: { event: 'cli' }, label: cliLabel(config.runnerLabel, log) },
  });
  if (!result.run.isComplete && signal.aborted) return 1;
  return result.gate.shouldFail ? 1 : 0;
}

/** `--runner-label`, else the deprecated `TTG_LABEL` (with a warning), else ''. */
function cliLabel(configured: string | undefined, log: Logger): string {
  const ttgLabel = process.env['TTG_LABEL'];
  const resolved = resolveRunnerLabel(configured, ttgLabel ?? '', ttgLabel);
  if (resolved.warning !== undefined) log.warn(resolved.warning);
  return resolved.label;
}
