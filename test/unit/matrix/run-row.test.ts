// runRow over the simulated transport (virtual clock, no sockets) and a fake client and
// controller: the row's apply time comes from the injected clock, a row that does not load or
// answer fails with the reason, a measured row carries its cells and advances the trial order,
// and a model changed by another client during the row discards its results.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import type { ModelController } from '../../../src/control/model-controller.js';
import { withLease, type Lease } from '../../../src/control/model-lease.js';
import { create } from '@bufbuild/protobuf';
import { ModelDynamicBatchingSchema, type ModelConfig } from '../../../src/gen/model_config_pb.js';
import { runRow, type RowRunDeps, type RowRunState } from '../../../src/matrix/run-row.js';
import { fakeModelConfig } from '../../support/fake-triton-models.js';
import { createSimulatedTransport } from '../load/simulated-transport.js';

const APPLY_MS = 2500;

function configOf(inputs: Record<string, string> = {}): Config {
  return parseConfig({
    model: 'm',
    'max-batch': '8',
    users: '1,2',
    requests: '4',
    trials: '3',
    'warmup-requests': '0',
    'max-reruns': '0',
    'input-data': 'zeros',
    seed: '3',
    'baseline-store': 'none',
    ...inputs,
  });
}

interface Harness {
  readonly deps: RowRunDeps;
  readonly warnings: string[];
  readonly progress: number[];
}

/**
 * A row's deps: the controller's apply takes APPLY_MS on the injected clock (the simulated
 * transport's virtual time plus the apply's offset), then resolves or fails with `applyError`.
 */
function harnessOf(options: {
  readonly applyError?: string;
  readonly inferError?: string;
  /** What ModelConfig reports after the row; default: the config the row was loaded with. */
  readonly liveConfig?: (applied: ModelConfig) => ModelConfig;
  /** The served dynamic_batching.max_queue_delay_microseconds; default: none set. */
  readonly queueDelayUs?: bigint;
}): Harness {
  const transport = createSimulatedTransport({ latencyMs: () => 5 });
  let offsetMs = 0;
  const fake = fakeModelConfig('m', 8);
  const delay = options.queueDelayUs;
  const applied: ModelConfig =
    delay === undefined
      ? fake
      : {
          ...fake,
          schedulingChoice: {
            case: 'dynamicBatching',
            value: create(ModelDynamicBatchingSchema, { maxQueueDelayMicroseconds: delay }),
          },
        };
  const warnings: string[] = [];
  const progress: number[] = [];
  const controller: ModelController = {
    apply: (maxBatch) => {
      offsetMs += APPLY_MS;
      if (options.applyError !== undefined) return Promise.reject(new Error(options.applyError));
      return Promise.resolve({ model: 'm', config: { ...applied, maxBatchSize: maxBatch } });
    },
    restore: () => Promise.resolve(),
  };
  const client: RowRunDeps['client'] = {
    inferRaw: () =>
      options.inferError === undefined
        ? Promise.resolve(Buffer.alloc(0))
        : Promise.reject(new Error(options.inferError)),
    modelConfig: () => Promise.resolve(options.liveConfig?.(applied) ?? applied),
    // A server without the statistics extension: the trial reads no counters and so waits for none.
    modelStatistics: () => Promise.reject(new Error('statistics extension not enabled')),
    serverLive: () => Promise.resolve(true),
  };
  return {
    deps: {
      client,
      transport,
      controller,
      log: { info: () => undefined, warn: (m) => warnings.push(m) },
      files: new Map(),
      signal: new AbortController().signal,
      clock: () => transport.clock() + offsetMs,
      onProgress: (p) => progress.push(p.done),
    },
    warnings,
    progress,
  };
}

const freshState = (): RowRunState => ({ order: 5, done: 0, total: 6 });

