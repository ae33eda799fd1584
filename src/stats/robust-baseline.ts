/**
 * The baseline as the statistics use it: stored runs that are outliers against the others (or
 * against history) are set aside first, and named (docs/statistics.md §2.4).
 */
import type { BaselineLoad } from '../model/baseline-store.js';
import type { RunResult } from '../model/run-result.js';
import { historyNoise } from './between-run-noise.js';
import { cellKey } from '../model/cell-key.js';
import type { OutlierRun } from '../model/comparison.js';
import { findOutlierRuns, type RunMedians } from './outlier-runs.js';
import { medianOf } from './robust-spread.js';
import { successfulDps } from './summary.js';

/** The baseline with outlier runs removed, and those runs. */
export interface RobustBaseline {
  readonly baseline: BaselineLoad;
  readonly outliers: readonly OutlierRun[];
}

/**
 * Sets aside baseline runs that sit far off the others (outlier-runs.ts). Their history points
 * stay: the history estimate is a median of many differences and shrugs off one run.
 */
export function robustBaseline(baseline: BaselineLoad, minEffect: number): RobustBaseline {
  const ids = new Set(baseline.runs.map((run) => run.id));
  const others = baseline.history.filter((point) => !ids.has(point.runId));
  const fromHistory = historyNoise(baseline.history);
  const outliers = findOutlierRuns(baseline.runs.map(runMediansOf), {
    historyLevel: historyLevelOf(others),
    historyCv: fromHistory?.cv,
    minEffect,
  });
  if (outliers.length === 0) return { baseline, outliers };
  const out = new Set(outliers.map((run) => run.id));
  return { baseline: { ...baseline, runs: baseline.runs.filter((run) => !out.has(run.id)) }, outliers };
}

function runMediansOf(run: RunResult): RunMedians {
  const cells = new Map<string, number>();
  for (const cell of run.cells) {
    const values = successfulDps(cell.trials);
    if (cell.status !== 'failed' && values.length > 0) cells.set(cellKey(cell.maxBatch, cell.users), medianOf(values));
  }
  return { id: run.id, cells };
}

/** Per cell, the median log dps over the given history points. */
function historyLevelOf(points: readonly BaselineLoad['history'][number][]): Map<string, number> {
  const logs = new Map<string, number[]>();
  for (const point of points) {
    for (const [key, value] of Object.entries(point.cellDps ?? {})) {
      if (!(value > 0)) continue;
      const list = logs.get(key) ?? [];
      list.push(Math.log(value));
      logs.set(key, list);
    }
  }
  return new Map([...logs].map(([key, values]) => [key, medianOf(values)] as const));
}
