// Triton's own view of a cell: counters read from ModelStatistics messages, deltas between
// snapshots, sums over trials, and the per-request averages (with zero-division cases).
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelStatisticsSchema } from '../../../src/gen/grpc_service_pb.js';
import {
  addCounters,
  countersOf,
  serverStatsOf,
  subtractCounters,
  ZERO_COUNTERS,
  type StatsCounters,
} from '../../../src/matrix/server-stats.js';

const duration = (count: number, ns: number) => ({ count: BigInt(count), ns: BigInt(ns) });

function statistics(init: {
  version?: string;
  inferences: number;
  executions: number;
  successes: number;
  queueNs?: number;
  inputNs?: number;
  inferNs?: number;
  outputNs?: number;
  batches?: Record<number, number>;
}) {
  const batchStats: NonNullable<MessageInitShape<typeof ModelStatisticsSchema>['batchStats']> = Object.entries(
    init.batches ?? {},
  ).map(([size, count]) => ({ batchSize: BigInt(size), computeInfer: duration(count, count * 1000) }));
  return create(ModelStatisticsSchema, {
    name: 'm',
    version: init.version ?? '1',
    inferenceCount: BigInt(init.inferences),
    executionCount: BigInt(init.executions),
    inferenceStats: {
      success: duration(init.successes, 0),
      queue: duration(init.successes, init.queueNs ?? 0),
      computeInput: duration(init.successes, init.inputNs ?? 0),
      computeInfer: duration(init.successes, init.inferNs ?? 0),
      computeOutput: duration(init.successes, init.outputNs ?? 0),
    },
    batchStats,
  });
}

const counters = (init: Partial<StatsCounters>): StatsCounters => ({ ...ZERO_COUNTERS, ...init });

describe('countersOf', () => {
  it('reads the counters of one version', () => {
    const c = countersOf([
      statistics({
        inferences: 64,
        executions: 10,
        successes: 40,
        queueNs: 4000,
        inputNs: 100,
        inferNs: 9000,
        outputNs: 200,
        batches: { 8: 6, 4: 4 },
      }),
    ]);
    expect(c).toEqual({
      inferenceCount: 64,
      executionCount: 10,
      successCount: 40,
      queueNs: 4000,
      computeInputNs: 100,
      computeInferNs: 9000,
      computeOutputNs: 200,
      queueCount: 40,
      computeInputCount: 40,
      computeInferCount: 40,
      computeOutputCount: 40,
      batchExecutions: { 8: 6, 4: 4 },
    });
  });

  it('sums every version of the model', () => {
    const c = countersOf([
      statistics({ version: '1', inferences: 10, executions: 5, successes: 10, batches: { 2: 5 } }),
      statistics({ version: '2', inferences: 6, executions: 1, successes: 6, batches: { 6: 1, 2: 3 } }),
    ]);
    expect(c).toMatchObject({
      inferenceCount: 16,
      executionCount: 6,
      successCount: 16,
      batchExecutions: { 2: 8, 6: 1 },
    });
  });

  it('is all zeros for an empty reply or a model without inference stats', () => {
    expect(countersOf([])).toEqual(ZERO_COUNTERS);
    expect(countersOf([create(ModelStatisticsSchema, { name: 'm' })])).toEqual(ZERO_COUNTERS);
  });
});

describe('subtractCounters and addCounters', () => {
  const before = counters({
    inferenceCount: 100,
    executionCount: 20,
    successCount: 100,
    queueNs: 5000,
    computeInferNs: 7000,
    batchExecutions: { 1: 10, 8: 10 },
  });
  const after = counters({
    inferenceCount: 164,
    executionCount: 28,
    successCount: 164,
    queueNs: 9000,
    computeInferNs: 15_000,
    batchExecutions: { 1: 10, 8: 17, 3: 1 },
  });

  it('gives the delta of every counter, dropping batch sizes that did not run in between', () => {
    expect(subtractCounters(after, before)).toEqual(
      counters({
        inferenceCount: 64,
        executionCount: 8,
        successCount: 64,
        queueNs: 4000,
        computeInferNs: 8000,
        batchExecutions: { 8: 7, 3: 1 },
      }),
    );
  });

  it('sums deltas over trials', () => {
    const delta = subtractCounters(after, before);
    const sum = addCounters(addCounters(ZERO_COUNTERS, delta), delta);
    expect(sum).toMatchObject({ inferenceCount: 128, executionCount: 16, batchExecutions: { 8: 14, 3: 2 } });
  });

  it('has ZERO_COUNTERS as identity and does not mutate its arguments', () => {
    const copy = structuredClone(after);
    expect(addCounters(ZERO_COUNTERS, after)).toEqual(after);
    expect(subtractCounters(after, ZERO_COUNTERS)).toEqual(after);
    expect(subtractCounters(after, after)).toEqual(ZERO_COUNTERS);
    expect(after).toEqual(copy);
    expect(ZERO_COUNTERS.batchExecutions).toEqual({});
  });
});

describe('serverStatsOf', () => {
  it('gives the formed batch and per-request times in µs', () => {
    const stats = serverStatsOf(
      counters({
        inferenceCount: 64,
        executionCount: 10,
        successCount: 64,
        queueNs: 64 * 1500,
        computeInputNs: 64 * 100,
        computeInferNs: 64 * 2000,
        computeOutputNs: 64 * 100,
        batchExecutions: { 8: 6, 4: 4 },
        queueCount: 64,
        computeInputCount: 64,
        computeInferCount: 64,
        computeOutputCount: 64,
      }),
    );
    expect(stats).toEqual({
      avgBatch: 6.4,
      inferenceCount: 64,
      executionCount: 10,
      successCount: 64,
      queueUs: 1.5,
      computeUs: 2.2,
      computeInferUs: 2,
      batchExecutions: { 8: 6, 4: 4 },
    });
  });

  it('rounds avgBatch to 2 decimals and times to 0.1 µs', () => {
    const stats = serverStatsOf(
      counters({
        inferenceCount: 10,
        executionCount: 3,
        successCount: 3,
        queueNs: 1000,
        computeInferNs: 10_000,
        queueCount: 3,
        computeInferCount: 3,
      }),
    );
    expect(stats.avgBatch).toBe(3.33);
    expect(stats.queueUs).toBe(0.3);
    expect(stats.computeInferUs).toBe(3.3);
  });

  it('divides each duration by its own count, not by success.count (cache hits have no compute)', () => {
    // 100 successes, 40 of them cache hits: queue and compute ran for 60 requests only.
    const stats = serverStatsOf(
      counters({
        inferenceCount: 100,
        executionCount: 60,
        successCount: 100,
        queueNs: 60 * 1000,
        queueCount: 60,
        computeInputNs: 60 * 200,
        computeInputCount: 60,
        computeInferNs: 60 * 3000,
        computeInferCount: 60,
        computeOutputNs: 60 * 300,
        computeOutputCount: 60,
      }),
    );
    expect(stats).toMatchObject({ queueUs: 1, computeUs: 3.5, computeInferUs: 3 });
  });

  it('gives 0 instead of dividing by zero executions or requests', () => {
    const stats = serverStatsOf(counters({ queueNs: 5000, computeInferNs: 10 }));
    expect(stats).toMatchObject({ avgBatch: 0, queueUs: 0, computeUs: 0, computeInferUs: 0 });
    expect(Object.values(stats).every((v) => typeof v !== 'number' || Number.isFinite(v))).toBe(true);
  });
});
