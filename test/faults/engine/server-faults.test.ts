// runMatrix (reload controller, real gRPC client and transport) while the fake Triton
// misbehaves during the measurement: killed mid-trial, stalled past the request deadline,
// RESOURCE_EXHAUSTED on some requests, the model unloaded under the load, and an abort signal
// mid-run. Each run must end (bounded by the test timeout), record the failure by gRPC status,
// keep failed trials out of the summaries, and restore the model whenever the server is there.
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { RunResult, Trial } from '../../../src/model/run-result.js';
import type { FakeTritonFaults } from '../../support/fake-triton.js';
import { isMeasured, setUpEngine } from './engine-harness.js';

const RESTORE = ['unload m', 'load m from disk -> ready'];
const failedTrials = (run: RunResult): Trial[] => run.cells.flatMap((c) => c.trials.filter((t) => t.errors > 0));

// With the defaults (users 2, warm-up 2, 8 requests) ModelInfer arrivals are numbered: 1 = the
// row's smoke request; trial 1: 2-3 warm-up, 4-11 measured; trial 2: 12-13 warm-up, 14-21 measured.

describe('server killed mid-trial', () => {
  it('fails the trial with UNAVAILABLE, sees the server is gone, fails the next row with that reason, and ends', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '8,4' }, faults: { killAfterInfers: 6 } });
    const run = await engine.run();
    expect(engine.fake.isKilled()).toBe(true);
    const [cell] = run.cells.filter((c) => c.maxBatch === 8);
    expect(cell?.status).toBe('failed');
    // The first errored trial asks ServerLive, which fails: no second trial against a dead server.
    expect(cell?.trials).toHaveLength(1);
    const [first] = cell?.trials ?? [];
    expect(first?.errorsByStatus['UNAVAILABLE']).toBeGreaterThanOrEqual(1);
    expect(first?.requests).toBeLessThan(8);
    expect(first?.firstError).toMatch(/^UNAVAILABLE: /);
    expect(cell?.message).toMatch(/^1 of 1 trials had errors \(UNAVAILABLE: /);
    expect(cell?.server).toBeUndefined();
    // The next row is not tried: it fails with the reason, naming the RPC, the server and the status.
    expect(run.rows[1]).toMatchObject({ maxBatch: 4, status: 'failed' });
    expect(run.rows[1]?.message).toMatch(
      new RegExp(`^the server stopped answering: ServerLive on ${engine.fake.address} failed with UNAVAILABLE`),
    );
    expect(run.notes).toEqual([
      expect.stringMatching(/^the server stopped answering: .*; the run stopped at max_batch 8$/),
      // The restore asks ServerLive first: a dead server is named at once, with the fix.
      expect.stringMatching(
        /^model 'm' on .*: NOT restored: the server at .* does not answer \(ServerLive .* failed with UNAVAILABLE.*\); its state is unknown while the server does not answer; before the run it was served at max_batch_size 16; to fix: load 'm' again/,
      ),
    ]);
    expect(run.isComplete).toBe(false);
  });
});

describe('the first request of a row fails', () => {
  it("fails that row with the server's reason and measures the next one", async () => {
    const engine = await setUpEngine({
      inputs: { 'max-batch': '8,4' },
      faults: {
        failInfer: {
          from: 1,
          count: 1,
          code: status.INTERNAL,
          details: 'Failed to process the request(s) for model instance m_0',
        },
      },
    });
    const run = await engine.run();
    expect(run.rows[0]).toMatchObject({ maxBatch: 8, status: 'failed' });
    expect(run.rows[0]?.message).toMatch(
      /^the first request failed: ModelInfer on 127\.0\.0\.1:\d+ failed with INTERNAL: Failed to process the request\(s\) for model instance m_0$/,
    );
    expect(run.cells.map((c) => [c.maxBatch, c.status === 'failed', isMeasured(c)])).toEqual([
      [8, true, false],
      [4, false, true],
    ]);
    expect(engine.events().slice(-2)).toEqual(RESTORE);
  });
});

