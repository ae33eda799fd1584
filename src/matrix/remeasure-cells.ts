/**
 * The confirmation run (docs/statistics.md): cells flagged `regressed` are measured once more, through
 * the same engine, before the gate may fail. Rows are re-applied through the controller and
 * restored afterwards, exactly as in the main run.
 */
import type { Config } from '../config/config.js';
import type { Cell } from '../model/run-result.js';
import { runMatrixRows, type MatrixDeps } from './run-matrix.js';

/** Cells to re-measure, by max_batch and users. */
export interface CellRef {
  readonly maxBatch: number;
  readonly users: number;
}

/** Re-measures `cells` (grouped by row); returns them marked `isConfirmation`. */
export async function remeasureCells(config: Config, deps: MatrixDeps, cells: readonly CellRef[]): Promise<Cell[]> {
  const out: Cell[] = [];
  const rows = [...new Set(cells.map((c) => c.maxBatch))];
  for (const maxBatch of rows) {
    const users = cells
      .filter((c) => c.maxBatch === maxBatch)
      .map((c) => c.users)
      .sort((a, b) => a - b);
    const subset: Config = {
      ...config,
      matrix: { ...config.matrix, maxBatch: [maxBatch], users, shard: { index: 1, count: 1 } },
    };
    const outcome = await runMatrixRows(subset, deps);
    out.push(...outcome.cells.map((cell) => ({ ...cell, isConfirmation: true })));
  }
  return out;
}