describe('runRow', () => {
  it('measures a row that loads: apply time from the injected clock, cells, trial order and progress', async () => {
    const { deps, progress } = harnessOf({});
    const state = freshState();
    const outcome = await runRow(configOf(), deps, 8, state);
    expect(outcome.row).toEqual({ maxBatch: 8, model: 'm', status: 'ok', applySeconds: APPLY_MS / 1000 });
    expect(outcome.cells.map((c) => [c.maxBatch, c.users, c.trials.length])).toEqual([
      [8, 1, 3],
      [8, 2, 3],
    ]);
    expect(outcome.isAborted).toBe(false);
    expect(outcome.probe).toBeUndefined();
    expect(state.order).toBe(11);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fails a row that does not load with the controller message, on every cell, and warns', async () => {
    const { deps, warnings } = harnessOf({ applyError: 'load refused' });
    const outcome = await runRow(configOf({ capacity: 'probe' }), deps, 8, freshState());
    expect(outcome.row).toEqual({
      maxBatch: 8,
      model: 'm',
      status: 'failed',
      message: 'load refused',
      failure: 'load',
      applySeconds: APPLY_MS / 1000,
    });
    expect(outcome.cells.map((c) => [c.users, c.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
    ]);
    expect(outcome.probe).toEqual({ maxBatch: 8, status: 'failed', message: 'load refused' });
    expect(outcome.lostServer).toBeUndefined();
    expect(warnings).toEqual(['max_batch 8: load refused']);
  });

  it('names the row model of the models strategy when its load fails', async () => {
    const { deps } = harnessOf({ applyError: 'no such model' });
    const config = configOf({ 'batch-strategy': 'models', 'model-template': 'm_mb{max_batch}' });
    const outcome = await runRow(config, deps, 8, freshState());
    expect(outcome.row.model).toBe('m_mb8');
  });

  it('fails a row whose first request fails, measuring nothing', async () => {
    const { deps, progress } = harnessOf({ inferError: 'INVALID_ARGUMENT: bad shape' });
    const outcome = await runRow(configOf(), deps, 8, freshState());
    expect(outcome.row).toMatchObject({
      status: 'failed',
      message: 'the first request failed: INVALID_ARGUMENT: bad shape',
      failure: 'request',
    });
    expect(progress).toEqual([]);
  });

  it('discards a row during which another client changed the model', async () => {
    const lease: Lease = { id: 'other', host: 'h', pid: 1, label: 'cli', takenAtMs: 0, renewedAtMs: 0, ttlMs: 60_000 };
    const { deps } = harnessOf({ liveConfig: (applied) => withLease(applied, lease) });
    const outcome = await runRow(configOf(), deps, 8, freshState());
    expect(outcome.isModelChanged).toBe(true);
    expect(outcome.row.status).toBe('failed');
    expect(outcome.row.message).toMatch(/^model 'm' was changed by another client during this row/);
    expect(outcome.cells.every((c) => c.status === 'failed')).toBe(true);
  });

  it('warns before a row whose cells the queue delay makes slow, naming the setting to change', async () => {
    const slow = /will take at least/;
    const fast = harnessOf({ queueDelayUs: 100_000n });
    await runRow(configOf(), fast.deps, 8, freshState());
    expect(fast.warnings.filter((w) => slow.test(w))).toEqual([]);
    // 3 s per request: at 1 user, 3 trials × 5 requests (4 + the 1-request minimum warm-up) = 45 s;
    // at 2 users, 3 trials × 3 requests per user = 27 s, not slow.
    const { deps, warnings } = harnessOf({ queueDelayUs: 3_000_000n });
    await runRow(configOf(), deps, 8, freshState());
    expect(warnings.filter((w) => slow.test(w))).toEqual([
      'max_batch 8: the cell at 1 user will take at least 45 s: its dynamic_batching.max_queue_delay_microseconds ' +
        'is 3000000 and 1 user × 1 item cannot fill max_batch 8, so every request waits 3 s. ' +
        'To shorten: a lower `max-queue-delay-us`, fewer `requests`, `trial-seconds` to bound each trial, fewer `warmup-requests`.',
    ]);
  });
});
