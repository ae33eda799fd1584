// measureTrial and measureRow over the simulated transport (virtual clock, no sockets) and a
// fake StatsReader: warm-up outside the snapshots, exact trial figures, server deltas summed per
// cell, shuffled trial order, re-runs of noisy cells, and an abort mid-row.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';
import { measureRow } from '../../../src/matrix/measure-row.js';
import { measureTrial, type StatsReader } from '../../../src/matrix/measure-trial.js';
import { planRow } from '../../../src/matrix/plan.js';
import { ZERO_COUNTERS, type StatsCounters } from '../../../src/matrix/server-stats.js';
import { createSimulatedTransport } from '../load/simulated-transport.js';

const REQUEST = new Uint8Array([7]);

/** A StatsReader whose counters grow by the requests the transport completed since last read. */
function statsOf(transport: ReturnType<typeof createSimulatedTransport>, log: string[] = []): StatsReader {
  return () => {
    log.push(`stats after ${transport.sent.length} sends`);
    const done = transport.sent.filter((r) => r.result === null).length;
    const counters: StatsCounters = {
      ...ZERO_COUNTERS,
      inferenceCount: done * 4,
      executionCount: done,
      successCount: done,
      queueNs: done * 2000,
      queueCount: done,
      batchExecutions: done === 0 ? {} : { 4: done },
    };
    return Promise.resolve(counters);
  };
}

describe('measureTrial', () => {
  it('warms up first, snapshots around the measured loop only, and gives exact figures', async () => {
    const transport = createSimulatedTransport({ latencyMs: () => 10 });
    const log: string[] = [];
    const measured = await measureTrial(
      transport,
      { users: 2, requests: 20, warmupRequests: 1, itemsPerRequest: 4, request: REQUEST, timeoutMs: 100, order: 7 },
      { readStats: statsOf(transport, log), signal: new AbortController().signal, clock: transport.clock },
    );
    // A snapshot, the warm-up's max(1, users) = 2 requests, the trial's first snapshot; the
    // window's edges (every user's second reply at 20 ms, the first user done at 100 ms) in between.
    expect(log).toEqual([
      'stats after 0 sends',
      'stats after 2 sends',
      'stats after 7 sends',
      'stats after 22 sends',
      'stats after 22 sends',
    ]);
    expect(measured.isAborted).toBe(false);
    // 20 requests over 2 users at 10 virtual ms: 10 rounds, 100 ms; the window (20, 100] holds
    // 16 replies of 4 items. The fake server counts the reply tied with the close one late:
    // 15 replies between the edge snapshots, 60 items / 0.08 s.
    expect(measured.trial).toEqual({
      requests: 20,
      items: 64,
      seconds: 0.08,
      dps: 800,
      rps: 200,
      errors: 0,
      errorsByStatus: {},
      latencyMs: { p50: 10, p90: 10, p99: 10, max: 10, mean: 10 },
      order: 7,
      wallSeconds: 0.1,
      isSteady: true,
      serverDps: 750,
    });
    expect(measured.serverDelta).toMatchObject({ inferenceCount: 80, executionCount: 20, batchExecutions: { 4: 20 } });
    // The counts behind serverDps: 15 replies of 4 items between the edge snapshots.
    expect(measured.windowDelta).toMatchObject({ successCount: 15, inferenceCount: 60, executionCount: 15 });
    expect(measured.histogram.count).toBe(20);
  });

  it('reads again until Triton has counted every reply, at both ends of the trial', async () => {
    const transport = createSimulatedTransport({ latencyMs: () => 10 });
    const log: string[] = [];
    const exact = statsOf(transport, log);
    let reads = 0;
    // Reads 2 (after the warm-up) and 6 (after the loop; 4 and 5 are the window edges) miss the
    // last reply, as Triton's may.
    const lagging: StatsReader = async () => {
      reads += 1;
      const counters = await exact();
      return counters !== undefined && (reads === 2 || reads === 6)
        ? { ...counters, successCount: counters.successCount - 1 }
        : counters;
    };
    const measured = await measureTrial(
      transport,
      { users: 2, requests: 20, warmupRequests: 1, itemsPerRequest: 4, request: REQUEST, timeoutMs: 100, order: 7 },
      { readStats: lagging, signal: new AbortController().signal, clock: transport.clock },
    );
    expect(log).toEqual([
      'stats after 0 sends',
      'stats after 2 sends',
      'stats after 2 sends',
      'stats after 7 sends',
      'stats after 22 sends',
      'stats after 22 sends',
      'stats after 22 sends',
    ]);
    expect(measured.serverDelta?.successCount).toBe(20);
  });

  it('skips the warm-up when 0, and has no server delta without statistics', async () => {
    const transport = createSimulatedTransport();
    const measured = await measureTrial(
      transport,
      { users: 1, requests: 3, warmupRequests: 0, itemsPerRequest: 1, request: REQUEST, timeoutMs: 100, order: 0 },
      { readStats: () => Promise.resolve(undefined), signal: new AbortController().signal, clock: transport.clock },
    );
    expect(transport.sent).toHaveLength(3);
    expect(measured.serverDelta).toBeUndefined();
    expect(measured.windowDelta).toBeUndefined();
  });

  it('records errors by status and items of successful requests only', async () => {
    const transport = createSimulatedTransport({
      outcome: (i) => (i === 3 ? { status: 'RESOURCE_EXHAUSTED', message: 'queue full' } : null),
    });
    const measured = await measureTrial(
      transport,
      { users: 1, requests: 5, warmupRequests: 0, itemsPerRequest: 2, request: REQUEST, timeoutMs: 100, order: 0 },
      { readStats: statsOf(transport), signal: new AbortController().signal, clock: transport.clock },
    );
    // The window (2nd reply, 5th reply] holds two successes of 2 items.
    expect(measured.trial).toMatchObject({
      requests: 5,
      items: 4,
      errors: 1,
      errorsByStatus: { RESOURCE_EXHAUSTED: 1 },
      firstError: 'RESOURCE_EXHAUSTED: queue full',
    });
  });

  it('is marked aborted when the signal fired', async () => {
    const transport = createSimulatedTransport();
    const measured = await measureTrial(
      transport,
      { users: 1, requests: 5, warmupRequests: 2, itemsPerRequest: 1, request: REQUEST, timeoutMs: 100, order: 0 },
      { readStats: statsOf(transport), signal: AbortSignal.abort(), clock: transport.clock },
    );
    expect(measured.isAborted).toBe(true);
    expect(transport.sent).toHaveLength(0);
  });
});

