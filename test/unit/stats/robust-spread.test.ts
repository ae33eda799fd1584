// The two robust spreads (docs/statistics.md §2.3, §10.3): known answers, and one outlier among
// five values barely moving either where the plain CV jumps.
import { describe, expect, it } from 'vitest';
import { coefficientOfVariation } from '../../../src/matrix/summarize-cell.js';
import {
  MAD_TO_SD,
  medianOf,
  robustCvOfLogs,
  robustSpreadOfValues,
  sdFromDifferences,
} from '../../../src/stats/robust-spread.js';

describe('medianOf', () => {
  it('takes the middle value, or the mean of the two middle ones, in any order', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([])).toBeNaN();
  });
});

describe('robustSpreadOfValues', () => {
  it('is 1.4826 × MAD / median', () => {
    // median 100, deviations 0,2,2,4,4 -> MAD 2.
    expect(robustSpreadOfValues([100, 98, 102, 96, 104])).toBeCloseTo((1.4826 * 2) / 100, 10);
  });

  it('is 0 with fewer than two values, equal values or a zero median', () => {
    expect(robustSpreadOfValues([])).toBe(0);
    expect(robustSpreadOfValues([5])).toBe(0);
    expect(robustSpreadOfValues([7, 7, 7])).toBe(0);
    expect(robustSpreadOfValues([0, 0, 1])).toBe(0);
  });

  it('barely moves for one stray trial, where the CV jumps above 10%', () => {
    const steady = [1000, 1010, 990, 1005];
    const withStray = [...steady, 700];
    expect(coefficientOfVariation(withStray)).toBeGreaterThan(0.1);
    expect(robustSpreadOfValues(withStray)).toBeLessThan(0.02);
  });
});

describe('robustCvOfLogs', () => {
  it('is 1.4826 × MAD of the logarithms', () => {
    // ln of e^0, e^0.02, e^-0.02, e^0.04, e^-0.04: median 0, deviations 0,.02,.02,.04,.04 -> MAD 0.02.
    const values = [0, 0.02, -0.02, 0.04, -0.04].map(Math.exp);
    expect(robustCvOfLogs(values)).toBeCloseTo(MAD_TO_SD * 0.02, 12);
  });

  it('ignores values that have no logarithm, and is 0 with fewer than two left', () => {
    expect(robustCvOfLogs([0, -1, 5])).toBe(0);
    expect(robustCvOfLogs([Math.E, 0, Math.exp(1.1)])).toBeCloseTo(MAD_TO_SD * 0.05, 12);
  });

  it('differs from the spread of the values: it measures ratios, not differences', () => {
    const values = [100, 120, 150];
    expect(robustCvOfLogs(values)).toBeCloseTo(MAD_TO_SD * Math.log(1.2), 12);
    expect(robustSpreadOfValues(values)).toBeCloseTo((MAD_TO_SD * 20) / 120, 12);
  });
});

describe('sdFromDifferences', () => {
  it('is 1.4826 × median |d| / √2, undefined without differences', () => {
    expect(sdFromDifferences([0.01, -0.03, 0.02])).toBeCloseTo((MAD_TO_SD * 0.02) / Math.SQRT2, 12);
    expect(sdFromDifferences([])).toBeUndefined();
  });
});
