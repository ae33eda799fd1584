// The capacity probe over the simulated transport (virtual clock) and the capacity search's
// doubling with a fake row prober: shapes, the full-batch request, failures as answers, the bound.
import { describe, expect, it } from 'vitest';
import { probeCapacity, probeShape } from '../../../src/matrix/capacity-probe.js';
import { MAX_DOUBLINGS, searchCapacity } from '../../../src/matrix/capacity-search.js';
import type { CapacityProbe } from '../../../src/model/run-result.js';
import { createSimulatedTransport } from '../load/simulated-transport.js';

describe('probeShape', () => {
  it.each([
    [64, 8, 8],
    [8, 8, 1],
    [4, 4, 1],
    [20, 8, 3],
  ])('max_batch %i: %i users × %i items', (maxBatch, users, itemsPerRequest) => {
    expect(probeShape(maxBatch)).toEqual({ users, itemsPerRequest });
  });
});

describe('probeCapacity', () => {
  it('times one full-batch request, then runs a loop at users × items = max_batch', async () => {
    const transport = createSimulatedTransport({ latencyMs: () => 4 });
    const built: number[] = [];
    const probe = await probeCapacity(64, {
      transport,
      clock: transport.clock,
      signal: new AbortController().signal,
      timeoutMs: 100,
      readStats: () => Promise.resolve(undefined),
      buildRequest: (items) => {
        built.push(items);
        return new Uint8Array([items]);
      },
      inferOnce: () => Promise.resolve(),
    });
    expect(built).toEqual([64, 8]);
    expect(probe).toMatchObject({
      maxBatch: 64,
      status: 'ok',
      fullRequestMs: 0,
      loop: { users: 8, itemsPerRequest: 8, errors: 0 },
    });
    // 8 users with 4 ms replies, 8 items each: 16,000 items/s in the steady window.
    expect(probe.loop?.dps).toBe(16_000);
  });

  it('answers failed with the message when the full-batch request fails', async () => {
    const transport = createSimulatedTransport();
    const probe = await probeCapacity(128, {
      transport,
      clock: transport.clock,
      signal: new AbortController().signal,
      timeoutMs: 100,
      readStats: () => Promise.resolve(undefined),
      buildRequest: () => new Uint8Array([1]),
      inferOnce: () => Promise.reject(new Error('INVALID_ARGUMENT: batch too large')),
    });
    expect(probe).toEqual({
      maxBatch: 128,
      status: 'failed',
      message: 'a request of 128 items failed: INVALID_ARGUMENT: batch too large',
    });
    expect(transport.sent).toHaveLength(0);
  });
});

describe('searchCapacity', () => {
  const prober =
    (limit: number, seen: number[]) =>
    (maxBatch: number): Promise<CapacityProbe> => {
      seen.push(maxBatch);
      return Promise.resolve(
        maxBatch <= limit ? { maxBatch, status: 'ok' } : { maxBatch, status: 'failed', message: 'refused' },
      );
    };

  it('doubles past the largest row until the first failure', async () => {
    const seen: number[] = [];
    const probes = await searchCapacity(64, prober(256, seen), new AbortController().signal);
    expect(seen).toEqual([128, 256, 512]);
    expect(probes.map((p) => p.status)).toEqual(['ok', 'ok', 'failed']);
  });

  it('stops at the bound when nothing fails, and at once when aborted', async () => {
    const seen: number[] = [];
    expect(await searchCapacity(8, prober(Number.POSITIVE_INFINITY, seen), new AbortController().signal)).toHaveLength(
      MAX_DOUBLINGS,
    );
    expect(seen.at(-1)).toBe(8 * 2 ** MAX_DOUBLINGS);
    expect(await searchCapacity(8, prober(64, []), AbortSignal.abort())).toEqual([]);
  });
});
