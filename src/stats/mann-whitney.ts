/**
 * One-sided Mann-Whitney U (Wilcoxon rank-sum) test of current trial dps against baseline trial
 * dps (docs/statistics.md). Rank-based, so one odd trial cannot drag the result the way it drags a mean;
 * exact for the small samples the gate works with (5 trials against a few pooled runs), so the
 * p-value carries no Monte Carlo error and no seed. See docs/statistics.md for why this test and
 * not simple-statistics' `permutationTest`.
 */
import { standardNormalCdf } from './normal-cdf.js';

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /**
   * U of the current sample: the number of (current, baseline) pairs in which the current value is
   * larger, ties counting 1/2. Ranges over `[0, n·m]`; `n·m/2` is "no difference".
   */
  readonly u: number;
  /** P(U <= u) under H0: one-sided p-value of "current is slower" (lower dps). */
  readonly pLess: number;
  /** P(U >= u) under H0: one-sided p-value of "current is faster". */
  readonly pGreater: number;
  /**
   * `exact`: the permutation distribution of the (mid)rank sum, exact with or without ties;
   * `normal`: normal approximation with tie and continuity corrections, for large samples.
   */
  readonly method: 'exact' | 'normal';
}

/**
 * Work limit of the exact distribution, in inner-loop steps (`N · k · maxRankSum`, a few ms).
 * It keeps every realistic gate sample exact: 5 current trials against up to 150 pooled baseline
 * trials (30 stored runs), or 20 against 20. Beyond it the normal approximation is accurate.
 */
const EXACT_STEP_LIMIT = 2_000_000;

/**
 * Runs the test. Both samples must be non-empty and finite (callers enforce minimum trials).
 *
 * @param current dps of the current run's successful trials (any order)
 * @param baseline dps of the baseline's successful trials, pooled over runs (any order)
 */
export function mannWhitneyU(current: readonly number[], baseline: readonly number[]): MannWhitneyResult {
  assertSample(current, 'current');
  assertSample(baseline, 'baseline');
  const n = current.length;
  const m = baseline.length;
  const ranked = rankDoubled(current, baseline);
  const u = ranked.currentRankSum / 2 - (n * (n + 1)) / 2;
  const isCurrentSmaller = n <= m;
  const k = Math.min(n, m);
  const total = n + m;
  const maxRankSum = largestSum(ranked.doubledRanks, k);
  if (total * k * maxRankSum > EXACT_STEP_LIMIT) {
    return { u, ...normalApproximation(u, n, m, ranked.tieTerm), method: 'normal' };
  }
  // Without ties the null distribution depends only on the sample sizes: reuse it.
  const distribution =
    ranked.tieTerm === 0
      ? untiedDistribution(ranked.doubledRanks, k, maxRankSum)
      : rankSumDistribution(ranked.doubledRanks, k, maxRankSum);
  // The subset enumerated is the smaller sample; a low rank sum of the current sample is a high
  // one of the baseline sample (the two always add up to N(N+1) in doubled ranks).
  const observed = isCurrentSmaller ? ranked.currentRankSum : total * (total + 1) - ranked.currentRankSum;
  const lower = Math.min(1, (distribution.atMost[observed] ?? 0) / distribution.total);
  const upper = Math.min(1, (distribution.atLeast[observed] ?? 0) / distribution.total);
  return isCurrentSmaller
    ? { u, pLess: lower, pGreater: upper, method: 'exact' }
    : { u, pLess: upper, pGreater: lower, method: 'exact' };
}

/**
 * Smallest one-sided p-value the exact test can give for sample sizes `n` and `m` (no ties):
 * `1 / C(n + m, n)`, reached when the samples do not overlap at all. 5 vs 5 gives 1/252 ≈ 0.004.
 */
export function minOneSidedPValue(n: number, m: number): number {
  // Product form of 1 / C(n + m, n), stable for the sizes we meet.
  let p = 1;
  for (let i = 1; i <= n; i++) p *= i / (m + i);
  return p;
}

interface RankedSamples {
  /** Every value's midrank times two (an integer even with ties), in ascending value order. */
  readonly doubledRanks: readonly number[];
  /** Sum of the current sample's doubled ranks. */
  readonly currentRankSum: number;
  /** Σ (t³ − t) over groups of t tied values, for the variance's tie correction. */
  readonly tieTerm: number;
}

