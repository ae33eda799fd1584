/**
 * A cell's dps interval (docs/statistics.md §10.4): the range of its successful trials' dps, and
 * the one test of a difference the conclusions use, two intervals that share no value. Pure.
 */
import type { Cell } from '../model/run-result.js';

/**
 * A cell's dps interval: the lowest and highest of its successful trials. For n trials this
 * range holds the true median with probability 1 − 2^(1−n) (94 % for 5 trials).
 */
export interface DpsInterval {
  readonly maxBatch: number;
  readonly users: number;
  /** The cell's stored median dps. */
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/** The interval of a cell with at least two successful trials, else undefined. */
export function intervalOf(cell: Cell): DpsInterval | undefined {
  if (cell.status === 'failed') return undefined;
  const dps = cell.trials.filter((t) => t.errors === 0).map((t) => t.dps);
  if (dps.length < 2) return undefined;
  return {
    maxBatch: cell.maxBatch,
    users: cell.users,
    median: cell.dpsMedian,
    low: Math.min(...dps),
    high: Math.max(...dps),
  };
}

/** True when the two intervals (closed ranges) share no value: the only case a difference is claimed. */
export function isMeasurablyDifferent(a: DpsInterval, b: DpsInterval): boolean {
  return a.high < b.low || b.high < a.low;
}
