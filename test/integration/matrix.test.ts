/**
 * The matrix engine against the real CPU Triton (issue: main job): a small matrix
 * (max_batch 1 and 8, users 1 and 4) with each batch strategy the real server supports, the
 * table shape, every trial recorded, dynamic batching seen (formed batch > 1 at 4 users /
 * max_batch 8), the original config restored, and a row whose load Triton refuses reported
 * while the run goes on. On copies of the demo model of this file's own (test/support/model-copy.ts):
 * the runs reload them and count their requests while other files use the shared server.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import type { RawInputs } from '../../src/config/inputs.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import { silentLogger } from '../../src/logger.js';
import type { RunResult } from '../../src/model/run-result.js';
import { runMatrix } from '../../src/matrix/run-matrix.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { createRunnerGpuReader } from '../../src/metrics/read-runner-gpus.js';
import { TOOL_VERSION } from '../../src/tool-version.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

const SMALL: RawInputs = {
  users: '1,4',
  requests: '48',
  trials: '3',
  'warmup-requests': '16',
  'max-reruns': '0',
  'baseline-store': 'none',
};

async function runOn(address: string, raw: RawInputs): Promise<RunResult> {
  const config = parseConfig({ 'server-url': address, ...SMALL, ...raw });
  const client = new TritonClient({ address, isTls: false });
  try {
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({
      client,
      config,
      log: silentLogger,
      runCommand: runShellCommand,
    });
    return await runMatrix(
      config,
      {
        client,
        transport: client.inferTransport(),
        controller,
        log: silentLogger,
        files: new Map(),
        signal: new AbortController().signal,
        runnerGpus: createRunnerGpuReader(silentLogger),
      },
      { source: { event: 'test' }, label: 'ci' },
    );
  } finally {
    client.close();
  }
}

async function maxBatchOf(address: string, model: string): Promise<number> {
  const client = new TritonClient({ address, isTls: false });
  try {
    return (await client.modelConfig(model)).maxBatchSize;
  } finally {
    client.close();
  }
}

function expectShape(run: RunResult, rows: readonly number[], trials = 3): void {
  expect(run.cells.map((c) => `${c.maxBatch}x${c.users}`)).toEqual(rows.flatMap((mb) => [`${mb}x1`, `${mb}x4`]));
  for (const cell of run.cells) {
    expect(cell.trials).toHaveLength(trials);
    for (const trial of cell.trials) {
      expect(trial.requests).toBe(48);
      expect(trial.errors).toBe(0);
      // The steady window (docs/statistics.md §10) holds fewer replies than the 48 sent.
      expect(trial.isSteady).toBe(true);
      expect(trial.items).toBeGreaterThan(0);
      expect(trial.items).toBeLessThan(48);
      expect(trial.dps).toBeCloseTo(trial.items / trial.seconds, 6);
    }
    expect(cell.dpsMedian).toBeGreaterThan(0);
    // Triton's own rate over the same windows (statistics snapshots at the window's edges).
    expect(cell.serverDpsMedian).toBeGreaterThan(0);
    expect(cell.latencyMs.p99).toBeGreaterThanOrEqual(cell.latencyMs.p50);
    // Triton's count of the cell's requests (read once every reply is counted): exactly ours.
    expect(cell.server?.successCount).toBe(trials * 48);
  }
}

const address = sharedTriton().grpcUrl;
const MODEL = 'demo_onnx_matrix';
/** A model whose loads above max_batch 32 fail, like a TensorRT engine built for a fixed optimization profile. */
const LIMITED = 'demo_onnx_matrix_limited';
useModelCopies({
  [MODEL]: {},
  // The `models` strategy's one model per row, loaded by the run (demo_onnx_mb{1,8}: fixed max_batch_size).
  [`${MODEL}_mb1`]: { from: 'demo_onnx_mb1', isLoaded: false },
  [`${MODEL}_mb8`]: { from: 'demo_onnx_mb8', isLoaded: false },
  [LIMITED]: { from: 'demo_onnx_mb8', parameters: { max_batch_limit: '32' } },
});