function rankDoubled(current: readonly number[], baseline: readonly number[]): RankedSamples {
  const pooled = [
    ...current.map((value) => ({ value, isCurrent: true })),
    ...baseline.map((value) => ({ value, isCurrent: false })),
  ].sort((a, b) => a.value - b.value);
  const doubledRanks: number[] = [];
  let currentRankSum = 0;
  let tieTerm = 0;
  let start = 0;
  while (start < pooled.length) {
    let end = start;
    while (end + 1 < pooled.length && pooled[end + 1]?.value === pooled[start]?.value) end++;
    // Positions start..end (0-based) share the midrank ((start + 1) + (end + 1)) / 2.
    const doubled = start + end + 2;
    for (let i = start; i <= end; i++) {
      doubledRanks.push(doubled);
      if (pooled[i]?.isCurrent === true) currentRankSum += doubled;
    }
    const tied = end - start + 1;
    tieTerm += tied * tied * tied - tied;
    start = end + 1;
  }
  return { doubledRanks, currentRankSum, tieTerm };
}

function largestSum(ascending: readonly number[], k: number): number {
  let sum = 0;
  for (let i = ascending.length - k; i < ascending.length; i++) sum += ascending[i] ?? 0;
  return sum;
}

/** Null distribution of the k-subset (doubled) rank sum, as cumulative counts from each end. */
interface RankSumDistribution {
  /** atMost[s]: subsets with sum <= s. */
  readonly atMost: Float64Array;
  /** atLeast[s]: subsets with sum >= s. */
  readonly atLeast: Float64Array;
  /** All k-subsets: C(N, k). */
  readonly total: number;
}

/**
 * Untied distributions by `N,k`. A bounded memo, invisible from outside (same input, same
 * output): the gate-quality simulations compare thousands of 40-cell matrices of equal sizes.
 */
const untiedCache = new Map<string, RankSumDistribution>();
const UNTIED_CACHE_SIZE = 64;

function untiedDistribution(doubledRanks: readonly number[], k: number, maxSum: number): RankSumDistribution {
  const key = `${doubledRanks.length},${k}`;
  const cached = untiedCache.get(key);
  if (cached !== undefined) return cached;
  const computed = rankSumDistribution(doubledRanks, k, maxSum);
  if (untiedCache.size >= UNTIED_CACHE_SIZE) {
    const [oldest] = untiedCache.keys();
    if (oldest !== undefined) untiedCache.delete(oldest);
  }
  untiedCache.set(key, computed);
  return computed;
}

/**
 * Counts k-element subsets of `doubledRanks` by sum: a knapsack-style dynamic programme over
 * subset size and sum. Counts are floats, exact up to 2^53 and accurate to ~1e-16 relative
 * beyond, which is all a p-value needs.
 */
function rankSumDistribution(doubledRanks: readonly number[], k: number, maxSum: number): RankSumDistribution {
  const width = maxSum + 1;
  const table = new Float64Array((k + 1) * width);
  table[0] = 1;
  doubledRanks.forEach((rank, index) => {
    for (let size = Math.min(k, index + 1); size >= 1; size--) {
      const row = size * width;
      const previous = (size - 1) * width;
      for (let sum = maxSum; sum >= rank; sum--) {
        table[row + sum] = (table[row + sum] ?? 0) + (table[previous + sum - rank] ?? 0);
      }
    }
  });
  const counts = table.subarray(k * width, (k + 1) * width);
  const atMost = new Float64Array(width);
  const atLeast = new Float64Array(width);
  let running = 0;
  for (let sum = 0; sum < width; sum++) {
    running += counts[sum] ?? 0;
    atMost[sum] = running;
  }
  running = 0;
  for (let sum = width - 1; sum >= 0; sum--) {
    running += counts[sum] ?? 0;
    atLeast[sum] = running;
  }
  return { atMost, atLeast, total: running };
}

function normalApproximation(
  u: number,
  n: number,
  m: number,
  tieTerm: number,
): Pick<MannWhitneyResult, 'pLess' | 'pGreater'> {
  const total = n + m;
  const variance = ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  // Every value tied: no ordering information at all.
  if (variance <= 0) return { pLess: 1, pGreater: 1 };
  const sd = Math.sqrt(variance);
  const centre = (n * m) / 2;
  // Continuity correction of 1/2 towards the centre.
  return {
    pLess: Math.min(1, standardNormalCdf((u - centre + 0.5) / sd)),
    pGreater: Math.min(1, standardNormalCdf((centre - u + 0.5) / sd)),
  };
}

function assertSample(values: readonly number[], side: string): void {
  // Broken invariant, not bad data: callers filter trials and enforce minimum counts first.
  if (values.length === 0) throw new Error(`mannWhitneyU: the ${side} sample is empty`);
  if (!values.every(Number.isFinite)) {
    throw new Error(`mannWhitneyU: the ${side} sample holds a non-finite value`);
  }
}
