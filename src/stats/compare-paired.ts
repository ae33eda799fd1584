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
import { formatNumber } from '../format-number.js';
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
import { signFlipUnitsTest, unitValues, type UnitCell } from './sign-flip-units.js';

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
  /** Random sign assignments of the whole-matrix test (default 2000). */
  readonly permutations?: number;
  /** Whether to compute the whole-matrix line (default true; the sequential rule needs cells only). */
  readonly withOverall?: boolean;
}

/** Compares every cell, then the matrix as a whole. Cells keep the input order. */
export function comparePaired(cells: readonly PairedCellInput[], options: PairedOptions): PairedComparison {
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
  const overall =
    options.withOverall === false
      ? undefined
      : overallOf(
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
 * A change is flagged when it is significant, the interval reaches the band (a change of
 * min-effect is not ruled out) and the estimate is at least half the band: demanding the
 * estimate itself beyond the band would catch a true min-effect change only half the time.
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
  const effect = formatNumber(minEffect, 'percent');
  const isHalfway = Math.abs(logDelta) >= band / 2;
  if (evidence.slower <= alpha && lowLog <= -band && isHalfway && logDelta < 0) {
    return { verdict: 'regressed', reason: `significantly slower; the interval reaches −${effect}` };
  }
  if (evidence.faster <= alpha && highLog >= band && isHalfway && logDelta > 0) {
    return { verdict: 'improved', reason: `significantly faster; the interval reaches +${effect}` };
  }
  const isSignificant = evidence.slower <= alpha || evidence.faster <= alpha;
  if (lowLog >= -band && highLog <= band) {
    return {
      verdict: 'same',
      reason: isSignificant ? `significant, but the interval is inside ±${effect}` : `interval inside ±${effect}`,
    };
  }
  return {
    verdict: 'unknown',
    reason: !isSignificant
      ? `not significant; interval wider than ±${effect}`
      : isHalfway
        ? `significant; interval wider than ±${effect}`
        : `significant but under ${formatNumber(minEffect / 2, 'percent')}; interval wider than ±${effect}`,
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
 * Whole-matrix estimate (docs/statistics.md §11, "Whole matrix"). The independent unit is a
 * row's round (one max_batch, one round index): its cells were measured in the same minutes,
 * while rows run minutes apart. Each unit's value is the precision-weighted mean of its cells'
 * log ratios (sign-flip-units.ts: cells differ, on the CPU runner some were 2–3× steadier than
 * others). Test: sign-flip randomization of whole units; estimate: the median unit value;
 * interval: bootstrap over units.
 */
function overallOf(cells: readonly PairedCellInput[], options: PairedOptions): PairedOverall | undefined {
  const unitIndex = new Map<string, number>();
  const roundIndices = new Set<number>();
  const unitCells: UnitCell[] = cells.map((cell) => {
    const rounds = [...cell.rounds].filter((round) => round.head > 0 && round.base > 0);
    const units = rounds.map((round) => {
      const key = `${cell.maxBatch}:${round.round}`;
      if (!unitIndex.has(key)) unitIndex.set(key, unitIndex.size);
      roundIndices.add(round.round);
      return unitIndex.get(key) ?? 0;
    });
    return { values: rounds.map((round) => Math.log(round.head / round.base)), units };
  });
  if (unitIndex.size < MIN_PAIRED_ROUNDS) return undefined;
  const values = [...unitValues(unitCells, unitIndex.size)];
  const flipRng = createRng(deriveSeed(options.seed, 'overall-sign-flips'));
  const test = signFlipUnitsTest(unitCells, unitIndex.size, flipRng, options.permutations ?? 2000);
  const estimate = estimateOf(
    values.map((value) => [value]),
    { pSlower: test.pLess, pFaster: test.pGreater, slower: test.pLess, faster: test.pGreater },
    { ...options, seed: deriveSeed(options.seed, 'overall') },
  );
  const pairs = unitCells.reduce((sum, cell) => sum + cell.values.length, 0);
  return { ...estimate, rounds: roundIndices.size, units: values.length, pairs };
}
