/**
 * Small literal RunResult / Comparison builders for the report unit tests: only the fields a
 * test cares about are passed, the rest get plain defaults.
 */
import type { Cell, Row, RunResult } from '../../../src/model/run-result.js';
import type { CellComparison, Comparison, Verdict } from '../../../src/model/comparison.js';

/** A measured cell with `dps` as its median; `status` defaults to `ok`. */
export function makeCell(maxBatch: number, users: number, dps: number, extra: Partial<Cell> = {}): Cell {
  return {
    maxBatch,
    users,
    status: 'ok',
    trials: [],
    latencyMs: { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 },
    dpsMedian: dps,
    rpsMedian: dps,
    cv: 0.01,
    reruns: 0,
    ...extra,
  };
}

/** A run over `cells`; rows are derived from the cells unless given. */
export function makeRun(cells: readonly Cell[], extra: Partial<RunResult> = {}): RunResult {
  const rows: Row[] = [...new Set(cells.map((cell) => cell.maxBatch))].map((maxBatch) => ({
    maxBatch,
    model: 'demo',
    status: 'ok',
    applySeconds: 1,
  }));
  return {
    schemaVersion: 1,
    id: 'run-1',
    benchmarkKey: 'demo',
    startedAt: '2026-04-21T09:30:00Z',
    finishedAt: '2026-04-21T09:40:00Z',
    environment: {
      tritonVersion: '2.51.0',
      model: 'demo',
      modelVersion: '1',
      configHash: '0123456789abcdef',
      clientHost: 'host',
      label: '',
    },
    method: { batchStrategy: 'reload', requests: 480, itemsPerRequest: 1, trials: 5, warmupRequests: null, inputs: [] },
    source: {},
    seed: 1,
    rows,
    cells,
    isComplete: true,
    notes: [],
    ...extra,
  };
}

/** A comparison of `run` in which every cell gets `verdict` (default `unchanged`, Δ 0). */
export function makeComparison(
  run: RunResult,
  extra: Partial<Comparison> = {},
  verdict: Verdict = 'unchanged',
): Comparison {
  const cells: CellComparison[] = run.cells.map((cell) => ({
    maxBatch: cell.maxBatch,
    users: cell.users,
    verdict,
    reason: 'test',
    current: { dpsMedian: cell.dpsMedian, trials: 5, cv: cell.cv },
    baseline: { dpsMedian: cell.dpsMedian, trials: 5, cv: 0.01 },
    delta: 0,
  }));
  const counts = { regressed: 0, failed: 0, improved: 0, unchanged: 0, inconclusive: 0, new: 0, missing: 0 };
  counts[verdict] = cells.length;
  return {
    run,
    baseline: { runIds: ['base-1'], sha: 'a'.repeat(40), selectedBy: 'merge-base' },
    cells,
    summary: { counts },
    history: [],
    notes: [],
    ...extra,
  };
}
