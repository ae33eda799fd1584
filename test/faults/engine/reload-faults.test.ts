// runMatrix with the real `reload` controller against the fake Triton: a clean two-row run
// (what the fake sees, Triton's own statistics), then rows that cannot be put at their
// max_batch (load refused, never ready, load RPC stalled): each such row fails with the
// server's reason, the next row is measured, and the model is always restored from disk.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/model/run-result.js';
import { isMeasured, setUpEngine } from './engine-harness.js';

const cellsOf = (run: RunResult, maxBatch: number) => run.cells.filter((c) => c.maxBatch === maxBatch);
const RESTORE = ['unload m', 'load m from disk -> ready'];

describe('runMatrix with reload: a clean run', () => {
  it('reloads each row with an override, measures it, restores from disk', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '8,4', users: '1,2' } });
    const run = await engine.run();
    expect(engine.events()).toEqual([
      'unload m',
      'load m max_batch=8 -> ready',
      'unload m',
      'load m max_batch=4 -> ready',
      ...RESTORE,
    ]);
    expect(engine.fake.model('m').served?.maxBatchSize).toBe(16);
    expect(run.isComplete).toBe(true);
    expect(run.notes).toEqual([]);
    expect(run.rows.map((r) => [r.maxBatch, r.model, r.status])).toEqual([
      [8, 'm', 'ok'],
      [4, 'm', 'ok'],
    ]);
    expect(run.cells.map((c) => [c.maxBatch, c.users, c.trials.length, isMeasured(c)])).toEqual([
      [8, 1, 2, true],
      [8, 2, 2, true],
      [4, 1, 2, true],
      [4, 2, 2, true],
    ]);
    for (const cell of run.cells) {
      // items count the steady window's replies only (docs/statistics.md §10), at most all 8.
      expect(
        cell.trials.every(
          (t) => t.requests === 8 && t.errors === 0 && t.isSteady === true && t.items > 0 && t.items < 8 && t.dps > 0,
        ),
      ).toBe(true);
      // Triton's view: 2 trials × 8 requests of 1 item, one execution each (the fake does not batch).
      expect(cell.server).toEqual({
        avgBatch: 1,
        inferenceCount: 16,
        executionCount: 16,
        successCount: 16,
        queueUs: 1,
        computeUs: 5.2,
        computeInferUs: 5,
        batchExecutions: { 1: 16 },
      });
    }
    expect(run.environment).toMatchObject({ tritonVersion: '2.51.0', model: 'm', modelVersion: '1' });
    expect(run.method.inputs).toEqual(['INPUT0:FP32[16]:zeros']);
    // Smoke request + per trial (2 warm-up + 8) × 2 trials × 2 cells, per row.
    expect(engine.fake.inferCount()).toBe(2 * (1 + 2 * 2 * 10));
  });

  it('sends items-per-request items per request, which Triton counts as the batch it ran', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '8,4', 'items-per-request': '4' } });
    const run = await engine.run();
    expect(run.cells.every(isMeasured)).toBe(true);
    for (const cell of run.cells) {
      // 4 items per reply; the steady window holds fewer than all 8 replies.
      expect(
        cell.trials.every(
          (t) => t.items % 4 === 0 && t.items > 0 && t.items < 32 && Math.abs(t.dps - 4 * t.rps) < 1e-6,
        ),
      ).toBe(true);
      expect(cell.server).toMatchObject({
        avgBatch: 4,
        inferenceCount: 64,
        executionCount: 16,
        batchExecutions: { 4: 16 },
      });
    }
  });

  it('measures a max_batch 0 row without a batch dimension, dynamic batching removed', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '0,8' } });
    let servedAtZero: boolean | undefined;
    engine.fake.faults.onInfer = () => {
      const served = engine.fake.model('m').served;
      if (served?.maxBatchSize === 0) servedAtZero ??= served.schedulingChoice.case === undefined;
    };
    const run = await engine.run();
    expect(run.rows.map((r) => [r.maxBatch, r.status])).toEqual([
      [0, 'ok'],
      [8, 'ok'],
    ]);
    expect(run.cells.every(isMeasured)).toBe(true);
    expect(servedAtZero).toBe(true);
    expect(run.method.inputs).toEqual(['INPUT0:FP32[16]:zeros']);
  });
});

