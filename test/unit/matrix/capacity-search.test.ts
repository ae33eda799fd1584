// The capacity search ends in one of three ways, and says which: refused by Triton, cancelled, or at its bound.
import { describe, expect, it } from 'vitest';
import { MAX_DOUBLINGS, searchCapacity } from '../../../src/matrix/capacity-search.js';
import type { CapacityProbe } from '../../../src/model/run-result.js';

const ok = (maxBatch: number): CapacityProbe => ({ maxBatch, status: 'ok', isSearch: true });

describe('searchCapacity', () => {
  it('stops at the first row Triton refuses', async () => {
    const probes = await searchCapacity(
      64,
      (mb) => Promise.resolve(mb < 256 ? ok(mb) : { maxBatch: mb, status: 'failed', message: 'refused' }),
      new AbortController().signal,
    );
    expect(probes.map((p) => `${p.maxBatch}:${p.status}`)).toEqual(['128:ok', '256:failed']);
    expect(probes.some((p) => p.isSearchBound === true)).toBe(false);
  });

  it('marks a probe that failed because the run was stopped as cancelled, not refused', async () => {
    const abort = new AbortController();
    const probes = await searchCapacity(
      64,
      (mb) => {
        if (mb < 256) return Promise.resolve(ok(mb));
        abort.abort(new Error('interrupted by SIGINT'));
        return Promise.resolve({ maxBatch: mb, status: 'failed', message: 'CANCELLED: Cancelled on client' });
      },
      abort.signal,
    );
    expect(probes.at(-1)).toEqual({
      maxBatch: 256,
      status: 'cancelled',
      message: 'the run was stopped during this probe',
    });
  });

  it('marks the last probe when the search reached its bound without a failure', async () => {
    const probes = await searchCapacity(64, (mb) => Promise.resolve(ok(mb)), new AbortController().signal);
    expect(probes).toHaveLength(MAX_DOUBLINGS);
    expect(probes.at(-1)).toEqual({ ...ok(64 * 2 ** MAX_DOUBLINGS), isSearchBound: true });
  });
});
