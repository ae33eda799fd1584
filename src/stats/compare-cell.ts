/**
 * One cell's comparison, in two stages because Benjamini-Hochberg needs every cell's p-value
 * before any verdict (docs/statistics.md): `cellEvidence` summarises both sides and runs the tests;
 * `compareCell` turns that evidence plus the cell's q-values into a verdict and a reason.
 */
import type { Cell } from '../model/run-result.js';
import { betweenRunPValues, type BetweenRunPValues } from './between-run-noise.js';
import type { CellComparison, SideSummary, Verdict } from '../model/comparison.js';
import type { Evidence } from '../model/evidence.js';
import type { GatePolicy } from '../config/config.js';
import { formatNumber } from '../format-number.js';
import { probit } from 'simple-statistics';
import { countedDirection, evidenceOf, ruleOf, thresholdBounds } from './change-evidence.js';
import { evidenceReason, type ChangeFigure } from './evidence-words.js';
import { mannWhitneyU, type MannWhitneyResult } from './mann-whitney.js';
import {
  successfulDps,
  summarizeBaseline,
  summarizeSample,
  type BaselineSummary,
  type SampleSummary,
} from './summary.js';

/**
 * Fewest successful trials a side needs to be compared. Below 3, a rank test cannot reach
 * p < 0.05 at all (1 vs n: min p = 1/(n+1)) and a CV means nothing.
 */
export const MIN_TRIALS = 3;

/**
 * Noise (baseline) or CV (current) above which a cell that shows no significant change is
 * `inconclusive`, not `unchanged`: the threshold `2 × noise` would be beyond 50%, so "no change"
 * would claim more than the data say. A clear, significant change is still reported.
 */
export const MAX_USEFUL_NOISE = 0.25;

/** Both sides summarised and tested; waiting for its q-values. */
export interface TestedCell {
  readonly kind: 'tested';
  readonly cell: Cell;
  readonly current: SampleSummary;
  readonly baseline: BaselineSummary;
  /** `median(current) / median(baseline) − 1`. */
  readonly delta: number;
  /** Baseline noise: `max(baseline.withinRunCv, run-to-run noise)`, both robust spreads. */
  readonly noise: number;
  /** `max(minEffect, 2 × noise)`. */
  readonly threshold: number;
  /**
   * Standard error of `ln(current median / baseline median)` the between-run test uses,
   * `run-to-run noise · √(1 + 1/R)`: the interval's half-width is `z_(1−alpha)` times it.
   */
  readonly logSe: number;
  /** The rank test on trials. */
  readonly rankTest: MannWhitneyResult;
  /** The test of the median against run-to-run noise. */
  readonly betweenRunTest: BetweenRunPValues;
  /** "Current is slower": the larger p of the two tests (both must reject). */
  readonly pLess: number;
  /** "Current is faster": likewise. */
  readonly pGreater: number;
}

/** A cell whose verdict needs no test (`failed`, `new`, `inconclusive` for lack of trials). */
export interface SettledCell {
  readonly kind: 'settled';
  readonly comparison: CellComparison;
}

/** Result of {@link cellEvidence}. */
export type CellEvidence = TestedCell | SettledCell;

/** q-values of a tested cell: one per direction, each adjusted within its own family. */
export interface CellQValues {
  /** BH-adjusted `pLess` ("current is slower"). */
  readonly less: number;
  /** BH-adjusted `pGreater` ("current is faster"). */
  readonly greater: number;
}

/** What a cell's evidence needs from the gate and the rest of the matrix. */
export interface EvidenceContext {
  /** The gate's smallest relative change that can count (0.05 = 5%). */
  readonly minEffect: number;
  /** Run-to-run noise of a median (`betweenRunNoise(...).cv`, measured or assumed). */
  readonly betweenRunCv: number;
}

/** The baseline side of one cell. */
export interface CellBaseline {
  /** Baseline runs that have this cell at all (0: the cell is new). */
  readonly cellCount: number;
  /** Their successful trials summarised; undefined when none succeeded. */
  readonly summary: BaselineSummary | undefined;
}

/**
 * The baseline side of a cell from its cells in the pooled baseline runs (any order).
 */
