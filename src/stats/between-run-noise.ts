/**
 * Run-to-run noise: how much a cell's median moves between two runs of the same code
 * (a different runner, GPU clocks, the row's model load). Trials of one run cannot show it — a
 * rank test on trials treats a slower runner as a real difference — so the gate estimates it
 * separately and tests each cell's median against it (docs/statistics.md §2).
 * Values are relative (standard deviation of the natural log of a median, ≈ a CV).
 */
import { medianAbsoluteDeviation } from 'simple-statistics';
import type { HistoryPoint } from '../model/comparison.js';
import { standardNormalCdf } from './normal-cdf.js';
import { MAD_TO_SD, sdFromDifferences } from './robust-spread.js';

/**
 * Fewest stored runs the history estimate needs. Below 5 a robust spread is a guess (Bencher's
 * and conbench's minimum sample sizes are of the same order).
 */
export const MIN_HISTORY_POINTS = 5;

/** Estimated run-to-run noise of a cell median. */
export interface BetweenRunNoise {
  /** The value used: the larger measured estimate, or the assumption when none exists. */
  readonly cv: number;
  /** Pooled over the matrix from the baseline runs, when some cell has >= 2 of them. */
  readonly fromRuns?: { readonly cv: number; readonly runs: number };
  /** From stored history (cell medians of consecutive runs), robust to level shifts. */
  readonly fromHistory?: { readonly cv: number; readonly points: number };
  /**
   * True when nothing measured it yet (one baseline run, too little history): `cv` is then
   * `max(withinRunCv, minEffect / 2)`, an assumption stated in the comparison's notes.
   */
  readonly isAssumed: boolean;
}

/** What run-to-run noise is estimated from. */
export interface NoiseInput {
  /** For each cell, the medians of its baseline runs (any order). */
  readonly runMedians: readonly (readonly number[])[];
  /** Stored history points, oldest first. */
  readonly history: readonly HistoryPoint[];
  /** The baseline's within-run CV pooled over the matrix (the assumption's first part). */
  readonly withinRunCv: number;
  /** The gate's min-effect (the assumption's floor is half of it). */
  readonly minEffect: number;
}

/**
 * Estimates run-to-run noise.
 *
 * - From the baseline runs (outlier runs already set aside, outlier-runs.ts): every pairwise
 *   difference `ln m_ac − ln m_bc` of two runs' medians of the same cell, pooled over the
 *   matrix; `sd = 1.4826 · median |d| / √2` (robust-spread.ts). A median, so a few cells that
 *   one run measured badly do not widen it; the run-wide part still rests on R − 1 runs.
 * - From history: differences `ln(m_t+1 / m_t)` of each cell's median between consecutive
 *   stored runs (points carrying `cellDps`); `sd = 1.4826 · MAD / √2`. The MAD ignores the few
 *   large differences that real changes on the base branch leave behind. Row maxima (`bestDps`)
 *   are not used: the best of several saturated cells moves less than any one cell does.
 * - Both available: the larger (the cautious choice). Neither: assumed to be
 *   `max(withinRunCv, minEffect / 2)` — at least the trial noise, and at least the size of
 *   change the user declared uninteresting — so a first PR on a new repository is not judged by
 *   trial-level evidence alone (docs/statistics.md measures what that would cost).
 */
export function betweenRunNoise(input: NoiseInput): BetweenRunNoise {
  const fromRuns = pooledLogSd(input.runMedians);
  const fromHistory = historySd(input.history);
  if (fromRuns === undefined && fromHistory === undefined) {
    return { cv: Math.max(input.withinRunCv, input.minEffect / 2), isAssumed: true };
  }
  return {
    cv: Math.max(fromRuns?.cv ?? 0, fromHistory?.cv ?? 0),
    ...(fromRuns === undefined ? {} : { fromRuns }),
    ...(fromHistory === undefined ? {} : { fromHistory }),
    isAssumed: false,
  };
}

/** One-sided p-values of a cell median against its baseline run medians. */
export interface BetweenRunPValues {
  /** P(a median this low or lower | no change): "current is slower". */
  readonly pLess: number;
  /** "Current is faster". */
  readonly pGreater: number;
}

/**
 * Tests a current median against the mean log median of R baseline runs, with run-to-run noise
 * `cv`: `z = (ln current − mean_r ln base_r) / (cv · √(1 + 1/R))`, normal tails.
 *
 * @param currentMedian median dps of the current run's trials (> 0)
 * @param baselineRunMedians median dps of each baseline run (>= 1, each > 0)
 * @param cv run-to-run noise from {@link betweenRunNoise}
 */
export function betweenRunPValues(
  currentMedian: number,
  baselineRunMedians: readonly number[],
  cv: number,
): BetweenRunPValues {
  const runs = baselineRunMedians.length;
  const baseLog = baselineRunMedians.reduce((sum, value) => sum + Math.log(value), 0) / runs;
  const difference = Math.log(currentMedian) - baseLog;
  const sd = cv * Math.sqrt(1 + 1 / runs);
  // No measured noise at all (identical stored runs): only the sign of the difference speaks.
  if (!(sd > 0)) {
    return { pLess: difference < 0 ? 0 : 1, pGreater: difference > 0 ? 0 : 1 };
  }
  const z = difference / sd;
  return { pLess: standardNormalCdf(z), pGreater: standardNormalCdf(-z) };
}

function pooledLogSd(runMedians: readonly (readonly number[])[]): BetweenRunNoise['fromRuns'] | undefined {
  const differences: number[] = [];
  let runs = 0;
  for (const medians of runMedians) {
    runs = Math.max(runs, medians.length);
    const logs = medians.filter((value) => value > 0).map(Math.log);
    for (let a = 0; a < logs.length; a++) {
      for (let b = a + 1; b < logs.length; b++) differences.push((logs[a] ?? 0) - (logs[b] ?? 0));
    }
  }
  const cv = sdFromDifferences(differences);
  return cv === undefined ? undefined : { cv, runs };
}

/** Run-to-run noise from stored history alone (also used to spot outlier baseline runs). */
export function historyNoise(history: readonly HistoryPoint[]): BetweenRunNoise['fromHistory'] | undefined {
  return historySd(history);
}

function historySd(history: readonly HistoryPoint[]): BetweenRunNoise['fromHistory'] | undefined {
  const withCells = history.filter((point) => point.cellDps !== undefined);
  const differences: number[] = [];
  for (let i = 1; i < withCells.length; i++) {
    const before = withCells[i - 1]?.cellDps ?? {};
    const after = withCells[i]?.cellDps ?? {};
    for (const [key, value] of Object.entries(after)) {
      const previous = before[key];
      if (previous !== undefined && previous > 0 && value > 0) {
        differences.push(Math.log(value / previous));
      }
    }
  }
  if (withCells.length < MIN_HISTORY_POINTS || differences.length < MIN_HISTORY_POINTS - 1) {
    return undefined;
  }
  // Sorted so the float result does not depend on key iteration order.
  differences.sort((a, b) => a - b);
  return {
    cv: (MAD_TO_SD * medianAbsoluteDeviation(differences)) / Math.SQRT2,
    points: withCells.length,
  };
}