describe('batch strategies on the real server', () => {
  it('reload: rows at max_batch 1 and 8, batching seen at 4 users, config restored, the fingerprint recorded', async () => {
    const run = await runOn(address, {
      model: MODEL,
      'max-batch': '1,8',
      'batch-strategy': 'reload',
      'max-queue-delay-us': '250',
    });
    expectShape(run, [1, 8]);
    expect(run.isComplete).toBe(true);
    expect(run.rows.map((r) => [r.maxBatch, r.status])).toEqual([
      [1, 'ok'],
      [8, 'ok'],
    ]);
    const cell = (mb: number, users: number) => run.cells.find((c) => c.maxBatch === mb && c.users === users);
    expect(cell(1, 4)?.server?.avgBatch).toBe(1);
    expect(cell(8, 4)?.server?.avgBatch).toBeGreaterThan(1);
    expect(run.environment.tritonVersion).toMatch(/^2\.5\d\./);
    expect(run.environment.configHash).toMatch(/^[0-9a-f]{16}$/);
    // demo_onnx has `dynamic_batching { }`: the delay is the input's; Triton's filled-in [64] is no preference.
    expect(run.environment.batching).toEqual({ isDynamic: true, maxQueueDelayUs: 250, preferredBatchSizes: [] });
    expect(run.environment.toolVersion).toBe(TOOL_VERSION);
    expect(run.environment.transport).toBe('h2');
    // This machine has no GPU (no nvidia-smi): nothing recorded rather than a guess.
    expect(run.environment.gpuNames).toBeUndefined();
    expect(run.method.inputs).toEqual(['input:FP32[64]:random']);
    expect(await maxBatchOf(address, MODEL)).toBe(64);
  });

  it('models: one model per row from a name template, loaded and unloaded again', async () => {
    const run = await runOn(address, {
      model: MODEL,
      'max-batch': '1,8',
      'batch-strategy': 'models',
      'model-template': `${MODEL}_mb{max_batch}`,
    });
    expectShape(run, [1, 8]);
    expect(run.rows.map((r) => r.model)).toEqual([`${MODEL}_mb1`, `${MODEL}_mb8`]);
    const client = new TritonClient({ address, isTls: false });
    try {
      const index = await client.repositoryIndex(true);
      expect(index.map((m) => m.name)).not.toContain(`${MODEL}_mb8`);
    } finally {
      client.close();
    }
  });

  it('command: the user command rewrites the config, then the original max_batch is restored', async () => {
    const script = join(import.meta.dirname, 'fixtures', 'set-max-batch.mjs');
    process.env['REPO_DIR'] = sharedTriton().repoDir;
    process.env['HTTP_URL'] = sharedTriton().httpUrl;
    try {
      const run = await runOn(address, {
        model: MODEL,
        'max-batch': '1,8',
        'batch-strategy': 'command',
        'batch-command': `node ${script}`,
      });
      expectShape(run, [1, 8]);
      expect(await maxBatchOf(address, MODEL)).toBe(64);
    } finally {
      delete process.env['REPO_DIR'];
      delete process.env['HTTP_URL'];
    }
  });

  it('fixed: the server as it is, users only', async () => {
    const run = await runOn(address, { model: MODEL, 'max-batch': '64', 'batch-strategy': 'fixed' });
    expectShape(run, [64]);
  });
});

describe('a row the server refuses to load', () => {
  it("is reported failed with Triton's message and the next row is measured", async () => {
    const run = await runOn(address, {
      model: LIMITED,
      'max-batch': '64,8',
      'batch-strategy': 'reload',
    });
    expect(run.rows.map((r) => [r.maxBatch, r.status])).toEqual([
      [64, 'failed'],
      [8, 'ok'],
    ]);
    expect(run.rows[0]?.message).toMatch(/only supports max-batch 32/);
    expect(
      run.cells.filter((c) => c.maxBatch === 64).every((c) => c.status === 'failed' && c.trials.length === 0),
    ).toBe(true);
    expect(run.cells.filter((c) => c.maxBatch === 8).every((c) => c.status !== 'failed' && c.trials.length === 3)).toBe(
      true,
    );
    expect(run.isComplete).toBe(false);
    expect(await maxBatchOf(address, LIMITED)).toBe(8);
  });
});
