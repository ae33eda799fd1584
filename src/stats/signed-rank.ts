/**
 * Exact one-sided Wilcoxon signed-rank test for paired differences (docs/statistics.md, "Paired
 * mode"). Pure and deterministic: the null distribution is enumerated exactly, with ties, so a
 * 5-round cell gets its true p-value instead of a normal approximation's guess.
 */

/** Which tail the test looks at. `less`: the differences tend to be below 0 (head slower). */
export type SignedRankAlternative = 'less' | 'greater';

/** Result of {@link signedRankTest}. */
export interface SignedRankResult {
  /** Sum of the (mid)ranks of the positive differences, after zeros were dropped. */
  readonly statistic: number;
  /** Differences that entered the test (non-zero ones). */
  readonly n: number;
  /** One-sided exact p-value; 1 when no non-zero difference is left. */
  readonly pValue: number;
}

/**
 * One-sided exact signed-rank test of `differences` against a median of 0.
 *
 * Conventions (docs/statistics.md):
 * - zeros are dropped before ranking (Wilcoxon's original convention, scipy's `zero_method =
 *   "wilcox"`); a difference counts as zero when `|d| <= zeroTolerance`;
 * - tied absolute values get their mid-rank, and the null distribution is the exact conditional
 *   one given those mid-ranks (every one of the 2^n sign assignments is equally likely), so ties
 *   keep the test exact rather than switching to an approximation.
 *
 * Mid-ranks are multiples of 1/2, so the enumeration runs over doubled ranks, which are integers:
 * a dynamic programme over the reachable sums, O(n · n²), exact for any n we measure.
 *
 * @param differences paired differences, e.g. `ln(head / base)` per round
 * @param alternative `less` tests "differences are below 0", `greater` the opposite
 * @param zeroTolerance absolute values at or below it count as zero (default 0)
 */
export function signedRankTest(
  differences: readonly number[],
  alternative: SignedRankAlternative,
  zeroTolerance = 0,
): SignedRankResult {
  differences.forEach((value, index) => {
    if (!Number.isFinite(value)) throw new Error(`signedRankTest: difference ${index} is ${value}`);
  });
  const nonZero = differences.filter((value) => Math.abs(value) > zeroTolerance);
  const n = nonZero.length;
  if (n === 0) return { statistic: 0, n: 0, pValue: 1 };
  const doubledRanks = doubledMidRanks(nonZero.map((value) => Math.abs(value)));
  let observed = 0;
  nonZero.forEach((value, index) => {
    if (value > 0) observed += doubledRanks[index] ?? 0;
  });
  const counts = signSumCounts(doubledRanks);
  const total = 2 ** n;
  let tail = 0;
  counts.forEach((count, sum) => {
    const isInTail = alternative === 'less' ? sum <= observed : sum >= observed;
    if (isInTail) tail += count;
  });
  return { statistic: observed / 2, n, pValue: Math.min(1, tail / total) };
}

/**
 * Twice the mid-ranks of `values` (ascending, 1-based), in the input's order. A tie group
 * spanning ranks i..j gets i + j, which is twice its mid-rank and always an integer.
 */
export function doubledMidRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    const doubled = start + 1 + (end + 1);
    for (let k = start; k <= end; k++) {
      const entry = order[k];
      if (entry !== undefined) ranks[entry.index] = doubled;
    }
    start = end + 1;
  }
  return ranks;
}

/**
 * `counts[s]` = number of sign assignments whose positive doubled ranks sum to `s`. Counts stay
 * exact in doubles up to n = 52 (2^52 assignments), far above any round cap.
 */
function signSumCounts(doubledRanks: readonly number[]): number[] {
  const maxSum = doubledRanks.reduce((sum, rank) => sum + rank, 0);
  let counts = new Array<number>(maxSum + 1).fill(0);
  counts[0] = 1;
  for (const rank of doubledRanks) {
    const next = [...counts];
    for (let sum = 0; sum + rank <= maxSum; sum++) {
      const count = counts[sum] ?? 0;
      if (count > 0) next[sum + rank] = (next[sum + rank] ?? 0) + count;
    }
    counts = next;
  }
  return counts;
}
