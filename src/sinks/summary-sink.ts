/**
 * The job summary sink (docs/architecture.md#comparison-store-and-reports: the full report). The summary needs no token permission,
 * so it is what fork PRs and read-only tokens still get. Rendered again for GitHub's 1 MiB
 * step-summary limit (peer-tools §4) instead of the comment's 65,536 characters, so nothing
 * is dropped that fits. A last line says whether the run was saved as a baseline.
 */
import type { ConclusionsMode } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { PipelineResult, Sink } from '../pipeline.js';
import { renderReport } from '../report/render-report.js';
import { describeSave } from './describe-save.js';

/** GitHub rejects a step summary over 1 MiB; leave room for other steps' summaries. */
export const SUMMARY_MAX_CHARS = 1_000_000;

/** The part of `core.summary` used (a fake in tests). */
export interface SummaryWriter {
  addRaw(text: string, addEOL?: boolean): SummaryWriter;
  write(): Promise<unknown>;
}

/** Options of {@link createSummarySink}. */
export interface SummarySinkOptions {
  readonly summary: SummaryWriter;
  readonly benchmarkKey: string;
  /** False outside the runner (no `GITHUB_STEP_SUMMARY`): then the sink only says so. */
  readonly isAvailable: boolean;
  readonly log: Logger;
  readonly runUrl?: string;
  /** The `conclusions` input, as the pipeline rendered with it. */
  readonly conclusions?: ConclusionsMode;
}

/** The job summary sink. */
export function createSummarySink(options: SummarySinkOptions): Sink {
  return {
    name: 'job summary',
    publish: async (result: PipelineResult) => {
      if (!options.isAvailable) {
        options.log.info('job summary: GITHUB_STEP_SUMMARY is not set (not on a runner), skipped');
        return;
      }
      const { markdown } = renderReport(result.comparison, {
        benchmarkKey: options.benchmarkKey,
        gate: result.gate,
        maxChars: SUMMARY_MAX_CHARS,
        runUrl: options.runUrl,
        conclusions: options.conclusions,
      });
      const saved = describeSave(result);
      await options.summary.addRaw(saved === undefined ? markdown : `${markdown}\n${saved}\n`, true).write();
    },
  };
}
