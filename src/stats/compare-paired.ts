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
} from '../model/paired-comparison.js';
import { signedRankTest } from './signed-rank.js';
import type { GatePolicy } from '../config/config.js';
import type { Evidence, RegressionRule } from '../model/evidence.js';
import { countedDirection, evidenceOf, isInsideBounds, ruleOf, symmetricBounds } from './change-evidence.js';
import { evidenceReason, type ChangeFigure } from './evidence-words.js';
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
  /** Which significant changes count (`gate-policy`; default `auto`: `not-ruled-out` here). */
  readonly policy?: GatePolicy;
  /** What the ratios are of, for the reasons' words (default `dps`; latency is compared as a rate). */
  readonly figure?: ChangeFigure;
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
  const looks = Math.max(1, options.looks ?? 1);
  const rule = ruleOf(options.policy, 'paired');
  return { cells: results, ...(overall === undefined ? {} : { overall }), alpha, looks, minEffect, rule };
}

/** `ln(head / base)` of every round with both sides above 0, in round order. */
export function logRatiosOf(cell: PairedCellInput): number[] {
  return [...cell.rounds]
    .sort((a, b) => a.round - b.round)
    .filter((round) => round.head > 0 && round.base > 0)
    .map((round) => Math.log(round.head / round.base));
}

interface PValues {
  readonly pSlower: number;
  readonly pFaster: number;
  /** Adjusted p-values used for the decision (the raw ones for the overall test). */
  readonly slower: number;
  readonly faster: number;
}

/** Median ratio, interval and verdict from `clusters` of log ratios and the tests' evidence. */
function estimateOf(
  clusters: readonly (readonly number[])[],
  evidence: PValues,
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
  const decision = decide(median(all), [lowLog, highLog], evidence, options);
  return { delta, deltaCi, pSlower: evidence.pSlower, pFaster: evidence.pFaster, ...decision };
}

/**
 * The verdict rules of docs/statistics.md ("Paired mode"), symmetric in the log ratio so that
 * swapping head and base mirrors every verdict: the band is `|ln ratio| ≤ −ln(1 − min-effect)`,
 * i.e. head at most min-effect slower than base, or base at most min-effect slower than head.
 * The evidence (change-evidence.ts) says what the rounds establish; the gate policy decides
 * which significant changes count (by default: the interval reaches the band and the estimate
 * is at least half of it: demanding the estimate itself beyond the band would catch a true
 * min-effect change only half the time). `same` when the interval lies inside the band;
 * otherwise `unknown`, and more rounds may decide.
 */
function decide(
  logDelta: number,
  logInterval: readonly [number, number],
  evidence: PValues,
  options: PairedOptions,
): Pick<PairedEstimate, 'verdict' | 'evidence' | 'reason'> {
  const alpha = options.alpha / Math.max(1, options.looks ?? 1);
  const bounds = symmetricBounds(options.minEffect);
  const rule = ruleOf(options.policy, 'paired');
  const test = {
    logEstimate: logDelta,
    logInterval,
    isWorse: evidence.slower <= alpha,
    isBetter: evidence.faster <= alpha,
  };
  const found = evidenceOf(test, bounds);
  const words = evidenceReason(found, bounds, options.figure ?? 'dps');
  const counted = countedDirection(rule, found, logDelta, bounds);
  if (counted !== undefined) {
    return { verdict: counted === 'worse' ? 'regressed' : 'improved', evidence: found, reason: words };
  }
  if (isInsideBounds(logInterval, bounds)) return { verdict: 'same', evidence: found, reason: words };
  return { verdict: 'unknown', evidence: found, reason: `${words}${notCountedNote(found, rule, options.minEffect)}` };
}

/** Why a change whose interval reaches the band does not count under `rule`. */
function notCountedNote(evidence: Evidence, rule: RegressionRule, minEffect: number): string {
  if (!evidence.endsWith('reaches')) return '';
  if (rule === 'established') return '; not established, which gate-policy established asks for';
  if (rule === 'estimate') return '; the estimate is short of it, which gate-policy estimate asks for';
  return `; the estimate is under ${formatNumber(minEffect / 2, 'level')}, half of min-effect`;
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
    evidence: 'unclear',
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
