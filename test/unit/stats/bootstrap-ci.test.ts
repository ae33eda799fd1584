import { describe, expect, it } from 'vitest';
import { bootstrapRelativeChangeCi } from '../../../src/stats/bootstrap-ci.js';
import { createRng } from '../../../src/rng.js';

const BASELINE = [100, 102, 98, 101, 99, 103, 97, 100, 101, 99];
const CURRENT = [90, 91, 89, 92, 88];

describe('bootstrapRelativeChangeCi', () => {
  it('is deterministic for a seed and independent of the order of values', () => {
    const first = bootstrapRelativeChangeCi(CURRENT, BASELINE, createRng(11), { resamples: 2000 });
    const again = bootstrapRelativeChangeCi(CURRENT, BASELINE, createRng(11), { resamples: 2000 });
    const reordered = bootstrapRelativeChangeCi([...CURRENT].reverse(), [...BASELINE].reverse(), createRng(11), {
      resamples: 2000,
    });
    expect(again).toEqual(first);
    expect(reordered).toEqual(first);
  });

  it('brackets the observed change of medians (−10%) and lies within the data range', () => {
    const [lower, upper] = bootstrapRelativeChangeCi(CURRENT, BASELINE, createRng(3), { resamples: 2000 });
    expect(lower).toBeLessThan(-0.1);
    expect(upper).toBeGreaterThan(-0.1);
    // Extreme possible resample ratios: 88/103 − 1 and 92/97 − 1.
    expect(lower).toBeGreaterThanOrEqual(88 / 103 - 1);
    expect(upper).toBeLessThanOrEqual(92 / 97 - 1);
  });

  it('collapses to [0, 0] when both sides are the same constant', () => {
    expect(bootstrapRelativeChangeCi([5, 5, 5], [5, 5, 5], createRng(1), { resamples: 100 })).toEqual([0, 0]);
  });

  it('narrows as the level drops', () => {
    const wide = bootstrapRelativeChangeCi(CURRENT, BASELINE, createRng(8), { resamples: 1000 });
    const narrow = bootstrapRelativeChangeCi(CURRENT, BASELINE, createRng(8), { resamples: 1000, level: 0.5 });
    expect(narrow[1] - narrow[0]).toBeLessThan(wide[1] - wide[0]);
  });

  it('rejects empty samples as a bug', () => {
    expect(() => bootstrapRelativeChangeCi([], [1], createRng(1), { resamples: 10 })).toThrow();
  });
});
