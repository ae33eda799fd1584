// runRowRounds over the simulated transport (virtual clock, no sockets) and a fake controller:
// the rows are visited round by round as planned, each cell gets all its trials tagged with
// their rounds, the apply time adds up over the visits, and a row that fails on a later visit
// fails whole while the others go on.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import type { ModelController } from '../../../src/control/model-controller.js';
import { runRowRounds } from '../../../src/matrix/run-row-rounds.js';
import type { RowRunDeps } from '../../../src/matrix/run-row.js';
import { fakeModelConfig } from '../../support/fake-triton-models.js';
import { createSimulatedTransport } from '../load/simulated-transport.js';

const APPLY_MS = 1000;

function configOf(inputs: Record<string, string> = {}): Config {
  return parseConfig({
    model: 'm',
    'max-batch': '8,16,32',
    users: '1,2',
    requests: '4',
    trials: '3',
    'row-rounds': '3',
    'warmup-requests': '0',
    'max-reruns': '0',
    'input-data': 'zeros',
    seed: '3',
    'baseline-store': 'none',
    ...inputs,
  });
}

/** Deps whose controller records every apply and refuses `failOn` from its `failFrom`-th apply on. */
function harnessOf(fail?: { readonly maxBatch: number; readonly fromApply: number }): {
  deps: RowRunDeps;
  applies: number[];
} {
  const transport = createSimulatedTransport({ latencyMs: () => 5 });
  const applies: number[] = [];
  let offsetMs = 0;
  const base = fakeModelConfig('m', 8);
  const controller: ModelController = {
    apply: (maxBatch) => {
      applies.push(maxBatch);
      offsetMs += APPLY_MS;
      const count = applies.filter((row) => row === maxBatch).length;
      if (fail !== undefined && maxBatch === fail.maxBatch && count >= fail.fromApply)
        return Promise.reject(new Error('load refused'));
      return Promise.resolve({ model: 'm', config: { ...base, maxBatchSize: maxBatch } });
    },
    restore: () => Promise.resolve(),
  };
  const client: RowRunDeps['client'] = {
    inferRaw: () => Promise.resolve(Buffer.alloc(0)),
    modelConfig: () => Promise.resolve(base),
    // A server without the statistics extension: the trial reads no counters and so waits for none.
    modelStatistics: () => Promise.reject(new Error('statistics extension not enabled')),
    serverLive: () => Promise.resolve(true),
  };
  const deps: RowRunDeps = {
    client,
    transport,
    controller,
    log: { info: () => undefined, warn: () => undefined },
    files: new Map(),
    signal: new AbortController().signal,
    clock: () => transport.clock() + offsetMs,
  };
  return { deps, applies };
}

describe('runRowRounds', () => {
  it('visits the rows round by round and gives every cell its trials over the rounds', async () => {
    const { deps, applies } = harnessOf();
    const state = { order: 0, done: 0, total: 18 };
    const outcome = await runRowRounds(configOf(), deps, [8, 16, 32], state);
    // Forward, backward, forward: the turning row is put at its max_batch once per turn.
    expect(applies).toEqual([8, 16, 32, 16, 8, 16, 32]);
    expect(outcome.rows).toEqual([
      { maxBatch: 8, model: 'm', status: 'ok', applySeconds: 2 },
      { maxBatch: 16, model: 'm', status: 'ok', applySeconds: 3 },
      { maxBatch: 32, model: 'm', status: 'ok', applySeconds: 2 },
    ]);
    expect(outcome.cells.map((cell) => [cell.maxBatch, cell.users, cell.status])).toEqual([
      [8, 1, 'ok'],
      [8, 2, 'ok'],
      [16, 1, 'ok'],
      [16, 2, 'ok'],
      [32, 1, 'ok'],
      [32, 2, 'ok'],
    ]);
    for (const cell of outcome.cells) {
      expect(cell.trials.map((trial) => trial.round).sort()).toEqual([0, 1, 2]);
    }
    expect(state.order).toBe(18);
    expect(outcome.isAborted).toBe(false);
  });

  it('fails a row that does not load on a later visit, whole, and measures the others', async () => {
    const { deps, applies } = harnessOf({ maxBatch: 16, fromApply: 2 });
    const outcome = await runRowRounds(configOf(), deps, [8, 16, 32], { order: 0, done: 0, total: 18 });
    // After its failure the row is not visited again.
    expect(applies).toEqual([8, 16, 32, 16, 8, 32]);
    expect(outcome.rows.map((row) => [row.maxBatch, row.status, row.message])).toEqual([
      [8, 'ok', undefined],
      [16, 'failed', 'load refused'],
      [32, 'ok', undefined],
    ]);
    expect(outcome.cells.filter((cell) => cell.maxBatch === 16).every((cell) => cell.status === 'failed')).toBe(true);
    expect(outcome.cells.filter((cell) => cell.maxBatch !== 16).every((cell) => cell.trials.length === 3)).toBe(true);
  });

  it('probes a row once, on its last visit', async () => {
    const { deps } = harnessOf();
    const outcome = await runRowRounds(configOf({ capacity: 'probe' }), deps, [8, 16], {
      order: 0,
      done: 0,
      total: 12,
    });
    expect(outcome.capacity.map((probe) => probe.maxBatch)).toEqual([8, 16]);
  });
});
