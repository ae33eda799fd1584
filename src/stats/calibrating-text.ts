/**
 * The one-line message of a calibrating gate (docs/statistics.md §6): what it would have said and
 * which stored runs are still missing, so a green check is never read as a measured pass.
 */
import type { Calibration } from '../model/comparison.js';

/**
 * `calibrating: 2 of 5 runs (stored default-branch runs; or 1 of 3 runs of the base commit),
 * report-only: 2 of 40 cells would regress, …; paired mode gates from the first PR`.
 */
export function calibratingText(calibration: Calibration | undefined, wouldSay: string): string {
  return `${runsText(calibration)}, report-only: ${wouldSay}; ${PAIRED_HINT}`;
}

/**
 * What the gate still needs, in numbers, said up front with the way out (README, "Stored mode"):
 * `calibrating: 2 of 5 runs (…); paired mode gates from the first PR`.
 */
export function missingRunsText(calibration: Calibration | undefined): string {
  return `${runsText(calibration)}; ${PAIRED_HINT}`;
}

// Paired mode measures its own base side in the same job, so it needs no stored noise (docs/paired.md).
const PAIRED_HINT = 'paired mode gates from the first PR';

function runsText(calibration: Calibration | undefined): string {
  if (calibration === undefined) return 'calibrating: run-to-run noise not measured yet';
  const { historyRuns, neededHistoryRuns, baselineRuns, neededBaselineRuns } = calibration;
  return (
    `calibrating: ${historyRuns} of ${neededHistoryRuns} runs (stored default-branch runs; or ` +
    `${baselineRuns} of ${neededBaselineRuns} runs of the base commit)`
  );
}
