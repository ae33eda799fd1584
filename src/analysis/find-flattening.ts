/**
 * The study's first question as data (docs/statistics.md §10.4): per users column, how dps
 * changes with max_batch and from which row it stops changing measurably, comparing only rows
 * that can form different batches (users × items per request in flight). Pure.
 */
import type { Cell } from '../model/run-result.js';
import { intervalOf, isMeasurablyDifferent, type DpsInterval } from './dps-interval.js';

/** The answer for one users column. */
export interface ColumnFlattening {
  readonly users: number;
  /** True when the column's largest compared row already holds users × items: nothing above can differ. */
  readonly isAtCeiling: boolean;
  /** Smallest max_batch from which no row's interval differs from the best cell's: where dps flattens. */
  readonly flatFrom: number;
  /** The column's smallest and largest compared rows. */
  readonly firstMaxBatch: number;
  readonly lastMaxBatch: number;
  /** Medians at the smallest row, at the `flatFrom` row and at the column's best row. */
  readonly firstDps: number;
  readonly flatDps: number;
  readonly bestDps: number;
}

/**
 * The smallest of `rows` that holds `items` in one batch; rows above it run the same batches
 * (at most `items` are in flight), so a difference between them is drift, not max_batch.
 */
function ceilingRowFor(rows: readonly number[], items: number): number {
  const holding = rows.filter((row) => row >= items);
  return holding.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...holding);
}

/** The cells' intervals per users column, rows above each column's ceiling row left out. */
function comparableColumns(cells: readonly Cell[], itemsPerRequest: number | undefined): Map<number, DpsInterval[]> {
  const rows = [...new Set(cells.map((cell) => cell.maxBatch))];
  const byUsers = new Map<number, DpsInterval[]>();
  for (const cell of cells) {
    const ceilingRow =
      itemsPerRequest === undefined ? Number.POSITIVE_INFINITY : ceilingRowFor(rows, cell.users * itemsPerRequest);
    if (cell.maxBatch > ceilingRow) continue;
    const interval = intervalOf(cell);
    if (interval !== undefined) byUsers.set(cell.users, [...(byUsers.get(cell.users) ?? []), interval]);
  }
  return byUsers;
}

/** One column's answer from its intervals (at least one). */
function flatteningOf(users: number, column: readonly DpsInterval[], itemsPerRequest?: number): ColumnFlattening {
  const sorted = [...column].sort((a, b) => a.maxBatch - b.maxBatch);
  const best = sorted.reduce((top, cell) => (cell.median > top.median ? cell : top));
  // Flat from the smallest row from which no larger row differs measurably from the best.
  const flatIndex = sorted.findIndex((_, i) => sorted.slice(i).every((cell) => !isMeasurablyDifferent(cell, best)));
  const flat = sorted[flatIndex] ?? best;
  const first = sorted[0] ?? best;
  const last = sorted.at(-1) ?? best;
  return {
    users,
    isAtCeiling: itemsPerRequest !== undefined && last.maxBatch >= users * itemsPerRequest,
    flatFrom: flat.maxBatch,
    firstMaxBatch: first.maxBatch,
    lastMaxBatch: last.maxBatch,
    firstDps: first.median,
    flatDps: flat.median,
    bestDps: best.median,
  };
}

/**
 * Per users column with at least two comparable rows, ascending by users: where dps stops
 * changing measurably. `itemsPerRequest` (default: unknown, every row compared) sets each
 * column's ceiling row, the smallest row that holds users × items; rows above it are left out.
 */
export function findFlattening(cells: readonly Cell[], itemsPerRequest?: number): ColumnFlattening[] {
  return [...comparableColumns(cells, itemsPerRequest).entries()]
    .filter(([, column]) => column.length >= 2)
    .sort(([a], [b]) => a - b)
    .map(([users, column]) => flatteningOf(users, column, itemsPerRequest));
}

/** Users columns in which no row can batch more than the smallest row. */
export interface UnbatchableColumns {
  /** Ascending users values with users × items per request ≤ `smallestRow`. */
  readonly users: readonly number[];
  /** The smallest max_batch of the cells. */
  readonly smallestRow: number;
}

/**
 * The columns whose every item in flight fits the smallest row, so max_batch cannot change what
 * is batched there (`findFlattening` leaves them out: one comparable row); undefined when none
 * or when the items per request are unknown.
 */
export function findUnbatchableColumns(
  cells: readonly Cell[],
  itemsPerRequest?: number,
): UnbatchableColumns | undefined {
  if (itemsPerRequest === undefined || cells.length === 0) return undefined;
  const smallestRow = Math.min(...cells.map((cell) => cell.maxBatch));
  const users = [...new Set(cells.map((cell) => cell.users))]
    .filter((count) => count * itemsPerRequest <= smallestRow)
    .sort((a, b) => a - b);
  return users.length === 0 ? undefined : { users, smallestRow };
}
