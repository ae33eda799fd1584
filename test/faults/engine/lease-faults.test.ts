/**
 * The model lease on the fake Triton (docs/reliability.md#lease), for what two real runs cannot
 * show on demand: another client reloading the model in the middle of a row, a holder that
 * stopped renewing its lease, a busy model with a short `lock-timeout-s`, and a repository file
 * that itself carries the lease parameter.
 */
import { describe, expect, it } from 'vitest';
import { LeaseBusyError } from '../../../src/control/lease-keeper.js';
import { leaseOf, withLease, type Lease } from '../../../src/control/model-lease.js';
import { configHash, configOverrideJson } from '../../../src/control/override-config.js';
import { TritonClient } from '../../../src/triton/triton-client.js';
import { fakeModelConfig } from '../../support/fake-triton-models.js';
import { isMeasured, setUpEngine } from './engine-harness.js';

const RESTORE = ['unload m', 'load m from disk -> ready'];

function otherLease(overrides: Partial<Lease> = {}): Lease {
  const nowMs = Date.now();
  return {
    id: 'dddddddd-4444',
    host: 'other-runner',
    pid: 77,
    label: 'GitHub run 9 job bench',
    takenAtMs: nowMs,
    renewedAtMs: nowMs,
    ttlMs: 600_000,
    ...overrides,
  };
}

describe('runMatrix with reload: the lease', () => {
  it('discards a row whose model another client reloaded during it, and measures it again', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '8,4' } });
    let isReloaded = false;
    engine.fake.faults.onInfer = () => {
      // Same max_batch as the row's: only the lease tells the change apart.
      if (!isReloaded && engine.fake.inferCount() === 10) {
        isReloaded = true;
        engine.fake.reloadExternally('m', 8);
      }
    };
    const run = await engine.run();
    expect(isReloaded).toBe(true);
    expect(engine.log.lines).toContainEqual(
      "warn: max_batch 8: model 'm' was changed by another client during this row; its results are discarded (it no longer carries the lease it was loaded with); measuring the row again",
    );
    expect(run.rows.map((r) => [r.maxBatch, r.status])).toEqual([
      [8, 'ok'],
      [4, 'ok'],
    ]);
    expect(run.cells.every(isMeasured)).toBe(true);
    expect(engine.events().filter((e) => e === 'load m max_batch=8 -> ready')).toHaveLength(2);
    expect(engine.events().slice(-2)).toEqual(RESTORE);
  });

  it('fails at lock-timeout-s naming the holder, changing nothing, while another run holds the model', async () => {
    const engine = await setUpEngine({
      inputs: { 'lock-timeout-s': '1' },
      models: [{ config: withLease(fakeModelConfig('m', 16), otherLease()) }],
    });
    const error = await engine.run().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LeaseBusyError);
    expect((error as Error).message).toMatch(
      /^model 'm' on 127\.0\.0\.1:\d+ is in use: run dddddddd \(GitHub run 9 job bench\) on host other-runner, pid 77, holding it for \d+ s, fresh for \d+ s more; waited [12] s \(lock-timeout-s 1\)/,
    );
    expect(engine.events()).toEqual([]);
  });

  it('takes over an expired lease: loads the file config first and records it, not the override, as the original', async () => {
    const engine = await setUpEngine({ inputs: { 'max-batch': '4' } });
    // A run that died mid-way left its override (max_batch 8) with a lease it no longer renews.
    const client = new TritonClient({ address: engine.fake.address, isTls: false });
    try {
      const expired = otherLease({ renewedAtMs: Date.now() - 700_000 });
      await client.repositoryModelUnload('m');
      await client.repositoryModelLoad('m', configOverrideJson(withLease(fakeModelConfig('m', 8), expired)));
    } finally {
      client.close();
    }
    const before = engine.events().length;
    const run = await engine.run();
    expect(
      engine.log.lines.some((l) =>
        /^warn: model 'm' on .* taking over a stale lease: run dddddddd .* the lease expired$/.test(l),
      ),
    ).toBe(true);
    expect(engine.events().slice(before)).toEqual([...RESTORE, 'unload m', 'load m max_batch=4 -> ready', ...RESTORE]);
    expect(run.environment.configHash).toBe(configHash(fakeModelConfig('m', 16)));
    const served = engine.fake.model('m').served;
    expect(served?.maxBatchSize).toBe(16);
    expect(served === undefined ? 'unloaded' : leaseOf(served)).toBeUndefined();
  });

  it('refuses a repository config that itself carries the lease parameter instead of taking it over forever', async () => {
    const engine = await setUpEngine({
      inputs: { 'max-batch': '4' },
      models: [{ config: withLease(fakeModelConfig('m', 16), otherLease({ renewedAtMs: 0 })) }],
    });
    const run = await engine.run();
    expect(run.rows[0]?.status).toBe('failed');
    expect(run.rows[0]?.message).toBe(
      "model 'm': its repository config itself has a 'ttg_lease' parameter; remove it from config.pbtxt (the parameter is the lease of runs of this tool)",
    );
  });
});
