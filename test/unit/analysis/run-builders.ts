/**
 * Literal cells and runs for the analysis tests: a cell from its trials' dps (the median is
 * theirs), a run from its cells; only the fields a test cares about are passed.
 */
import type { Cell, Trial } from '../../../src/model/run-result.js';
import { makeRun } from '../report/make-comparison.js';

const LATENCY = { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 };

function trialOf(dps: number): Trial {
  return {
    requests: 100,
    items: 100,
    seconds: 100 / dps,
    dps,
    rps: dps,
    errors: 0,
    errorsByStatus: {},
    latencyMs: LATENCY,
    order: 0,
  };
}

function medianOf(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

/** A cell whose successful trials have `dps`; status `ok` unless `extra` says otherwise. */
export function cellOf(maxBatch: number, users: number, dps: readonly number[], extra: Partial<Cell> = {}): Cell {
  return {
    maxBatch,
    users,
    status: 'ok',
    trials: dps.map(trialOf),
    latencyMs: LATENCY,
    dpsMedian: medianOf(dps),
    rpsMedian: medianOf(dps),
    cv: 0.01,
    reruns: 0,
    ...extra,
  };
}

/** A run over `cells`, 1 item per request; a row per max_batch of the cells (loaded) unless given. */
export const runOf = makeRun;

/** Triton's statistics of a cell that formed batches of the given sizes (one execution each). */
export function formed(...sizes: number[]): Pick<Cell, 'server'> {
  const executions = Object.fromEntries(sizes.map((size) => [size, 1]));
  const items = sizes.reduce((sum, size) => sum + size, 0);
  return {
    server: {
      inferenceCount: items,
      executionCount: sizes.length,
      successCount: items,
      avgBatch: items / sizes.length,
      queueUs: 0,
      computeUs: 0,
      computeInferUs: 0,
      batchExecutions: executions,
    },
  };
}