describe('server stalls past the request deadline', () => {
  it('fails the stalled trial with DEADLINE_EXCEEDED and keeps the good one', async () => {
    const engine = await setUpEngine({ inputs: { 'request-timeout-ms': '500' }, faults: { stallInferFrom: 12 } });
    const run = await engine.run();
    const [cell] = run.cells;
    expect(cell?.trials).toHaveLength(2);
    const [good, stalled] = cell?.trials ?? [];
    expect(good).toMatchObject({ requests: 8, errors: 0 });
    expect(stalled?.errorsByStatus['DEADLINE_EXCEEDED']).toBeGreaterThanOrEqual(1);
    expect(stalled?.firstError).toMatch(/^DEADLINE_EXCEEDED: /);
    // Stopped after the first deadline: only the two first requests were sent.
    expect(stalled?.requests).toBe(2);
    expect(cell?.dpsMedian).toBe(good?.dps);
    expect(cell?.message).toMatch(/^1 of 2 trials had errors \(DEADLINE_EXCEEDED: /);
    expect(engine.events().slice(-2)).toEqual(RESTORE);
  });

  it('fails a trial whose replies come after the deadline (slow, not stalled), and ends', async () => {
    const faults: FakeTritonFaults = {};
    faults.onInfer = (n) => {
      if (n === 12) faults.inferDelayMs = 5000;
    };
    const engine = await setUpEngine({ inputs: { 'request-timeout-ms': '1000' }, faults });
    const run = await engine.run();
    const [good, slow] = run.cells[0]?.trials ?? [];
    expect(good).toMatchObject({ requests: 8, errors: 0 });
    expect(slow?.firstError).toMatch(/^DEADLINE_EXCEEDED: /);
    expect(engine.events().slice(-2)).toEqual(RESTORE);
  });

  it('ends a run where every request stalls: all cells failed, no hang', async () => {
    const engine = await setUpEngine({
      inputs: { users: '1,2', 'request-timeout-ms': '500' },
      faults: { stallInferFrom: 2 },
    });
    const run = await engine.run();
    expect(run.cells.map((c) => c.status)).toEqual(['failed', 'failed']);
    for (const trial of run.cells.flatMap((c) => c.trials)) expect(trial.firstError).toMatch(/^DEADLINE_EXCEEDED: /);
    expect(engine.events().slice(-2)).toEqual(RESTORE);
  });
});

describe('RESOURCE_EXHAUSTED on some requests', () => {
  it('counts them by status without stopping the trial, and leaves that trial out of the summary', async () => {
    const engine = await setUpEngine({
      inputs: { trials: '3' },
      faults: {
        failInfer: { from: 15, count: 2, code: status.RESOURCE_EXHAUSTED, details: 'Exceeds maximum queue size' },
      },
    });
    const run = await engine.run();
    const [cell] = run.cells;
    const trials = cell?.trials ?? [];
    expect(trials).toHaveLength(3);
    expect(failedTrials(run)).toEqual([trials[1]]);
    expect(trials[1]).toMatchObject({
      requests: 8,
      errors: 2,
      errorsByStatus: { RESOURCE_EXHAUSTED: 2 },
      firstError: 'RESOURCE_EXHAUSTED: Exceeds maximum queue size',
    });
    // Successes in the steady window only (docs/statistics.md §10): at most the 6 that succeeded.
    expect(trials[1]?.items).toBeGreaterThan(0);
    expect(trials[1]?.items).toBeLessThanOrEqual(6);
    const okDpsSum = (trials[0]?.dps ?? 0) + (trials[2]?.dps ?? 0);
    expect(cell?.dpsMedian).toBeCloseTo(okDpsSum / 2, 9);
    // 2 good trials of 3 are too few (summarize-cell.ts minGoodTrials): the cell fails, its figures stay.
    expect(cell?.message).toBe(
      '1 of 3 trials had errors (RESOURCE_EXHAUSTED: Exceeds maximum queue size); 2 good, need 3',
    );
    expect(cell?.status).toBe('failed');
    // Triton's view counts only what it served: 3 × 8 requests minus the 2 refused.
    expect(cell?.server?.successCount).toBe(22);
  });
});

describe('model unloaded under the load', () => {
  it("fails the affected trials with Triton's UNAVAILABLE, and the next row reloads and is measured", async () => {
    const engine = await setUpEngine({
      inputs: { 'max-batch': '8,4' },
      faults: { unloadAfterInfers: { model: 'm', after: 6 } },
    });
    const run = await engine.run();
    const [gone, next] = run.cells;
    expect(gone?.status).toBe('failed');
    expect(gone?.trials[0]?.firstError).toBe("UNAVAILABLE: Request for unknown model: 'm' has no available versions");
    expect(gone?.message).toBe(
      "2 of 2 trials had errors (UNAVAILABLE: Request for unknown model: 'm' has no available versions)",
    );
    expect(engine.log.lines.some((l) => l.startsWith('warn: ModelStatistics unavailable'))).toBe(true);
    expect(next?.maxBatch).toBe(4);
    expect(next !== undefined && isMeasured(next)).toBe(true);
    expect(run.rows.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(run.isComplete).toBe(false);
    expect(engine.events()).toEqual([
      'unload m',
      'load m max_batch=8 -> ready',
      'unload m',
      'load m max_batch=4 -> ready',
      ...RESTORE,
    ]);
  });
});

describe('abort signal mid-run', () => {
  it('resolves incomplete with a note, drops the interrupted trial, and restores the model', async () => {
    let abortAt: (n: number) => void = () => undefined;
    const engine = await setUpEngine({
      inputs: { 'max-batch': '8,4', users: '1,2' },
      faults: {
        onInfer: (n) => {
          abortAt(n);
        },
      },
    });
    // Arrival 15 is in the second trial of the first row (10 arrivals per trial after the smoke request).
    abortAt = (n) => {
      if (n === 15) engine.abort.abort();
    };
    const run = await engine.run();
    expect(run.isComplete).toBe(false);
    expect(run.notes).toEqual(['the run was interrupted; cells not measured are missing']);
    expect(run.rows.map((r) => r.maxBatch)).toEqual([8]);
    const trials = run.cells.flatMap((c) => c.trials);
    expect(trials).toHaveLength(1);
    expect(trials[0]?.errors).toBe(0);
    expect(run.cells.every((c) => c.maxBatch === 8 && c.trials.length > 0)).toBe(true);
    expect(engine.events()).toEqual(['unload m', 'load m max_batch=8 -> ready', ...RESTORE]);
    expect(engine.fake.model('m').served?.maxBatchSize).toBe(16);
  });

  it('stops waiting for a load that never becomes ready, and still restores', async () => {
    // Had the abort not stopped the row, its load would time out and row 8 would be tried too.
    // The restore waits up to load-timeout-s for the hung load to settle, then unloads it anyway.
    const engine = await setUpEngine({
      inputs: { 'max-batch': '64,8', 'load-timeout-s': '3' },
      faults: {
        hangLoad: (_, config) => {
          if (config.maxBatchSize !== 64) return undefined;
          engine.abort.abort();
          return 'never-ready';
        },
      },
    });
    const run = await engine.run();
    expect(run.rows.map((r) => [r.maxBatch, r.status])).toEqual([[64, 'failed']]);
    expect(run.cells).toEqual([]);
    expect(run.notes).toEqual(['the run was interrupted; cells not measured are missing']);
    expect(engine.events()).toEqual(['unload m', 'load m max_batch=64 -> never-ready', ...RESTORE]);
    expect(engine.fake.model('m')).toMatchObject({
      state: 'READY',
      served: expect.objectContaining({ maxBatchSize: 16 }) as unknown,
    });
  });

  it('rejects before touching the server when aborted before the health check', async () => {
    const engine = await setUpEngine();
    engine.abort.abort();
    await expect(engine.run()).rejects.toMatchObject({ name: 'TritonError', rpc: 'ServerLive', status: 'CANCELLED' });
    expect(engine.events()).toEqual([]);
    expect(engine.fake.inferCount()).toBe(0);
  });
});
