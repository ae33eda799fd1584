/**
 * Stored baseline runs that sit far off the others (a slow runner, a throttled GPU, a noisy
 * neighbour during that one run) are set aside before anything is estimated from them, and the
 * report names them (docs/statistics.md §2.4). Otherwise one bad run of the merge-base widens the
 * run-to-run noise, and with it every threshold, for every PR built on that commit.
 */
import type { OutlierRun } from '../model/comparison.js';
import { MAD_TO_SD, medianOf } from './robust-spread.js';

/** One baseline run seen through its cell medians. */
export interface RunMedians {
  readonly id: string;
  /** Median dps per cell key (`"32x8"`), successful trials only. */
  readonly cells: ReadonlyMap<string, number>;
}

/** What the detection needs besides the runs. */
export interface OutlierContext {
  /** Per cell key, the median log dps of stored history points other than the baseline runs. */
  readonly historyLevel: ReadonlyMap<string, number>;
  /** Run-to-run noise from history, when history measured it. */
  readonly historyCv: number | undefined;
  /** The gate's min-effect: a run closer than this to the others is never set aside. */
  readonly minEffect: number;
}

/** How many noise units off a run must be before it is set aside. */
export const OUTLIER_SIGMAS = 4;

/**
 * Runs to set aside. A run's offset is `median over cells of (ln m_rc − ref_c)`:
 *
 * - 3 or more runs: `ref_c` is the median over the runs of `ln m_rc`; a run is an outlier when
 *   `|offset| > max(min-effect, 4 · s)`, `s` the history noise when known, else
 *   `1.4826 · median |ln m_rc − ref_c|` over all runs and cells. At most ⌊(R − 1) / 2⌋ runs go,
 *   the farthest first, so the majority always stays.
 * - 2 runs: the median cannot tell which is off. With history, `ref_c` is the history level; the
 *   run beyond the limit goes when the other is within it. Without history both stay.
 * - 1 run: nothing to compare it with; it stays.
 */
export function findOutlierRuns(runs: readonly RunMedians[], context: OutlierContext): OutlierRun[] {
  if (runs.length >= 3) return outliersAgainstMedian(runs, context);
  if (runs.length === 2 && context.historyCv !== undefined) return outliersAgainstHistory(runs, context);
  return [];
}

function outliersAgainstMedian(runs: readonly RunMedians[], context: OutlierContext): OutlierRun[] {
  const reference = new Map<string, number>();
  for (const key of sharedKeys(runs)) {
    reference.set(key, medianOf(runs.map((run) => Math.log(run.cells.get(key) ?? Number.NaN))));
  }
  const residuals = runs.flatMap((run) => residualsOf(run, reference));
  const scale = context.historyCv ?? MAD_TO_SD * medianOf(residuals.map(Math.abs));
  const limit = Math.max(context.minEffect, OUTLIER_SIGMAS * scale);
  const offsets = runs
    .map((run) => ({ id: run.id, log: medianOf(residualsOf(run, reference)) }))
    .filter((run) => Math.abs(run.log) > limit)
    .sort((a, b) => Math.abs(b.log) - Math.abs(a.log) || a.id.localeCompare(b.id));
  return offsets.slice(0, (runs.length - 1) >> 1).map(toOutlier);
}

function outliersAgainstHistory(runs: readonly RunMedians[], context: OutlierContext): OutlierRun[] {
  const limit = Math.max(context.minEffect, OUTLIER_SIGMAS * (context.historyCv ?? 0));
  const offsets = runs.map((run) => ({ id: run.id, log: medianOf(residualsOf(run, context.historyLevel)) }));
  const off = offsets.filter((run) => Math.abs(run.log) > limit);
  // Both off: the base branch itself moved (a real change since the history); keep both.
  return off.length === 1 ? off.map(toOutlier) : [];
}

/** Keys every run has (cells some run lacks cannot place that run). */
function sharedKeys(runs: readonly RunMedians[]): string[] {
  const [first] = runs;
  if (first === undefined) return [];
  return [...first.cells.keys()].filter((key) => runs.every((run) => (run.cells.get(key) ?? 0) > 0)).sort();
}

function residualsOf(run: RunMedians, reference: ReadonlyMap<string, number>): number[] {
  const residuals: number[] = [];
  for (const [key, level] of [...reference].sort(([a], [b]) => a.localeCompare(b))) {
    const value = run.cells.get(key);
    if (value !== undefined && value > 0 && Number.isFinite(level)) residuals.push(Math.log(value) - level);
  }
  return residuals;
}

function toOutlier(run: { readonly id: string; readonly log: number }): OutlierRun {
  return { id: run.id, offset: Math.expm1(run.log) };
}
