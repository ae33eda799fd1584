/**
 * Robust spreads (docs/statistics.md §2.3): the gate's thresholds and noise estimates are built
 * from medians of absolute deviations, never from plain standard deviations, so one outlier
 * trial or one bad stored run cannot widen a threshold until a real regression fits inside it.
 */

/** Consistency constant: MAD × 1.4826 estimates a normal standard deviation. */
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
 * Robust coefficient of variation of positive values: `1.4826 · MAD(ln x)`, the normal-consistent
 * spread of the logarithms (≈ a CV for spreads of a few percent). One value of five at half the
 * others leaves it unchanged, where the plain CV jumps to ~20%. 0 with fewer than 2 values.
 */
export function robustCv(values: readonly number[]): number {
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
