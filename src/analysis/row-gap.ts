/**
 * How two cells of one users column differ (docs/answers.md#differences-between-rows): the size
 * of the gap between their medians and what backs it, the trials' ranges when both cells have
 * two or more trials (dps-interval.ts), else a single observation. Pure.
 */
import type { Cell } from '../model/run-result.js';
import type { NoiseBasis } from '../model/recommendation.js';
import { intervalOf, isMeasurablyDifferent } from './dps-interval.js';

/**
 * Below this relative gap a single-trial difference is not read as one: with no second trial
 * there is no spread to judge by, and 5 % (the default `min-effect`) is the smallest change the
 * gate itself cares about.
 */
export const SINGLE_TRIAL_TOLERANCE = 0.05;

/**
 * What backs a gap: `measured` (the trials' ranges do not overlap), `within-spread` (they
 * overlap: no measurable difference) or `single-trial` (a cell has one trial: observed once).
 */
export type GapEvidence = 'measured' | 'within-spread' | 'single-trial';

/** One row of a column as the findings name it. */
export interface RowFigure {
  readonly maxBatch: number;
  /** The cell's median dps. */
  readonly dps: number;
}

/** The slower and the faster of two rows of one column. */
export interface RowGap {
  readonly slower: RowFigure;
  readonly faster: RowFigure;
  /** `faster.dps / slower.dps − 1`, at least 0. */
  readonly size: number;
  readonly evidence: GapEvidence;
}

/** The gap between two cells of one column (either order). */
export function gapBetween(a: Cell, b: Cell): RowGap {
  const [slower, faster] = a.dpsMedian <= b.dpsMedian ? [a, b] : [b, a];
  const low = intervalOf(slower);
  const high = intervalOf(faster);
  const evidence: GapEvidence =
    low === undefined || high === undefined
      ? 'single-trial'
      : isMeasurablyDifferent(low, high)
        ? 'measured'
        : 'within-spread';
  return {
    slower: { maxBatch: slower.maxBatch, dps: slower.dpsMedian },
    faster: { maxBatch: faster.maxBatch, dps: faster.dpsMedian },
    size: slower.dpsMedian > 0 ? faster.dpsMedian / slower.dpsMedian - 1 : 0,
    evidence,
  };
}

/**
 * True when a gap is a difference worth stating as one: measured, or observed once and at least
 * {@link SINGLE_TRIAL_TOLERANCE}.
 */
export function isNotableGap(gap: RowGap): boolean {
  return gap.evidence === 'measured' || (gap.evidence === 'single-trial' && gap.size >= SINGLE_TRIAL_TOLERANCE);
}

/** Whether `cell` is within noise of `best` (the column's best), and on what basis. */
export function withinNoiseOf(cell: Cell, best: Cell): { readonly isWithin: boolean; readonly basis: NoiseBasis } {
  const gap = gapBetween(cell, best);
  if (gap.evidence === 'single-trial') return { isWithin: !isNotableGap(gap), basis: 'single-trial' };
  return { isWithin: gap.evidence === 'within-spread', basis: 'measured' };
}

/** Successful trials of a cell. */
export function goodTrials(cell: Cell): number {
  return cell.trials.filter((trial) => trial.errors === 0).length;
}
