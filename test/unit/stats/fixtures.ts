/**
 * Builders of RunResult / BaselineLoad values for the stats tests: only the fields the
 * statistics read are meaningful, the rest are plausible constants.
 */
import type { BaselineLoad } from '../../../src/model/baseline-store.js';
import type { Cell, CellStatus, RunResult, Trial } from '../../../src/model/run-result.js';

const LATENCY = { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 } as const;

/** A trial with the given dps (and `errors` failed requests). */
export function trial(dps: number, errors = 0, order = 0): Trial {
  return {
    requests: 480,
    items: 480 - errors,
    seconds: (480 - errors) / dps,
    dps,
    rps: dps,
    errors,
    errorsByStatus: errors > 0 ? { UNAVAILABLE: errors } : {},
    latencyMs: LATENCY,
    order,
  };
}

/** Options of {@link cell}. */
export interface CellSpec {
  readonly maxBatch: number;
  readonly users: number;
  readonly dps: readonly number[];
  readonly status?: CellStatus;
  readonly message?: string;
  /** dps of extra trials that had errors (recorded, never counted). */
  readonly erroredDps?: readonly number[];
}

/** A cell whose successful trials have the given dps values. */
export function cell(spec: CellSpec): Cell {
  const trials = [
    ...spec.dps.map((dps, index) => trial(dps, 0, index)),
    ...(spec.erroredDps ?? []).map((dps, index) => trial(dps, 7, spec.dps.length + index)),
  ];
  const sorted = [...spec.dps].sort((a, b) => a - b);
  const middle = sorted.length === 0 ? 0 : (sorted[(sorted.length - 1) >> 1] ?? 0);
  return {
    maxBatch: spec.maxBatch,
    users: spec.users,
    status: spec.status ?? 'ok',
    ...(spec.message === undefined ? {} : { message: spec.message }),
    trials,
    latencyMs: LATENCY,
    dpsMedian: middle,
    rpsMedian: middle,
    cv: 0,
    reruns: 0,
  };
}

/** A run holding `cells`. */
export function run(id: string, cells: readonly Cell[], sha = 'abc1234'): RunResult {
  return {
    schemaVersion: 1,
    id,
    benchmarkKey: 'demo',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:10:00Z',
    environment: {
      tritonVersion: '2.51.0',
      model: 'demo',
      modelVersion: '1',
      configHash: '0123456789abcdef',
      clientHost: 'runner-1',
      label: 'cpu',
    },
    method: {
      batchStrategy: 'reload',
      requests: 480,
      itemsPerRequest: 1,
      trials: 5,
      warmupRequests: null,
      inputs: ['INPUT0:FP32[16]:random'],
    },
    source: { sha, event: 'push' },
    seed: 1,
    rows: [],
    cells,
    isComplete: true,
    notes: [],
  };
}

/** A baseline pooling `runs`. */
export function baseline(runs: readonly RunResult[], selectedBy = 'merge-base'): BaselineLoad {
  return { runs, selectedBy, history: [], notes: [] };
}

/** The default gate settings (docs/statistics.md, defaults). */
export const DEFAULT_GATE = { alpha: 0.05, minEffect: 0.05 } as const;

/** `values` scaled by `factor` (a uniform speed change). */
export function scaled(values: readonly number[], factor: number): number[] {
  return values.map((value) => value * factor);
}
