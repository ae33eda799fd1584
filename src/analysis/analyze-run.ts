/**
 * What one run shows, as data (docs/statistics.md §10.4): per users column where dps flattens,
 * the formed-batch ceiling, whether the largest max_batch runs, the best cell, the rows that
 * failed to load, the noisy cells and the server cross-check. report/ words it; nothing here is
 * text, so the markdown report, the terminal and any later output state the same facts. Pure.
 */
import type { Cell, RunResult } from '../model/run-result.js';
import { findBatchCeiling, type BatchCeiling } from './batch-ceiling.js';
import { findCapacityAnswer, type CapacityAnswer } from './capacity-answer.js';
import { findCrossCheck, type CrossCheck } from './cross-check.js';
import {
  findFlattening,
  findUnbatchableColumns,
  type ColumnFlattening,
  type UnbatchableColumns,
} from './find-flattening.js';

/** The stable cell with the highest median dps. */
export interface BestCell {
  readonly maxBatch: number;
  readonly users: number;
  readonly dps: number;
  readonly p99Ms: number;
  /** Triton's average formed batch, when it reported statistics. */
  readonly avgBatch: number | undefined;
}

/** A cell still unstable after its re-runs. */
export interface NoisyCell {
  readonly maxBatch: number;
  readonly users: number;
  /** The robust spread (1.4826·MAD/median) when the run stored it, else the CV. */
  readonly spread: number;
}

/** Everything `analyzeRun` finds; absent answers are `undefined`, empty lists `[]`. */
export interface RunAnalysis {
  /** Per users column with two comparable rows (find-flattening.ts). */
  readonly flattening: readonly ColumnFlattening[];
  readonly unbatchable: UnbatchableColumns | undefined;
  readonly batchCeiling: BatchCeiling | undefined;
  readonly capacity: CapacityAnswer | undefined;
  readonly best: BestCell | undefined;
  /** max_batch values of rows that could not be loaded, in run order. */
  readonly failedRows: readonly number[];
  /** Largest max_batch of a row that loaded. */
  readonly largestServed: number | undefined;
  readonly noisy: readonly NoisyCell[];
  readonly crossCheck: CrossCheck | undefined;
}

/**
 * The best cell among `ok` cells only: a noisy cell's median is the one figure not to build on.
 * Undefined when no cell is `ok` with dps above 0.
 */
export function findBestCell(cells: readonly Cell[]): BestCell | undefined {
  const best = cells
    .filter((cell) => cell.status === 'ok' && cell.dpsMedian > 0)
    .reduce<Cell | undefined>(
      (top, cell) => (top === undefined || cell.dpsMedian > top.dpsMedian ? cell : top),
      undefined,
    );
  if (best === undefined) return undefined;
  return {
    maxBatch: best.maxBatch,
    users: best.users,
    dps: best.dpsMedian,
    p99Ms: best.latencyMs.p99,
    avgBatch: best.server?.avgBatch,
  };
}

/** Derives {@link RunAnalysis} from the rows and cells of `run`. */
export function analyzeRun(run: RunResult): RunAnalysis {
  const served = run.rows.filter((row) => row.status === 'ok').map((row) => row.maxBatch);
  return {
    flattening: findFlattening(run.cells, run.method.itemsPerRequest),
    unbatchable: findUnbatchableColumns(run.cells, run.method.itemsPerRequest),
    batchCeiling: findBatchCeiling(run),
    capacity: findCapacityAnswer(run),
    best: findBestCell(run.cells),
    failedRows: run.rows.filter((row) => row.status === 'failed').map((row) => row.maxBatch),
    largestServed: served.length === 0 ? undefined : Math.max(...served),
    noisy: run.cells
      .filter((cell) => cell.status === 'noisy')
      .map((cell) => ({ maxBatch: cell.maxBatch, users: cell.users, spread: cell.spread ?? cell.cv })),
    crossCheck: findCrossCheck(run.cells),
  };
}
