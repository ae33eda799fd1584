/**
 * Pure checks that a shard's result holds what its shard should (docs/reliability.md, "Exit
 * codes and verdicts"): `merge` refuses a shard without cells, one with cells of rows that are
 * not its own, one that lacks cells of its rows (cancelled or cut short), and one marked
 * incomplete with nothing failed to explain it (interrupted, or its model not restored). A
 * merged run missing a row would otherwise pass as complete.
 */
import { cellKey } from './cell-key.js';
import type { RunResult, ShardOfRun } from './run-result.js';

/** The rows shard `index` of `count` runs: every `count`-th row starting at `index` (1-based). */
export function rowsOfShard(shard: ShardOfRun): number[] {
  return shard.maxBatch.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * What is wrong with the cells of one shard's run, or `undefined`. `users` is every users value
 * seen in any shard: each shard measures every users value of each of its rows.
 */
export function shardContentProblem(run: RunResult, shard: ShardOfRun, users: readonly number[]): string | undefined {
  const rows = rowsOfShard(shard);
  const name = `shard ${shard.index}/${shard.count}`;
  if (run.cells.length === 0) return `${name} has no cells: it measured nothing (re-run that shard)`;
  const foreign = [...new Set(run.cells.map((cell) => cell.maxBatch).filter((row) => !rows.includes(row)))];
  if (foreign.length > 0)
    return `${name} holds cells of max_batch ${foreign.join(', ')}, which are not its rows (${rows.join(', ')}): not this shard's result`;
  const have = new Set(run.cells.map((cell) => cellKey(cell.maxBatch, cell.users)));
  const missing = rows.flatMap((row) => users.filter((u) => !have.has(cellKey(row, u))).map((u) => cellKey(row, u)));
  if (missing.length > 0)
    return `${name} lacks cells ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}: it was cancelled or cut short (re-run that shard)`;
  const isExplained = run.rows.some((row) => row.status === 'failed') || run.cells.some((c) => c.status === 'failed');
  if (!run.isComplete && !isExplained) {
    const why = run.notes[0] === undefined ? '' : ` (${run.notes[0]})`;
    return `${name} is incomplete though no row or cell failed: it was interrupted or did not restore its model${why} (re-run that shard)`;
  }
  return undefined;
}
