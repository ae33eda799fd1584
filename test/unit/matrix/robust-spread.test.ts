// The robust spread that decides `noisy`: known answers, and one outlier among five trials.
import { describe, expect, it } from 'vitest';
import { robustSpread } from '../../../src/matrix/robust-spread.js';
import { coefficientOfVariation } from '../../../src/matrix/summarize-cell.js';

describe('robustSpread', () => {
  it('is 1.4826 × MAD / median', () => {
    // median 100, deviations 0,2,2,4,4 -> MAD 2.
    expect(robustSpread([100, 98, 102, 96, 104])).toBeCloseTo((1.4826 * 2) / 100, 10);
  });

  it('is 0 with fewer than two values, equal values or a zero median', () => {
    expect(robustSpread([])).toBe(0);
    expect(robustSpread([5])).toBe(0);
    expect(robustSpread([7, 7, 7])).toBe(0);
    expect(robustSpread([0, 0, 1])).toBe(0);
  });

  it('barely moves for one stray trial, where the CV jumps above 10%', () => {
    const steady = [1000, 1010, 990, 1005];
    const withStray = [...steady, 700];
    expect(coefficientOfVariation(withStray)).toBeGreaterThan(0.1);
    expect(robustSpread(withStray)).toBeLessThan(0.02);
  });
});
