/**
 * What one run shows, as data (docs/answers.md): per users column the gaps between its rows and
 * what backs them, the formed-batch ceiling, whether the largest max_batch runs, the best cell,
 * the recommendation, the rows that failed to load, the noisy cells and the server cross-check.
 * report/ words it; nothing here is text, so the markdown report, the terminal and any later
 * output state the same facts. Pure.
 */
import type { Recommendation } from '../model/recommendation.js';
import type { Cell, Row, RunResult } from '../model/run-result.js';
import { findBatchCeiling, type BatchCeiling } from './batch-ceiling.js';
import { findCapacityAnswer, type CapacityAnswer } from './capacity-answer.js';
import { findColumnFindings, type ColumnFinding } from './column-findings.js';
import { findCrossCheck, type CrossCheck } from './cross-check.js';
import { recommendationOf } from './recommend.js';

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

/** How the rows were measured, for the explanation of a gap batching cannot cause. */
export interface RowContext {
  /** `row-rounds` of the run: above 1 the rows were measured interleaved, so drift between them cancels. */
  readonly rowRounds: number;
  /** The batcher's `max_queue_delay_microseconds` when the run recorded it and it is above 0. */
  readonly queueDelayUs: number | undefined;
  /** False when the model has no dynamic batcher: no request is batched with another. */
  readonly isDynamic: boolean;
}

/** Everything `analyzeRun` finds; absent answers are `undefined`, empty lists `[]`. */
export interface RunAnalysis {
  /** Per users column with two measured rows (column-findings.ts). */
  readonly columns: readonly ColumnFinding[];
  readonly rowContext: RowContext;
  readonly batchCeiling: BatchCeiling | undefined;
  readonly capacity: CapacityAnswer | undefined;
  readonly best: BestCell | undefined;
  /** The run's own recommendation when it carries one (the pipeline's budget), else one without a budget. */
  readonly recommendation: Recommendation;
  /** Rows that failed (to load, or their first request), in run order. */
  readonly failedRows: readonly Pick<Row, 'maxBatch' | 'failure'>[];
  /** Largest max_batch of a row that served. */
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
    columns: findColumnFindings(run.cells, {
      itemsPerRequest: run.method.itemsPerRequest,
      isDynamic: run.environment.batching?.isDynamic !== false,
    }),
    rowContext: rowContextOf(run),
    batchCeiling: findBatchCeiling(run),
    capacity: findCapacityAnswer(run),
    best: findBestCell(run.cells),
    recommendation: recommendationOf(run),
    failedRows: run.rows
      .filter((row) => row.status === 'failed')
      .map((row) => ({ maxBatch: row.maxBatch, ...(row.failure === undefined ? {} : { failure: row.failure }) })),
    largestServed: served.length === 0 ? undefined : Math.max(...served),
    noisy: run.cells
      .filter((cell) => cell.status === 'noisy')
      .map((cell) => ({ maxBatch: cell.maxBatch, users: cell.users, spread: cell.spread ?? cell.cv })),
    crossCheck: findCrossCheck(run.cells),
  };
}

function rowContextOf(run: RunResult): RowContext {
  const delay = run.environment.batching?.maxQueueDelayUs;
  return {
    rowRounds: run.method.rowRounds ?? 1,
    queueDelayUs: delay !== undefined && delay > 0 ? delay : undefined,
    isDynamic: run.environment.batching?.isDynamic !== false,
  };
}
