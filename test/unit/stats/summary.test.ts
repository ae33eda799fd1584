import { describe, expect, it } from 'vitest';
import { successfulDps, summarizeBaseline, summarizeSample } from '../../../src/stats/summary.js';
import { trial } from './fixtures.js';

describe('successfulDps', () => {
  it('keeps only error-free, finite trials, ascending', () => {
    const trials = [trial(30), trial(10), trial(99, 3), trial(Number.NaN), trial(20)];
    expect(successfulDps(trials)).toEqual([10, 20, 30]);
  });
});

describe('summarizeSample', () => {
  it('gives median, mean and CV (sample standard deviation / mean)', () => {
    // mean 100, sample variance ((−10)² + 0 + 10²) / 2 = 100 → sd 10 → CV 0.1.
    const summary = summarizeSample([110, 90, 100]);
    expect(summary).toMatchObject({ values: [90, 100, 110], count: 3, median: 100, mean: 100 });
    expect(summary?.cv).toBeCloseTo(0.1, 12);
  });

  it('uses the mean of the two middle values for an even count, CV 0 for one value', () => {
    expect(summarizeSample([4, 1, 3, 2])?.median).toBe(2.5);
    expect(summarizeSample([7])).toMatchObject({ median: 7, cv: 0 });
    expect(summarizeSample([])).toBeUndefined();
  });
});

describe('summarizeBaseline', () => {
  it('pools trials of one run and gives its within-run CV', () => {
    const summary = summarizeBaseline([[110, 90, 100]]);
    expect(summary).toMatchObject({ count: 3, median: 100, runs: 1, runMedians: [100] });
    expect(summary?.withinRunCv).toBeCloseTo(0.1, 12);
  });

  it('pools the within-run CV with weights n − 1 and lists the run medians', () => {
    const summary = summarizeBaseline([[119, 120, 121], [99, 100, 101]]);
    expect(summary).toMatchObject({ runs: 2, runMedians: [100, 120], count: 6, median: 110 });
    // CVs 1/100 and 1/120, two degrees of freedom each: sqrt((2·(1/100)² + 2·(1/120)²) / 4).
    expect(summary?.withinRunCv).toBeCloseTo(Math.sqrt((1e-4 + 1 / 14400) / 2), 12);
  });

  it('ignores runs without successful trials and does not depend on run order', () => {
    const a = summarizeBaseline([[100, 104, 98], [], [101, 97, 103]]);
    const b = summarizeBaseline([[103, 97, 101], [98, 104, 100]]);
    expect(a).toEqual(b);
    expect(summarizeBaseline([[], []])).toBeUndefined();
  });
});
