/**
 * When the run itself fails (bad config, server down, a bug), the step still leaves a trace
 * where people look: a short job summary and `verdict: failure` for the next step
 * (`cancelled` when the run was cancelled before it failed). Best
 * effort: a failure here must not hide the original error.
 */
import type * as core from '@actions/core';
import { escapeMarkdownLines } from '../report/escape-markdown.js';

/** What this needs from @actions/core (passed in, so tests need no mock). */
export interface FailureSinks {
  readonly summary: Pick<typeof core.summary, 'addRaw' | 'write'>;
  readonly isSummaryAvailable: boolean;
  readonly setOutput: typeof core.setOutput;
}

/** The verdict of a run that ended in an error: `cancelled` when it had been cancelled first. */
export type RunFailureVerdict = 'failure' | 'cancelled';

/** The summary text of a failed run (pure; the message is server/user text, escaped). */
export function runFailureMarkdown(name: string, message: string, verdict: RunFailureVerdict = 'failure'): string {
  const title =
    verdict === 'cancelled'
      ? '### ⏹️ triton-throughput-gate was cancelled'
      : '### ⚠️ triton-throughput-gate could not run';
  return `${title}\n\n**${name}**: ${escapeMarkdownLines(message, 4000)}\n`;
}

/** Writes the failure summary and the `verdict` output; never throws. */
export async function reportRunFailure(
  sinks: FailureSinks,
  name: string,
  message: string,
  verdict: RunFailureVerdict = 'failure',
): Promise<void> {
  try {
    sinks.setOutput('verdict', verdict);
    if (sinks.isSummaryAvailable) await sinks.summary.addRaw(runFailureMarkdown(name, message, verdict)).write();
  } catch {
    // The step fails with the original error either way.
  }
}
