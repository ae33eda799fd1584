/**
 * The max_batch × users grid every table is drawn from (docs/architecture.md#vocabulary): rows in the run's config
 * order, then rows only the baseline had; columns ascending. Cells are looked up by key so a
 * table never depends on the order of `cells` arrays. Also how prose names cells and users.
 */
import type { Cell, RunResult } from '../model/run-result.js';
import type { CellComparison, Comparison } from '../model/comparison.js';
import { formatNumber } from '../format-number.js';

/** A grid of the matrix with per-cell lookups. */
export interface MatrixView {
  /** max_batch values, one per table row. */
  readonly maxBatches: readonly number[];
  /** users values, one per table column, ascending. */
  readonly users: readonly number[];
  /** The run's measurement of a cell, if it measured it. */
  cell(maxBatch: number, users: number): Cell | undefined;
  /** The comparison of a cell, if any. */
  comparison(maxBatch: number, users: number): CellComparison | undefined;
}

/** `"32x8"`: the key of a cell (max_batch x users), as in `GateOutcome.regressedCells`. */
export function cellKey(maxBatch: number, users: number): string {
  return `${maxBatch}x${users}`;
}

/** `"max_batch 32 / 8 users"`: how prose names a cell. */
export function cellLabel(maxBatch: number, users: number): string {
  return `max_batch ${maxBatch} / ${usersLabel(users)}`;
}

/** `"1 user"`, `"8 users"`. */
function usersLabel(users: number): string {
  return `${users} ${users === 1 ? 'user' : 'users'}`;
}

/** `"1 trial"`, `"5 trials"`: a count and its noun, pluralised (`noun` + s). */
export function countLabel(count: number, noun: string): string {
  return `${formatNumber(count, 'count')} ${count === 1 ? noun : `${noun}s`}`;
}

/** `[1,2,3,4]` → `"1–4 users"`; `[1,2,4]` → `"1, 2 and 4 users"`; `[1]` → `"1 user"`. */
export function usersRange(users: readonly number[]): string {
  const first = users[0];
  const last = users.at(-1);
  if (first === undefined || last === undefined) return '';
  const noun = users.length === 1 && first === 1 ? 'user' : 'users';
  const isContiguous = users.length >= 2 && users.every((value, index) => value === first + index);
  return `${isContiguous ? `${first}–${last}` : joinWords(users.map(String))} ${noun}`;
}

/** `["8", "16", "32"]` → `"8, 16 and 32"`. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/** The grid of a comparison: the run's cells plus baseline-only (`missing`) cells. */
export function buildMatrixView(comparison: Comparison): MatrixView {
  return buildView(comparison.run, comparison.cells);
}

/** The grid of a run alone (CLI tables). */
export function buildRunView(run: RunResult): MatrixView {
  return buildView(run, []);
}

function buildView(run: RunResult, comparisons: readonly CellComparison[]): MatrixView {
  const cells = new Map(run.cells.map((cell) => [cellKey(cell.maxBatch, cell.users), cell]));
  const compared = new Map(comparisons.map((cell) => [cellKey(cell.maxBatch, cell.users), cell]));
  const maxBatches = uniqueInOrder([
    ...run.rows.map((row) => row.maxBatch),
    ...run.cells.map((cell) => cell.maxBatch),
    ...[...comparisons.map((cell) => cell.maxBatch)].sort((a, b) => a - b),
  ]);
  const users = uniqueInOrder([...run.cells, ...comparisons].map((cell) => cell.users)).sort((a, b) => a - b);
  return {
    maxBatches,
    users,
    cell: (maxBatch, userCount) => cells.get(cellKey(maxBatch, userCount)),
    comparison: (maxBatch, userCount) => compared.get(cellKey(maxBatch, userCount)),
  };
}

function uniqueInOrder(values: readonly number[]): number[] {
  return [...new Set(values)];
}
