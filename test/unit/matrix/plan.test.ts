// The order of measurement: each row's trials are a seeded shuffle of users × trials; shards
// take every n-th row; warm-up defaults to max(32, 2 × users).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRow, shardRows, warmupRequests, type PlannedTrial } from '../../../src/matrix/plan.js';

const USERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const key = (p: PlannedTrial): string => `${p.users}/${p.trial}`;

describe('planRow', () => {
  it('is a permutation of users × trials', () => {
    const plan = planRow(8, USERS, 5, 1);
    expect(plan).toHaveLength(50);
    const expected = USERS.flatMap((users) => [0, 1, 2, 3, 4].map((trial) => key({ users, trial })));
    expect(plan.map(key).sort()).toEqual(expected.sort());
  });

  it('is a permutation for any users, trials and seed (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 4_294_967_295 }),
        fc.integer({ min: 0, max: 1024 }),
        (users, trials, seed, maxBatch) => {
          const plan = planRow(maxBatch, users, trials, seed);
          expect(plan).toHaveLength(users.length * trials);
          expect(new Set(plan.map(key)).size).toBe(plan.length);
          expect(plan.every((p) => users.includes(p.users) && p.trial >= 0 && p.trial < trials)).toBe(true);
        },
      ),
    );
  });

  it('is deterministic for a seed and row', () => {
    expect(planRow(16, USERS, 5, 42)).toEqual(planRow(16, USERS, 5, 42));
  });

  it('differs between rows and between seeds, and is not the unshuffled order', () => {
    const base = planRow(8, USERS, 5, 1).map(key);
    expect(planRow(16, USERS, 5, 1).map(key)).not.toEqual(base);
    expect(planRow(8, USERS, 5, 2).map(key)).not.toEqual(base);
    const unshuffled = USERS.flatMap((users) => [0, 1, 2, 3, 4].map((trial) => key({ users, trial })));
    expect(base).not.toEqual(unshuffled);
  });

  it('spreads each cell over the row: no cell has all its trials in one half', () => {
    const plan = planRow(32, USERS, 5, 7);
    const half = plan.length / 2;
    const inFirstHalf = (users: number) => plan.slice(0, half).filter((p) => p.users === users).length;
    expect(USERS.filter((u) => inFirstHalf(u) === 0 || inFirstHalf(u) === 5).length).toBeLessThan(USERS.length / 2);
  });

  it('handles a single cell and a single trial', () => {
    expect(planRow(8, [4], 1, 1)).toEqual([{ users: 4, trial: 0 }]);
  });
});

describe('shardRows', () => {
  const rows = [8, 16, 32, 64, 128];

  it('gives every row to shard 1/1', () => {
    expect(shardRows(rows, { index: 1, count: 1 })).toEqual(rows);
  });

  it('deals rows round-robin: every row in exactly one shard, config order kept', () => {
    const shards = [1, 2, 3].map((index) => shardRows(rows, { index, count: 3 }));
    expect(shards).toEqual([[8, 64], [16, 128], [32]]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(rows);
  });

  it('gives one row per shard when there are as many shards as rows', () => {
    expect(rows.map((_, i) => shardRows(rows, { index: i + 1, count: rows.length }))).toEqual(rows.map((r) => [r]));
  });
});

describe('warmupRequests', () => {
  it.each([
    [1, 32],
    [10, 32],
    [16, 32],
    [17, 34],
    [256, 512],
  ])('defaults to max(32, 2 × users): %i users -> %i', (users, expected) => {
    expect(warmupRequests(undefined, users)).toBe(expected);
  });

  it('uses the configured number, 0 included', () => {
    expect(warmupRequests(100, 64)).toBe(100);
    expect(warmupRequests(0, 64)).toBe(0);
  });
});
