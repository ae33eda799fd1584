/**
 * The study's first question as data, one finding per users column (docs/answers.md#differences-between-rows):
 * the gap between the column's slowest and fastest rows with what backs it, and the gap among the
 * rows that all hold every item in flight, which batching cannot explain. The formed-batch
 * ceiling is an explanation attached to a gap, never a reason to leave a row out. Pure.
 */
import type { Cell } from '../model/run-result.js';
import { gapBetween, goodTrials, type RowGap } from './row-gap.js';

/** What one users column shows. */
export interface ColumnFinding {
  readonly users: number;
  /**
   * The largest batch the load can form: users × items per request (no more are in flight), or
   * items per request when the model has no dynamic batcher (each request runs alone).
   */
  readonly itemsInFlight: number;
  /** max_batch of the compared (not failed) cells, ascending. */
  readonly rows: readonly number[];
  /** The column's slowest and fastest rows. */
  readonly gap: RowGap;
  /**
   * Among the rows whose max_batch is at least `itemsInFlight` (each can form every batch the
   * load allows, the same batches): their slowest and fastest, when there are two or more.
   * Batching cannot explain this gap.
   */
  readonly sameBatchGap: RowGap | undefined;
  /** True when every compared row is at least `itemsInFlight`: `sameBatchGap` is the whole column. */
  readonly isAllSameBatch: boolean;
  /** True when a compared cell has a single successful trial. */
  readonly hasSingleTrial: boolean;
  /** True when a compared cell is `noisy` (its range is wide: a gap may hide in it). */
  readonly hasNoisy: boolean;
}

/** The slowest and fastest of `cells` (at least two). */
function extremes(cells: readonly Cell[]): RowGap {
  const sorted = [...cells].sort((a, b) => a.dpsMedian - b.dpsMedian || a.maxBatch - b.maxBatch);
  const slowest = sorted[0];
  const fastest = sorted.at(-1);
  if (slowest === undefined || fastest === undefined) throw new Error('extremes of fewer than two cells (a bug)');
  return gapBetween(slowest, fastest);
}

/** What decides the largest batch a column's load can form. */
export interface BatchingOfRun {
  readonly itemsPerRequest: number;
  /** False when the model has no `dynamic_batching` (environment.batching); unknown counts as batching. */
  readonly isDynamic: boolean;
}

/** One column's finding from its compared cells (at least two). */
function findingOf(users: number, cells: readonly Cell[], batching: BatchingOfRun): ColumnFinding {
  const itemsInFlight = batching.isDynamic ? users * batching.itemsPerRequest : batching.itemsPerRequest;
  const holding = cells.filter((cell) => cell.maxBatch >= itemsInFlight);
  return {
    users,
    itemsInFlight,
    rows: cells.map((cell) => cell.maxBatch).sort((a, b) => a - b),
    gap: extremes(cells),
    sameBatchGap: holding.length >= 2 ? extremes(holding) : undefined,
    isAllSameBatch: holding.length === cells.length,
    hasSingleTrial: cells.some((cell) => goodTrials(cell) < 2),
    hasNoisy: cells.some((cell) => cell.status === 'noisy'),
  };
}

/**
 * Per users column with at least two measured rows, ascending by users. Failed cells and cells
 * without a successful trial are the only ones left out; every other row is compared.
 */
export function findColumnFindings(cells: readonly Cell[], batching: BatchingOfRun): ColumnFinding[] {
  const byUsers = new Map<number, Cell[]>();
  for (const cell of cells) {
    if (cell.status === 'failed' || goodTrials(cell) === 0) continue;
    byUsers.set(cell.users, [...(byUsers.get(cell.users) ?? []), cell]);
  }
  return [...byUsers.entries()]
    .filter(([, column]) => column.length >= 2)
    .sort(([a], [b]) => a - b)
    .map(([users, column]) => findingOf(users, column, batching));
}