export function cellBaselineOf(baselineCells: readonly Cell[]): CellBaseline {
  return {
    cellCount: baselineCells.length,
    summary: summarizeBaseline(baselineCells.map((cell) => successfulDps(cell.trials))),
  };
}

/**
 * First stage: summarise and test one current cell against its baseline.
 *
 * @param current the run's cell
 * @param cellBaseline the same (maxBatch, users) cell of the pooled baseline runs
 */
export function cellEvidence(current: Cell, cellBaseline: CellBaseline, context: EvidenceContext): CellEvidence {
  const baseline = cellBaseline.summary;
  const currentSummary = summarizeSample(successfulDps(current.trials));
  const settle = (verdict: Verdict, reason: string): SettledCell => ({
    kind: 'settled',
    comparison: {
      maxBatch: current.maxBatch,
      users: current.users,
      verdict,
      reason,
      ...(currentSummary === undefined ? {} : { current: currentSide(currentSummary) }),
      ...(baseline === undefined ? {} : { baseline: baselineSide(baseline) }),
    },
  });
  if (current.status === 'failed') {
    return settle('failed', current.message === undefined ? 'cell failed' : `cell failed: ${current.message}`);
  }
  if (cellBaseline.cellCount === 0) return settle('new', 'no baseline for this cell');
  const shortage = trialShortage(currentSummary?.count ?? 0, baseline?.count ?? 0);
  if (shortage !== undefined || currentSummary === undefined || baseline === undefined) {
    return settle('inconclusive', shortage ?? '');
  }
  if (baseline.median <= 0 || currentSummary.median <= 0) {
    // Cannot come from real trials (an error-free trial carries items); guards the logarithms.
    return settle('inconclusive', 'median dps is 0');
  }
  return testedCell(current, currentSummary, baseline, context);
}

function testedCell(
  cell: Cell,
  current: SampleSummary,
  baseline: BaselineSummary,
  context: EvidenceContext,
): TestedCell {
  const rankTest = mannWhitneyU(current.values, baseline.values);
  const betweenRunTest = betweenRunPValues(current.median, baseline.runMedians, context.betweenRunCv);
  const noise = Math.max(baseline.withinRunCv, context.betweenRunCv);
  return {
    kind: 'tested',
    cell,
    current,
    baseline,
    delta: current.median / baseline.median - 1,
    noise,
    logSe: context.betweenRunCv * Math.sqrt(1 + 1 / baseline.runMedians.length),
    threshold: Math.max(context.minEffect, 2 * noise),
    rankTest,
    betweenRunTest,
    // Intersection-union: "slower" needs both the trials and the medians to say so, so the
    // larger p is a valid p-value for it (Berger 1982).
    pLess: Math.max(rankTest.pLess, betweenRunTest.pLess),
    pGreater: Math.max(rankTest.pGreater, betweenRunTest.pGreater),
  };
}

/** How {@link compareCell} decides and words a verdict. */
export interface VerdictOptions {
  /** The gate's false-discovery level; the interval is at level `1 − 2·alpha`. */
  readonly alpha: number;
  /** Which significant changes count (default `auto`: `estimate` in stored mode). */
  readonly policy?: GatePolicy;
  /** What the trials measure, for the words (default `dps`; latency is compared as a rate). */
  readonly figure?: ChangeFigure;
}

/**
 * Second stage: the verdict of a tested cell (docs/statistics.md §4). The evidence
 * (change-evidence.ts) comes from the BH-adjusted one-sided p-values (the larger p of the rank
 * test and the between-run test) and the between-run test's interval of the change; the gate
 * policy decides which significant changes count (by default, stored mode's rule: the median
 * change itself at least the threshold). `regressed` and `improved` are the counted changes; a
 * significant change whose interval reaches the threshold but is not counted is
 * `inconclusive`; otherwise `unchanged`, or `inconclusive` when a side is too noisy for
 * "unchanged" to mean anything.
 */
