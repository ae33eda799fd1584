import { describe, expect, it } from 'vitest';
import { findSaturation, groupSaturation, type DpsPoint } from '../../../src/report/find-saturation.js';

/** A column of `users` with dps per max_batch. */
function column(users: number, dpsByMaxBatch: Record<number, number>): DpsPoint[] {
  return Object.entries(dpsByMaxBatch).map(([maxBatch, dps]) => ({ maxBatch: Number(maxBatch), users, dps }));
}

describe('findSaturation', () => {
  it('picks the smallest max_batch within the tolerance of the best (the classic study)', () => {
    const points = column(8, { 8: 700, 16: 900, 32: 990, 64: 1000 });
    expect(findSaturation(points, 0.03)).toEqual([{ users: 8, maxBatch: 32, bestDps: 1000, isPlateau: true }]);
  });

  it('includes a value exactly on the tolerance boundary', () => {
    const points = column(4, { 8: 97, 16: 100 });
    expect(findSaturation(points, 0.03)[0]?.maxBatch).toBe(8);
  });

  it('says "not a plateau" when the answer is the largest max_batch measured', () => {
    const points = column(10, { 8: 500, 16: 700, 32: 900 });
    expect(findSaturation(points)[0]).toMatchObject({ maxBatch: 32, isPlateau: false });
  });

  it('does not depend on row order and ignores cells without throughput', () => {
    const points = [...column(2, { 64: 400, 8: 398, 16: 0 }), ...column(1, { 8: 220 })];
    expect(findSaturation(points)).toEqual([
      { users: 1, maxBatch: 8, bestDps: 220, isPlateau: false },
      { users: 2, maxBatch: 8, bestDps: 400, isPlateau: true },
    ]);
  });

  it('returns nothing for no points', () => {
    expect(findSaturation([])).toEqual([]);
  });
});

describe('groupSaturation', () => {
  it('merges adjacent columns with the same answer only', () => {
    const saturations = [1, 2, 3, 4, 5].map((users) => ({
      users,
      maxBatch: users === 1 ? 8 : users === 4 ? 16 : 32,
      bestDps: 100,
      isPlateau: true,
    }));
    expect(groupSaturation(saturations)).toEqual([
      { users: [1], maxBatch: 8, isPlateau: true },
      { users: [2, 3], maxBatch: 32, isPlateau: true },
      { users: [4], maxBatch: 16, isPlateau: true },
      { users: [5], maxBatch: 32, isPlateau: true },
    ]);
  });
});
