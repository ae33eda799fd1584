/**
 * The formed-batch ceiling (docs/statistics.md §10.4): with U users each carrying I items, the
 * batcher never sees more than U × I items at once, so rows above that cannot differ. Pure.
 */
import type { Cell, RunResult } from '../model/run-result.js';

/** Largest batch size any cell's executions formed, from Triton's per-size counts. */
export function largestFormedBatch(cells: readonly Cell[]): number | undefined {
  const sizes = cells.flatMap((cell) => Object.keys(cell.server?.batchExecutions ?? {}).map(Number));
  return sizes.length === 0 ? undefined : Math.max(...sizes);
}

/** Most items the batcher can see at once: largest users × items per request (0: no cells). */
export function batchCeiling(run: RunResult): number {
  const users = run.cells.map((cell) => cell.users);
  return users.length === 0 ? 0 : Math.max(...users) * run.method.itemsPerRequest;
}

/** Rows that loaded above the ceiling, and what would exercise the largest of them. */
export interface BatchCeiling {
  /** Largest users × items per request of the run. */
  readonly ceiling: number;
  readonly maxUsers: number;
  readonly itemsPerRequest: number;
  /** The largest row that loaded above the ceiling. */
  readonly largestRowAbove: number;
  /** Largest batch Triton formed, when it reported its batch counts. */
  readonly largestFormed: number | undefined;
  /** Items per request that would let `maxUsers` users fill `largestRowAbove`. */
  readonly suggestedItemsPerRequest: number;
}

/** The ceiling, or undefined when no row that loaded is above it. */
export function findBatchCeiling(run: RunResult): BatchCeiling | undefined {
  const ceiling = batchCeiling(run);
  if (ceiling === 0) return undefined;
  const itemsPerRequest = run.method.itemsPerRequest;
  const maxUsers = ceiling / itemsPerRequest;
  const above = run.rows.filter((row) => row.status === 'ok' && row.maxBatch > ceiling).map((row) => row.maxBatch);
  if (above.length === 0) return undefined;
  const largestRowAbove = Math.max(...above);
  return {
    ceiling,
    maxUsers,
    itemsPerRequest,
    largestRowAbove,
    largestFormed: largestFormedBatch(run.cells),
    suggestedItemsPerRequest: Math.ceil(largestRowAbove / maxUsers),
  };
}