describe('runMatrix with reload: a row that cannot be loaded', () => {
  it("fails a refused row with the server's message and measures the next one", async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '64,8' }, faults: { maxLoadableBatch: 32 } });
    const run = await engine.run();
    const reason = 'configuration specified max-batch 64 but TensorRT engine only supports max-batch 32';
    expect(run.rows[0]).toMatchObject({ maxBatch: 64, status: 'failed' });
    expect(run.rows[0]?.message).toContain(reason);
    expect(run.rows[0]?.message).toMatch(/^RepositoryModelLoad on 127\.0\.0\.1:\d+ failed with INVALID_ARGUMENT/);
    expect(cellsOf(run, 64).map((c) => [c.status, c.message])).toEqual([['failed', run.rows[0]?.message]]);
    expect(run.rows[1]).toMatchObject({ maxBatch: 8, status: 'ok' });
    expect(cellsOf(run, 8).map(isMeasured)).toEqual([true]);
    expect(run.isComplete).toBe(false);
    expect(engine.log.lines.some((l) => l.startsWith('warn: max_batch 64:') && l.includes(reason))).toBe(true);
    expect(engine.events()).toEqual([
      'unload m',
      'load m max_batch=64 -> refused',
      'unload m',
      'load m max_batch=8 -> ready',
      ...RESTORE,
    ]);
  });

  it('fails a row whose model never becomes ready with a TIMEOUT naming the model, and goes on', async () => {
    const engine = await setUpEngine({
      inputs: { 'max-batch': '64,8', 'load-timeout-s': '2' },
      faults: { hangLoad: (_, config) => (config.maxBatchSize === 64 ? 'never-ready' : undefined) },
    });
    const run = await engine.run();
    expect(run.rows[0]).toMatchObject({ maxBatch: 64, status: 'failed' });
    expect(run.rows[0]?.message).toMatch(
      /^ModelReady on 127\.0\.0\.1:\d+ failed with TIMEOUT: model 'm' not ready after 2 s\. model 'm' is not ready \(state LOADING\)/,
    );
    expect(run.rows[1]).toMatchObject({ maxBatch: 8, status: 'ok' });
    expect(cellsOf(run, 8).map(isMeasured)).toEqual([true]);
    expect(engine.events()).toEqual([
      'unload m',
      'load m max_batch=64 -> never-ready',
      'unload m',
      'load m max_batch=8 -> ready',
      ...RESTORE,
    ]);
  });

  it('fails a row whose load RPC never returns at the load deadline, naming the load timeout, and goes on', async () => {
    const engine = await setUpEngine({
      inputs: { 'max-batch': '64,8', 'load-timeout-s': '1' },
      faults: { hangLoad: (_, config) => (config.maxBatchSize === 64 ? 'stall' : undefined) },
    });
    const run = await engine.run();
    expect(run.rows[0]).toMatchObject({ maxBatch: 64, status: 'failed' });
    expect(run.rows[0]?.message).toMatch(
      /^RepositoryModelLoad on 127\.0\.0\.1:\d+ failed with DEADLINE_EXCEEDED: .*no reply within 1000 ms/,
    );
    // The knob that governs a load's deadline is load-timeout-s, not request-timeout-ms.
    expect(run.rows[0]?.message).toContain('load-timeout-s');
    expect(run.rows[0]?.message).not.toContain('request-timeout-ms');
    expect(run.rows[1]).toMatchObject({ maxBatch: 8, status: 'ok' });
    expect(engine.events()).toEqual([
      'unload m',
      'load m max_batch=64 -> stalled',
      'unload m',
      'load m max_batch=8 -> ready',
      ...RESTORE,
    ]);
  });

  it('restores the model also when every row failed', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '64,128' }, faults: { maxLoadableBatch: 32 } });
    const run = await engine.run();
    expect(run.rows.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(run.cells.every((c) => c.status === 'failed')).toBe(true);
    expect(run.isComplete).toBe(false);
    // The refused load left the model unloaded: the restore loads it from disk, no unload needed.
    expect(engine.events().slice(-2)).toEqual(['load m max_batch=128 -> refused', 'load m from disk -> ready']);
    expect(engine.fake.model('m')).toMatchObject({
      state: 'READY',
      served: expect.objectContaining({ maxBatchSize: 16 }) as unknown,
    });
  });

  it('notes a restore that fails, and still resolves', async () => {
    const engine = await setUpEngine({
      faults: { hangLoad: (_, config) => (config.maxBatchSize === 16 ? 'never-ready' : undefined) },
      inputs: { 'load-timeout-s': '1' },
    });
    const run = await engine.run();
    expect(run.rows[0]?.status).toBe('ok');
    expect(run.notes).toHaveLength(1);
    expect(run.notes[0]).toMatch(
      /^model 'm' on .*: NOT restored: ModelReady on .* failed with TIMEOUT: model 'm' not ready after 1 s.*; model 'm' is now LOADING; before the run it was served at max_batch_size 16; to fix: load 'm' again/,
    );
    expect(run.isComplete).toBe(false);
  });
});
