/**
 * The history point of a run: its best dps per max_batch row for trend charts (docs/architecture.md#comparison-store-and-reports) and
 * its cell medians for run-to-run noise estimates.
 */
import type { RunResult } from './run-result.js';
import { cellKey } from './cell-key.js';
import type { HistoryPoint } from './comparison.js';

/**
 * The HistoryPoint of `run`: for each max_batch row, the highest `dpsMedian` among its cells
 * that did not fail, and every such cell's `dpsMedian`. A row whose cells all failed has no
 * entry (a gap in the chart, not a zero that would read as a collapse).
 */
export function historyPointOf(run: RunResult): HistoryPoint {
  const bestDps: Record<string, number> = {};
  const cellDps: Record<string, number> = {};
  for (const cell of run.cells) {
    if (cell.status === 'failed' || !(cell.dpsMedian > 0)) continue;
    const row = String(cell.maxBatch);
    bestDps[row] = Math.max(bestDps[row] ?? 0, cell.dpsMedian);
    cellDps[cellKey(cell.maxBatch, cell.users)] = cell.dpsMedian;
  }
  return {
    runId: run.id,
    ...(run.source.sha === undefined ? {} : { sha: run.source.sha }),
    startedAt: run.startedAt,
    bestDps,
    cellDps,
  };
}
