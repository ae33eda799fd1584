/**
 * The history point of a run: its best dps per max_batch row for trend charts (docs/architecture.md#comparison-store-and-reports) and
 * its cell medians for run-to-run noise estimates.
 */
import { median } from 'simple-statistics';
import type { Cell, RunResult } from './run-result.js';
import { cellKey } from './cell-key.js';
import type { CellLatency, HistoryPoint } from './comparison.js';

/**
 * The HistoryPoint of `run`: for each max_batch row, the highest `dpsMedian` among its cells
 * that did not fail, every such cell's `dpsMedian`, its per-trial latency medians and (decoupled
 * models) its responses/s median. A row
 * whose cells all failed has no entry (a gap in the chart, not a zero that would read as a
 * collapse).
 */
export function historyPointOf(run: RunResult): HistoryPoint {
  const bestDps: Record<string, number> = {};
  const cellDps: Record<string, number> = {};
  const cellLatencyMs: Record<string, CellLatency> = {};
  const cellResponses: Record<string, number> = {};
  for (const cell of run.cells) {
    if (cell.status === 'failed' || !(cell.dpsMedian > 0)) continue;
    const row = String(cell.maxBatch);
    bestDps[row] = Math.max(bestDps[row] ?? 0, cell.dpsMedian);
    cellDps[cellKey(cell.maxBatch, cell.users)] = cell.dpsMedian;
    const latency = cellLatencyOf(cell);
    if (latency !== undefined) cellLatencyMs[cellKey(cell.maxBatch, cell.users)] = latency;
    const responses = cell.responsesPerSecondMedian;
    if (responses !== undefined && responses > 0) cellResponses[cellKey(cell.maxBatch, cell.users)] = responses;
  }
  return {
    runId: run.id,
    ...(run.source.sha === undefined ? {} : { sha: run.source.sha }),
    startedAt: run.startedAt,
    bestDps,
    cellDps,
    cellLatencyMs,
    ...(Object.keys(cellResponses).length === 0 ? {} : { cellResponses }),
  };
}

/** Medians of the successful trials' p50, p90 and p99; undefined without such trials. */
function cellLatencyOf(cell: Cell): CellLatency | undefined {
  const trials = cell.trials.filter((trial) => trial.errors === 0);
  if (trials.length === 0) return undefined;
  return {
    p50: median(trials.map((trial) => trial.latencyMs.p50)),
    p90: median(trials.map((trial) => trial.latencyMs.p90)),
    p99: median(trials.map((trial) => trial.latencyMs.p99)),
  };
}
