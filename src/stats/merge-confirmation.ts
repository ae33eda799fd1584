/**
 * Pools a confirmation re-measurement into the run (docs/statistics.md: flagged cells are re-measured
 * once before the gate fails). The pooled cell is then compared again with `compareRun(...,
 * { confirmed })`; more trials give the rank test more resolution, and a fluke in the first
 * measurement is diluted rather than thrown away.
 */
import { median } from 'simple-statistics';
import type { Cell, RunResult } from '../model/run-result.js';
import { cellKey } from '../model/cell-key.js';
import { successfulDps, summarizeSample } from './summary.js';

/**
 * A copy of `run` in which every cell re-measured in `rerun` holds the trials of both
 * measurements, with `dpsMedian`, `rpsMedian` and `cv` recomputed over the successful ones,
 * `reruns` added up and `isConfirmation: true`. Latency percentiles and server statistics stay
 * those of the first measurement: percentiles of two histograms cannot be pooled from their
 * summaries, and the confirmation is about throughput only. `status` stays too (a cell that
 * loaded and measured is not made `failed` by a re-run whose trials errored; errored trials
 * never count, so such a re-run leaves the first measurement to decide).
 *
 * @param rerun re-measured cells; each must match a cell of `run` by (maxBatch, users)
 * @throws Error when a re-measured cell is not in the run (a pipeline bug)
 */
export function mergeConfirmation(run: RunResult, rerun: readonly Cell[]): RunResult {
  const byKey = new Map<string, Cell[]>();
  for (const cell of rerun) {
    const key = cellKey(cell.maxBatch, cell.users);
    byKey.set(key, [...(byKey.get(key) ?? []), cell]);
  }
  const runKeys = new Set(run.cells.map((cell) => cellKey(cell.maxBatch, cell.users)));
  for (const key of byKey.keys()) {
    if (!runKeys.has(key)) throw new Error(`mergeConfirmation: cell ${key} is not in run ${run.id}`);
  }
  const cells = run.cells.map((cell) => {
    const extra = byKey.get(cellKey(cell.maxBatch, cell.users));
    return extra === undefined ? cell : pooledCell(cell, extra);
  });
  return { ...run, cells };
}

function pooledCell(first: Cell, rerun: readonly Cell[]): Cell {
  const trials = [...first.trials, ...rerun.flatMap((cell) => cell.trials)];
  const dps = summarizeSample(successfulDps(trials));
  const rps = trials.filter((trial) => trial.errors === 0 && Number.isFinite(trial.rps));
  return {
    ...first,
    trials,
    dpsMedian: dps?.median ?? 0,
    rpsMedian: rps.length === 0 ? 0 : median(rps.map((trial) => trial.rps)),
    cv: dps?.cv ?? 0,
    reruns: first.reruns + rerun.reduce((sum, cell) => sum + cell.reruns, 0),
    isConfirmation: true,
  };
}