const matrixOf = (inputs: Record<string, string>) =>
  parseConfig({
    model: 'm',
    'max-batch': '8',
    users: '1,2',
    requests: '8',
    trials: '3',
    'warmup-requests': '0',
    seed: '3',
    ...inputs,
  }).matrix;

describe('measureRow', () => {
  it('runs the shuffled plan, numbers trials from firstOrder, and sums server deltas per cell', async () => {
    const matrix = matrixOf({ 'max-reruns': '0' });
    const transport = createSimulatedTransport({ latencyMs: () => 5 });
    const trialsDone: number[] = [];
    const row = await measureRow(
      matrix,
      8,
      REQUEST,
      {
        transport,
        readStats: statsOf(transport),
        signal: new AbortController().signal,
        clock: transport.clock,
        requestTimeoutMs: 100,
        onTrial: (users) => trialsDone.push(users),
      },
      10,
    );
    expect(trialsDone).toEqual(planRow(8, [1, 2], 3, 3).map((p) => p.users));
    expect(row.isAborted).toBe(false);
    expect(row.nextOrder).toBe(16);
    expect(row.cells.map((c) => [c.maxBatch, c.users, c.status, c.trials.length])).toEqual([
      [8, 1, 'ok', 3],
      [8, 2, 'ok', 3],
    ]);
    const orders = row.cells.flatMap((c) => c.trials.map((t) => t.order)).sort((a, b) => a - b);
    expect(orders).toEqual([10, 11, 12, 13, 14, 15]);
    for (const cell of row.cells) {
      expect(cell.server).toMatchObject({
        avgBatch: 4,
        inferenceCount: 96,
        executionCount: 24,
        successCount: 24,
        queueUs: 2,
        batchExecutions: { 4: 24 },
      });
      expect(cell.latencyMs.max).toBe(5);
    }
    // Windows: 1 user (10, 40] ms holds 6 replies; 2 users (10, 20] ms holds 4.
    expect(row.cells.map((c) => c.dpsMedian)).toEqual([200, 400]);
  });

  it('re-runs a noisy cell up to max-reruns and marks it noisy; a stable cell is not re-run', async () => {
    const matrix = matrixOf({ 'max-reruns': '2', 'max-cv': '10%' });
    let latencyMs = 5;
    let trial = 0;
    const transport = createSimulatedTransport({ latencyMs: () => latencyMs });
    const readStats: StatsReader = () => {
      // Four reads per trial (around the loop, at the window's edges): each trial 30% slower.
      if (trial++ % 4 === 0) latencyMs *= 1.3;
      return Promise.resolve(undefined);
    };
    const row = await measureRow(
      matrix,
      8,
      REQUEST,
      {
        transport,
        readStats,
        signal: new AbortController().signal,
        clock: transport.clock,
        requestTimeoutMs: 100,
        onTrial: () => undefined,
      },
      0,
    );
    const noisy = row.cells.filter((c) => c.status === 'noisy');
    expect(noisy.length).toBeGreaterThan(0);
    for (const cell of noisy) {
      expect(cell.reruns).toBe(2);
      expect(cell.trials).toHaveLength(5);
      expect(cell.message).toMatch(/^spread \d+\.\d% \(1\.4826·MAD\/median\) above 10\.0% after re-runs$/);
    }
    expect(row.nextOrder).toBe(6 + 2 * noisy.length);
    expect(row.cells.every((c) => c.server === undefined)).toBe(true);
  });

  it('stops at an abort, returning the trials it has and isAborted', async () => {
    const matrix = matrixOf({ 'max-reruns': '0' });
    const controller = new AbortController();
    let trials = 0;
    const transport = createSimulatedTransport();
    const row = await measureRow(
      matrix,
      8,
      REQUEST,
      {
        transport,
        readStats: statsOf(transport),
        signal: controller.signal,
        clock: transport.clock,
        requestTimeoutMs: 100,
        onTrial: () => {
          if (++trials === 2) controller.abort();
        },
      },
      0,
    );
    expect(row.isAborted).toBe(true);
    expect(row.cells.flatMap((c) => c.trials)).toHaveLength(2);
    expect(row.nextOrder).toBe(3);
  });
});
