/**
 * Is the stored-baseline gate ready to fail a PR, and what can it see? (docs/statistics.md §6.)
 *
 * - **Calibrating**: until run-to-run noise is measured — enough stored default-branch runs
 *   with cell medians, or enough runs of the base commit — a threshold would rest on an
 *   assumption. The simulation of docs/statistics.md §6 shows what that costs on a noisy runner
 *   (A/A failing a third of PRs at 10% drift), so the gate reports only and says what is missing.
 * - **Sensitivity**: the noise this runner showed and the smallest change the gate can flag at
 *   the current settings, so a green check says how much it vouches for.
 */
import { probit } from 'simple-statistics';
import type { BetweenRunNoise } from './between-run-noise.js';
import { MIN_HISTORY_POINTS } from './between-run-noise.js';
import type { TestedCell } from './compare-cell.js';
import { minOneSidedPValue } from './mann-whitney.js';
import { medianOf } from './robust-spread.js';
import type { Calibration, Sensitivity } from '../model/comparison.js';

/**
 * Runs of the base commit that measure run-to-run noise on their own, without history. With 3,
 * one odd run can be set aside (outlier-runs.ts) and two remain; docs/statistics.md §6 has the
 * simulation behind the choice.
 */
export const MIN_BASELINE_RUNS_TO_GATE = 3;

/** Stored runs with cell medians the history estimate needs before the gate may fail. */
export const MIN_HISTORY_RUNS_TO_GATE = MIN_HISTORY_POINTS;

/** Counts behind {@link calibrationOf}. */
export interface CalibrationInput {
  readonly noise: BetweenRunNoise;
  readonly historyRuns: number;
  readonly baselineRuns: number;
}

/** Calibrating unless history or enough runs of the base commit measured the noise. */
export function calibrationOf(input: CalibrationInput): Calibration {
  const isHistoryEnough = input.noise.fromHistory !== undefined && input.historyRuns >= MIN_HISTORY_RUNS_TO_GATE;
  const areRunsEnough = input.noise.fromRuns !== undefined && input.baselineRuns >= MIN_BASELINE_RUNS_TO_GATE;
  return {
    isCalibrating: !isHistoryEnough && !areRunsEnough,
    historyRuns: input.historyRuns,
    neededHistoryRuns: MIN_HISTORY_RUNS_TO_GATE,
    baselineRuns: input.baselineRuns,
    neededBaselineRuns: MIN_BASELINE_RUNS_TO_GATE,
  };
}

/** Settings the sensitivity depends on. */
export interface SensitivityInput {
  readonly noise: BetweenRunNoise;
  readonly tested: readonly TestedCell[];
  readonly baselineRuns: number;
  readonly alpha: number;
  readonly minEffect: number;
}

/**
 * `uniform = max(threshold, 1 − exp(−z_{1−α} · σ · √(1 + 1/R)))`: every cell moves, so BH
 * passes all of them once each p ≤ α; `singleCell` uses `z_{1−α/M}` (a lone cell must reach
 * α/M) and is undefined when the exact rank test's floor `1/C(n+m, n)` is above α/M.
 * `threshold = max(min-effect, 2 · max(σ, trial CV))` as in compare-cell.ts.
 */
export function sensitivityOf(input: SensitivityInput): Sensitivity | undefined {
  const cells = input.tested.length;
  if (cells === 0 || input.baselineRuns === 0) return undefined;
  const sigma = input.noise.cv;
  const trialCv = medianOf(input.tested.map((cell) => cell.baseline.withinRunCv));
  const threshold = Math.max(input.minEffect, 2 * Math.max(sigma, trialCv));
  const spread = sigma * Math.sqrt(1 + 1 / input.baselineRuns);
  const detectable = (level: number): number => Math.max(threshold, 1 - Math.exp(-probit(1 - level) * spread));
  const floor = Math.min(...input.tested.map((cell) => minOneSidedPValue(cell.current.count, cell.baseline.count)));
  const lone = input.alpha / cells;
  return {
    runToRunCv: sigma,
    isNoiseAssumed: input.noise.isAssumed,
    trialCv,
    uniform: detectable(input.alpha),
    singleCell: floor > lone ? undefined : detectable(lone),
  };
}
