// The client's dps against Triton's own rate over the same windows, cell by cell.
import { describe, expect, it } from 'vitest';
import { CROSS_CHECK_TOLERANCE, findCrossCheck, serverGap } from '../../../src/analysis/cross-check.js';
import { cellOf } from './run-builders.js';

describe('serverGap', () => {
  it('is server / client − 1 when both figures exist', () => {
    expect(serverGap(cellOf(8, 2, [200, 200], { serverDpsMedian: 190 }))).toBeCloseTo(-0.05, 12);
    expect(serverGap(cellOf(8, 2, [200, 200]))).toBeUndefined();
    expect(serverGap(cellOf(8, 2, [0, 0], { serverDpsMedian: 10 }))).toBeUndefined();
  });
});

describe('findCrossCheck', () => {
  it('counts the checked cells, the largest gap, and the cells beyond the tolerance in order', () => {
    // 16 × 1 is just inside the tolerance (+1.9%).
    const check = findCrossCheck([
      cellOf(8, 1, [100, 100]),
      cellOf(8, 2, [200, 200], { serverDpsMedian: 203 }),
      cellOf(16, 2, [200, 200], { serverDpsMedian: 190 }),
      cellOf(16, 1, [100, 100], { serverDpsMedian: 100 * (1 + CROSS_CHECK_TOLERANCE) - 0.1 }),
    ]);
    expect(check?.checked).toBe(3);
    expect(check?.worstGap).toBeCloseTo(0.05, 12);
    expect(check?.disagreeing.map((cell) => [cell.maxBatch, cell.users])).toEqual([[16, 2]]);
  });

  it('is undefined without server rates', () => {
    expect(findCrossCheck([cellOf(8, 1, [100, 100])])).toBeUndefined();
  });
});