export function compareCell(tested: TestedCell, q: CellQValues, settings: VerdictOptions): CellComparison {
  const { delta, threshold } = tested;
  const isSlower = delta <= 0;
  const qValue = isSlower ? q.less : q.greater;
  const logInterval = intervalOf(tested, settings.alpha);
  const { verdict, reason, evidence } = verdictOf(tested, q, logInterval, settings);
  // Built in one literal: this runs for every cell of every simulated run in the gate tests.
  return {
    maxBatch: tested.cell.maxBatch,
    users: tested.cell.users,
    verdict,
    reason,
    current: currentSide(tested.current),
    baseline: baselineSide(tested.baseline),
    delta,
    deltaCi: [Math.exp(logInterval[0]) - 1, Math.exp(logInterval[1]) - 1],
    evidence,
    pValue: isSlower ? tested.pLess : tested.pGreater,
    qValue,
    threshold,
    noise: tested.noise,
  };
}

/** The between-run test inverted: `ln(1 + delta) ± z_(1−alpha) · logSe`. */
function intervalOf(tested: TestedCell, alpha: number): readonly [number, number] {
  const centre = Math.log(1 + tested.delta);
  const half = probit(1 - alpha) * tested.logSe;
  return [centre - half, centre + half];
}

function verdictOf(
  tested: TestedCell,
  q: CellQValues,
  logInterval: readonly [number, number],
  options: VerdictOptions,
): { verdict: Verdict; reason: string; evidence: Evidence } {
  const { delta, threshold } = tested;
  const { alpha } = options;
  const logEstimate = Math.log(1 + delta);
  const bounds = thresholdBounds(threshold);
  const evidence = evidenceOf(
    { logEstimate, logInterval, isWorse: q.less <= alpha, isBetter: q.greater <= alpha },
    bounds,
  );
  const qValue = delta <= 0 ? q.less : q.greater;
  const figure = options.figure ?? 'dps';
  // Latency is compared as a rate: the reason shows the change of the latency itself.
  const shown = figure === 'dps' ? delta : 1 / (1 + delta) - 1;
  const why = `${formatNumber(shown, 'delta')} (q ${formatNumber(qValue, 'pvalue')}): ${evidenceReason(evidence, bounds, figure)}`;
  const counted = countedDirection(ruleOf(options.policy, 'stored'), evidence, logEstimate, bounds);
  if (counted !== undefined) return { verdict: counted === 'worse' ? 'regressed' : 'improved', reason: why, evidence };
  const noisySide = tooNoisy(tested);
  if (noisySide !== undefined) return { verdict: 'inconclusive', reason: noisySide, evidence };
  if (evidence.endsWith('reaches')) {
    return {
      verdict: 'inconclusive',
      reason: `${why}; not counted under gate-policy ${ruleOf(options.policy, 'stored')}`,
      evidence,
    };
  }
  return { verdict: 'unchanged', reason: why, evidence };
}

function currentSide(summary: SampleSummary): SideSummary {
  return { dpsMedian: summary.median, trials: summary.count, cv: summary.cv };
}

function baselineSide(summary: BaselineSummary): SideSummary {
  return { dpsMedian: summary.median, trials: summary.count, cv: summary.cv, runs: summary.runs };
}

/** `"2 baseline trials, need 3"`, or undefined when both sides have enough. */
function trialShortage(currentCount: number, baselineCount: number): string | undefined {
  const isCurrentShort = currentCount < MIN_TRIALS;
  const isBaselineShort = baselineCount < MIN_TRIALS;
  if (isCurrentShort && isBaselineShort) {
    return `${currentCount} current and ${baselineCount} baseline trials, need ${MIN_TRIALS} each`;
  }
  if (isCurrentShort) return `${currentCount} current ${plural(currentCount)}, need ${MIN_TRIALS}`;
  if (isBaselineShort) return `${baselineCount} baseline ${plural(baselineCount)}, need ${MIN_TRIALS}`;
  return undefined;
}

function plural(count: number): string {
  return count === 1 ? 'trial' : 'trials';
}

function tooNoisy(tested: TestedCell): string | undefined {
  if (tested.noise > MAX_USEFUL_NOISE) {
    return `baseline noise ${formatNumber(tested.noise, 'percent')} is too high to tell`;
  }
  if (tested.current.robustCv > MAX_USEFUL_NOISE) {
    return `current trial spread ${formatNumber(tested.current.robustCv, 'percent')} (robust CV) is too high to tell`;
  }
  return undefined;
}
