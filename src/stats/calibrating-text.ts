/**
 * The one-line message of a calibrating gate (docs/statistics.md §6): what it would have said and
 * which stored runs are still missing, so a green check is never read as a measured pass.
 */
import type { Calibration } from '../model/comparison.js';

/**
 * `calibrating (report-only): 2 of 40 cells would regress, …; noise not measured yet: 2 of 5
 * default-branch runs stored (3 more needed) or 3 runs of the base commit (1 so far)`.
 */
export function calibratingText(calibration: Calibration | undefined, wouldSay: string): string {
  return `calibrating (report-only, cannot fail yet): ${wouldSay}; ${missingRunsText(calibration)}`;
}

/** What the gate still needs, in numbers. */
export function missingRunsText(calibration: Calibration | undefined): string {
  if (calibration === undefined) return 'run-to-run noise not measured yet';
  const { historyRuns, neededHistoryRuns, baselineRuns, neededBaselineRuns } = calibration;
  const historyMissing = Math.max(0, neededHistoryRuns - historyRuns);
  const baseMissing = Math.max(0, neededBaselineRuns - baselineRuns);
  return (
    `run-to-run noise not measured yet: ${historyRuns} of ${neededHistoryRuns} stored default-branch ` +
    `runs (${historyMissing} more needed), or ${baselineRuns} of ${neededBaselineRuns} runs of the base ` +
    `commit (${baseMissing} more needed)`
  );
}
