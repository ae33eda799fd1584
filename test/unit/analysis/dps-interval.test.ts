// A cell's dps interval and the one test of a difference the conclusions use.
import { describe, expect, it } from 'vitest';
import { intervalOf, isMeasurablyDifferent } from '../../../src/analysis/dps-interval.js';
import { cellOf } from './run-builders.js';

describe('intervalOf', () => {
  it('spans the successful trials and keeps the stored median', () => {
    expect(intervalOf(cellOf(8, 2, [104, 100, 108]))).toEqual({
      maxBatch: 8,
      users: 2,
      median: 104,
      low: 100,
      high: 108,
    });
  });

  it('leaves out trials with errors, and needs two successful ones', () => {
    const cell = cellOf(8, 2, [100, 104, 108]);
    const withErrors = { ...cell, trials: cell.trials.map((t, i) => (i === 2 ? { ...t, errors: 1 } : t)) };
    expect(intervalOf(withErrors)).toMatchObject({ low: 100, high: 104 });
    const oneLeft = { ...cell, trials: cell.trials.map((t, i) => (i > 0 ? { ...t, errors: 1 } : t)) };
    expect(intervalOf(oneLeft)).toBeUndefined();
  });

  it('has none for a failed cell', () => {
    expect(intervalOf(cellOf(8, 2, [100, 104], { status: 'failed' }))).toBeUndefined();
  });
});

describe('isMeasurablyDifferent', () => {
  it('compares intervals as closed ranges', () => {
    const a = { maxBatch: 8, users: 1, median: 1, low: 1, high: 2 };
    expect(isMeasurablyDifferent(a, { ...a, low: 2, high: 3 })).toBe(false);
    expect(isMeasurablyDifferent(a, { ...a, low: 2.01, high: 3 })).toBe(true);
    expect(isMeasurablyDifferent({ ...a, low: 2.01, high: 3 }, a)).toBe(true);
  });
});
