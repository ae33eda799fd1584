/**
 * Triton's own view of a cell (docs/architecture.md#measurement): deltas of the cumulative ModelStatistics counters
 * between snapshots taken around each measured trial, summed over the cell's trials.
 * Pure. A reload resets the counters, so snapshots are only ever subtracted within one trial.
 * Triton updates the counters just after it sends a reply; measure-trial.ts reads the snapshots
 * around a trial once every reply is counted, so a trial's counts are exact when no other client
 * loads the model (the window-edge snapshots, taken mid-load, may miss or gain a request).
 */
import type { ModelStatistics } from '../gen/grpc_service_pb.js';
import type { ServerStats } from '../model/run-result.js';

/** The counters we use from one snapshot (summed over the model's versions). */
export interface StatsCounters {
  readonly inferenceCount: number;
  readonly executionCount: number;
  readonly successCount: number;
  readonly queueNs: number;
  readonly computeInputNs: number;
  readonly computeInferNs: number;
  readonly computeOutputNs: number;
  /**
   * Each duration's own `.count`: cache hits count in `success` but have no compute time, so a
   * duration divided by `success.count` would read low (docs/statistics.md).
   */
  readonly queueCount: number;
  readonly computeInputCount: number;
  readonly computeInferCount: number;
  readonly computeOutputCount: number;
  /** Executions per batch size. */
  readonly batchExecutions: Readonly<Record<string, number>>;
}

/** All-zero counters: the identity of `addCounters`. */
export const ZERO_COUNTERS: StatsCounters = {
  inferenceCount: 0,
  executionCount: 0,
  successCount: 0,
  queueNs: 0,
  computeInputNs: 0,
  computeInferNs: 0,
  computeOutputNs: 0,
  queueCount: 0,
  computeInputCount: 0,
  computeInferCount: 0,
  computeOutputCount: 0,
  batchExecutions: {},
};

function combine(a: StatsCounters, b: StatsCounters, sign: 1 | -1): StatsCounters {
  const sums = new Map(Object.entries(a.batchExecutions));
  for (const [size, count] of Object.entries(b.batchExecutions)) sums.set(size, (sums.get(size) ?? 0) + sign * count);
  // Sizes whose executions cancel out (before/after snapshots) are left out, not shown as 0.
  const batchExecutions = Object.fromEntries([...sums].filter(([, count]) => count !== 0));
  return {
    inferenceCount: a.inferenceCount + sign * b.inferenceCount,
    executionCount: a.executionCount + sign * b.executionCount,
    successCount: a.successCount + sign * b.successCount,
    queueNs: a.queueNs + sign * b.queueNs,
    computeInputNs: a.computeInputNs + sign * b.computeInputNs,
    computeInferNs: a.computeInferNs + sign * b.computeInferNs,
    computeOutputNs: a.computeOutputNs + sign * b.computeOutputNs,
    queueCount: a.queueCount + sign * b.queueCount,
    computeInputCount: a.computeInputCount + sign * b.computeInputCount,
    computeInferCount: a.computeInferCount + sign * b.computeInferCount,
    computeOutputCount: a.computeOutputCount + sign * b.computeOutputCount,
    batchExecutions,
  };
}

/** `a + b`. */
export function addCounters(a: StatsCounters, b: StatsCounters): StatsCounters {
  return combine(a, b, 1);
}

/** `after - before`. */
export function subtractCounters(after: StatsCounters, before: StatsCounters): StatsCounters {
  return combine(after, before, -1);
}

/** Sums the counters of every version of a model in a ModelStatistics reply. */
export function countersOf(stats: readonly ModelStatistics[]): StatsCounters {
  let total = ZERO_COUNTERS;
  for (const s of stats) {
    const i = s.inferenceStats;
    const batchExecutions: Record<string, number> = {};
    for (const b of s.batchStats) batchExecutions[String(b.batchSize)] = Number(b.computeInfer?.count ?? 0n);
    total = addCounters(total, {
      inferenceCount: Number(s.inferenceCount),
      executionCount: Number(s.executionCount),
      successCount: Number(i?.success?.count ?? 0n),
      queueNs: Number(i?.queue?.ns ?? 0n),
      computeInputNs: Number(i?.computeInput?.ns ?? 0n),
      computeInferNs: Number(i?.computeInfer?.ns ?? 0n),
      computeOutputNs: Number(i?.computeOutput?.ns ?? 0n),
      queueCount: Number(i?.queue?.count ?? 0n),
      computeInputCount: Number(i?.computeInput?.count ?? 0n),
      computeInferCount: Number(i?.computeInfer?.count ?? 0n),
      computeOutputCount: Number(i?.computeOutput?.count ?? 0n),
      batchExecutions,
    });
  }
  return total;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Average µs of one duration: its nanoseconds over its own count (0 when it never ran). */
const averageUs = (ns: number, count: number): number => (count <= 0 ? 0 : ns / count / 1000);

/** The per-request averages of a cell's summed deltas, each field over its own count. */
export function serverStatsOf(delta: StatsCounters): ServerStats {
  const inputUs = averageUs(delta.computeInputNs, delta.computeInputCount);
  const inferUs = averageUs(delta.computeInferNs, delta.computeInferCount);
  const outputUs = averageUs(delta.computeOutputNs, delta.computeOutputCount);
  return {
    avgBatch: delta.executionCount === 0 ? 0 : Math.round((delta.inferenceCount / delta.executionCount) * 100) / 100,
    inferenceCount: delta.inferenceCount,
    executionCount: delta.executionCount,
    successCount: delta.successCount,
    queueUs: round1(averageUs(delta.queueNs, delta.queueCount)),
    computeUs: round1(inputUs + inferUs + outputUs),
    computeInferUs: round1(inferUs),
    batchExecutions: delta.batchExecutions,
  };
}
