/**
 * Robust spreads (docs/statistics.md §2.3, §10.3): thresholds, noise estimates and the `noisy`
 * cell status are built from medians of absolute deviations, never from plain standard
 * deviations, so one outlier trial or one bad stored run cannot widen a threshold until a real
 * regression fits inside it. Two relative spreads, both ≈ a CV for spreads of a few percent:
 * `robustCvOfLogs` (the gate's, on ln dps) and `robustSpreadOfValues` (a cell's, on dps itself).
 */

/** Consistency constant 1 / Φ⁻¹(0.75): MAD × 1.4826 estimates a normal standard deviation. */
export const MAD_TO_SD = 1.4826;

/** Median of `values` (any order); NaN when empty. */
export function medianOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/**
 * Robust coefficient of variation of positive values on the log scale: `1.4826 · MAD(ln x)`, the
 * normal-consistent spread of the logarithms. The gate's noise and thresholds use it, since its
 * tests work on log ratios (stats/summary.ts). One value of five at half the others leaves it
 * unchanged, where the plain CV jumps to ~20%. 0 with fewer than 2 positive values.
 */
export function robustCvOfLogs(values: readonly number[]): number {
  const logs = values.filter((value) => value > 0).map(Math.log);
  if (logs.length < 2) return 0;
  const center = medianOf(logs);
  return MAD_TO_SD * medianOf(logs.map((value) => Math.abs(value - center)));
}

/**
 * Robust standard deviation of one value from differences of two values that each carry it:
 * `1.4826 · median(|d|) / √2` (a difference of two independent draws has √2 times the spread).
 * Undefined when there are no differences.
 */
export function sdFromDifferences(differences: readonly number[]): number | undefined {
  if (differences.length === 0) return undefined;
  return (MAD_TO_SD * medianOf(differences.map(Math.abs))) / Math.SQRT2;
}

/**
 * Robust spread of values relative to their median: `1.4826 · MAD(x) / median(x)`. Decides
 * whether a cell's trials are stable enough (`max-cv`, matrix/summarize-cell.ts) and is stored as
 * `cell.spread`. 0 with fewer than 2 values or a zero median.
 */
export function robustSpreadOfValues(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const center = medianOf(values);
  if (center === 0) return 0;
  return (MAD_TO_SD * medianOf(values.map((value) => Math.abs(value - center)))) / center;
}
