/**
 * Seeded bootstrap intervals of a median log ratio for paired mode (docs/statistics.md,
 * "Paired mode"). Rounds are the resampling unit: a round's pairs were measured in the same
 * minutes, so whatever drift survives the pairing is shared within a round, not across rounds.
 */
import { median } from 'simple-statistics';
import { nextInt, type Rng } from '../rng.js';

/**
 * Percentile interval of the median of all values in `clusters`, resampling whole clusters
 * with replacement `resamples` times. With one value per cluster it is the ordinary bootstrap
 * of a median. Deterministic for a given `rng` state.
 *
 * @param clusters non-empty list of non-empty value lists (e.g. log ratios per round)
 * @param level confidence level in (0, 1)
 */
export function clusterBootstrapMedianCi(
  clusters: readonly (readonly number[])[],
  rng: Rng,
  resamples: number,
  level: number,
): readonly [number, number] {
  if (clusters.length === 0 || clusters.some((cluster) => cluster.length === 0) || resamples < 1) {
    throw new Error('clusterBootstrapMedianCi: empty cluster or no resamples');
  }
  const medians = new Float64Array(resamples);
  const pooled: number[] = [];
  for (let i = 0; i < resamples; i++) {
    pooled.length = 0;
    for (let k = 0; k < clusters.length; k++) {
      const cluster = clusters[nextInt(rng, clusters.length)] ?? [];
      for (const value of cluster) pooled.push(value);
    }
    medians[i] = median(pooled);
  }
  medians.sort();
  const tail = (1 - level) / 2;
  return [interpolatedQuantile(medians, tail), interpolatedQuantile(medians, 1 - tail)];
}

/**
 * Linearly interpolated quantile of sorted values (Hyndman & Fan type 7). Unlike a nearest-rank
 * quantile it is symmetric (`q(1 − p)` of `−x` is `−q(p)` of `x`), so swapping head and base
 * mirrors the interval exactly and cannot move a verdict.
 */
function interpolatedQuantile(sorted: Float64Array, p: number): number {
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] ?? Number.NaN;
  return lowValue + ((sorted[high] ?? lowValue) - lowValue) * (position - low);
}
