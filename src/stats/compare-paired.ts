/**
 * Paired comparison of head and base measured in the same job (docs/statistics.md, "Paired
 * mode"): per cell the log ratio head/base of every round, an exact one-sided signed-rank test
 * per direction, Benjamini-Hochberg across cells, a seeded bootstrap interval of the median
 * ratio, and a whole-matrix estimate pooling every cell's ratios so a uniform small slowdown is
 * caught when no single cell is certain. Pure: the same inputs and seed give the same result.
 */
import { median } from 'simple-statistics';
import { createRng, deriveSeed } from '../rng.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { cellKey } from '../model/cell-key.js';
import { formatPercent } from './format-percent.js';
import { clusterBootstrapMedianCi } from './paired-bootstrap.js';
import type {
  PairedCellInput,
  PairedCellResult,
  PairedComparison,
  PairedEstimate,
  PairedOverall,
  PairedVerdict,
} from '../model/paired-comparison.js';
import { signedRankTest } from './signed-rank.js';

/** Fewest complete rounds a cell needs before it is tested (min-rounds is validated ≥ 3). */
export const MIN_PAIRED_ROUNDS = 3;

/** Settings of {@link comparePaired}. */
export interface PairedOptions {
  readonly alpha: number;
  readonly minEffect: number;
  /** Seed of the bootstrap intervals; each cell draws from its own sub-stream. */
  readonly seed: number;
  /** Bootstrap resamples (default 2000). */
  readonly resamples?: number;
  /**
   * Looks the sequential schedule may take at the data (`max-rounds − min-rounds + 1`; default
   * 1). Significance is judged at `alpha / looks` (Bonferroni over looks), so testing again
   * after every extra round cannot inflate the false-alarm rate (docs/statistics.md §11).
   */
  readonly looks?: number;
}

/** Compares every cell, then the matrix as a whole. Cells keep the input order. */
export function comparePaired(
  cells: readonly PairedCellInput[],
  options: PairedOptions,
): PairedComparison {
  const tested = cells.map((cell) => ({ cell, logRatios: logRatiosOf(cell) }));
  const testable = tested.filter((item) => item.logRatios.length >= MIN_PAIRED_ROUNDS);
  const pSlower = testable.map((item) => signedRankTest(item.logRatios, 'less').pValue);
  const pFaster = testable.map((item) => signedRankTest(item.logRatios, 'greater').pValue);
  // One family per direction, as in stored mode: the regression family fails PRs on its own.
  const qSlower = benjaminiHochberg(pSlower);
  const qFaster = benjaminiHochberg(pFaster);
  const results = tested.map((item): PairedCellResult => {
    const index = testable.indexOf(item);
    const base = { maxBatch: item.cell.maxBatch, users: item.cell.users, rounds: item.logRatios.length };
    if (index < 0) return { ...base, ...tooFewRounds(item.logRatios) };
    const q = { slower: qSlower[index] ?? 1, faster: qFaster[index] ?? 1 };
    const seed = deriveSeed(options.seed, cellKey(item.cell.maxBatch, item.cell.users));
    const estimate = estimateOf(
      item.logRatios.map((value) => [value]),
      { pSlower: pSlower[index] ?? 1, pFaster: pFaster[index] ?? 1, ...q },
      { ...options, seed },
    );
    return { ...base, qSlower: q.slower, qFaster: q.faster, ...estimate };
  });
  const overall = overallOf(
    testable.map((item) => item.cell),
    options,
  );
  const { alpha, minEffect } = options;
  return { cells: results, ...(overall === undefined ? {} : { overall }), alpha, minEffect };
}

/** `ln(head / base)` of every round with both sides above 0, in round order. */
export function logRatiosOf(cell: PairedCellInput): number[] {
  return [...cell.rounds]
    .sort((a, b) => a.round - b.round)
    .filter((round) => round.head > 0 && round.base > 0)
    .map((round) => Math.log(round.head / round.base));
}

interface Evidence {
  readonly pSlower: number;
  readonly pFaster: number;
  /** Adjusted p-values used for the decision (the raw ones for the overall test). */
  readonly slower: number;
  readonly faster: number;
}

