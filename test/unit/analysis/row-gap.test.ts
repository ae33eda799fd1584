// Two cells of one column: the gap between their medians and what backs it.
import { describe, expect, it } from 'vitest';
import { gapBetween, isNotableGap, withinNoiseOf } from '../../../src/analysis/row-gap.js';
import { cellOf } from './run-builders.js';

describe('gapBetween', () => {
  it('is measured when the trial ranges do not overlap, slower first whatever the order', () => {
    const gap = gapBetween(cellOf(32, 4, [150, 152, 155]), cellOf(8, 4, [100, 101, 102]));
    expect(gap).toEqual({
      slower: { maxBatch: 8, dps: 101 },
      faster: { maxBatch: 32, dps: 152 },
      size: 152 / 101 - 1,
      evidence: 'measured',
    });
    expect(isNotableGap(gap)).toBe(true);
  });

  it('is within the spread when the ranges overlap, however large the medians differ', () => {
    const gap = gapBetween(cellOf(8, 4, [100, 101, 130]), cellOf(32, 4, [125, 128, 131]));
    expect(gap.evidence).toBe('within-spread');
    expect(isNotableGap(gap)).toBe(false);
  });

  it('is a single observation when a cell has one trial: notable from 5% on', () => {
    const small = gapBetween(cellOf(8, 4, [100]), cellOf(32, 4, [104.9]));
    expect(small.evidence).toBe('single-trial');
    expect(isNotableGap(small)).toBe(false);
    const large = gapBetween(cellOf(8, 4, [100]), cellOf(32, 4, [110, 111, 112]));
    expect(large.evidence).toBe('single-trial');
    expect(isNotableGap(large)).toBe(true);
  });
});

describe('withinNoiseOf', () => {
  it('judges measured cells by their ranges and single trials by the 5% tolerance', () => {
    const best = cellOf(32, 4, [150, 152, 155]);
    expect(withinNoiseOf(cellOf(16, 4, [148, 151, 153]), best)).toEqual({ isWithin: true, basis: 'measured' });
    expect(withinNoiseOf(cellOf(8, 4, [100, 101, 102]), best)).toEqual({ isWithin: false, basis: 'measured' });
    expect(withinNoiseOf(cellOf(16, 4, [96]), cellOf(32, 4, [100]))).toEqual({ isWithin: true, basis: 'single-trial' });
    expect(withinNoiseOf(cellOf(16, 4, [94]), cellOf(32, 4, [100]))).toEqual({
      isWithin: false,
      basis: 'single-trial',
    });
    expect(withinNoiseOf(best, best)).toEqual({ isWithin: true, basis: 'measured' });
  });
});