/** Median ratio, interval and verdict from `clusters` of log ratios and the tests' evidence. */
function estimateOf(
  clusters: readonly (readonly number[])[],
  evidence: Evidence,
  options: PairedOptions,
): PairedEstimate {
  const all = clusters.flat();
  const delta = Math.exp(median(all)) - 1;
  const [lowLog, highLog] = clusterBootstrapMedianCi(
    clusters,
    createRng(options.seed),
    options.resamples ?? 2000,
    1 - 2 * options.alpha,
  );
  const deltaCi = [Math.exp(lowLog) - 1, Math.exp(highLog) - 1] as const;
  const { verdict, reason } = decide(delta, deltaCi, evidence, options);
  return { delta, deltaCi, pSlower: evidence.pSlower, pFaster: evidence.pFaster, verdict, reason };
}

/**
 * The verdict rules of docs/statistics.md ("Paired mode"), symmetric in the log ratio so that
 * swapping head and base mirrors every verdict: the band is `|ln ratio| ≤ −ln(1 − min-effect)`,
 * i.e. head at most min-effect slower than base, or base at most min-effect slower than head.
 */
function decide(
  delta: number,
  deltaCi: readonly [number, number],
  evidence: Evidence,
  options: PairedOptions,
): { verdict: PairedVerdict; reason: string } {
  const { minEffect } = options;
  const alpha = options.alpha / Math.max(1, options.looks ?? 1);
  const band = -Math.log(1 - minEffect);
  const logDelta = Math.log(1 + delta);
  const [lowLog, highLog] = [Math.log(1 + deltaCi[0]), Math.log(1 + deltaCi[1])];
  const effect = formatPercent(minEffect);
  if (evidence.slower <= alpha && logDelta <= -band) {
    return { verdict: 'regressed', reason: `significantly slower, at least ${effect}` };
  }
  if (evidence.faster <= alpha && logDelta >= band) {
    return { verdict: 'improved', reason: `significantly faster, at least ${effect}` };
  }
  if (lowLog >= -band && highLog <= band) {
    return { verdict: 'same', reason: `interval inside ±${effect}` };
  }
  const isSignificant = evidence.slower <= alpha || evidence.faster <= alpha;
  return {
    verdict: 'unknown',
    reason: isSignificant
      ? `significant but smaller than ${effect}; interval wider`
      : `not significant; interval wider than ±${effect}`,
  };
}

function tooFewRounds(logRatios: readonly number[]): Omit<PairedCellResult, 'maxBatch' | 'users' | 'rounds'> {
  const delta = logRatios.length > 0 ? Math.exp(median([...logRatios])) - 1 : 0;
  return {
    delta,
    deltaCi: [delta, delta],
    pSlower: 1,
    pFaster: 1,
    qSlower: 1,
    qFaster: 1,
    verdict: 'unknown',
    reason: `${logRatios.length} complete rounds, need ${MIN_PAIRED_ROUNDS}`,
  };
}

/**
 * Whole-matrix estimate: the median of every cell's per-round log ratios, its interval by a
 * bootstrap over rounds (clusters), and an exact signed-rank test on the round means (one value
 * per round: the mean log ratio of the cells measured in it), so cells measured in the same
 * minutes count as one observation, not as independent evidence.
 */
function overallOf(cells: readonly PairedCellInput[], options: PairedOptions): PairedOverall | undefined {
  const byRound = new Map<number, number[]>();
  for (const cell of cells) {
    for (const round of cell.rounds) {
      if (!(round.head > 0 && round.base > 0)) continue;
      const list = byRound.get(round.round) ?? [];
      list.push(Math.log(round.head / round.base));
      byRound.set(round.round, list);
    }
  }
  const clusters = [...byRound.entries()].sort((a, b) => a[0] - b[0]).map(([, values]) => values);
  if (clusters.length < MIN_PAIRED_ROUNDS) return undefined;
  const means = clusters.map((values) => values.reduce((sum, value) => sum + value, 0) / values.length);
  const pSlower = signedRankTest(means, 'less').pValue;
  const pFaster = signedRankTest(means, 'greater').pValue;
  const estimate = estimateOf(
    clusters,
    { pSlower, pFaster, slower: pSlower, faster: pFaster },
    { ...options, seed: deriveSeed(options.seed, 'overall') },
  );
  return { ...estimate, rounds: clusters.length, pairs: clusters.flat().length };
}
