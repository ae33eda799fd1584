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
  it('pools trials of one run and gives its within-run robust CV', () => {
    const summary = summarizeBaseline([[110, 90, 100]]);
    expect(summary).toMatchObject({ count: 3, median: 100, runs: 1, runMedians: [100] });
    // |ln x − ln 100| = {0.0953, 0.1054, 0}: MAD ln 1.1; the plain CV would be 0.1.
    expect(summary?.withinRunCv).toBeCloseTo(1.4826 * Math.log(1.1), 12);
    expect(summary?.cv).toBeCloseTo(0.1, 12);
  });

  it("takes the median of the runs' robust CVs and lists the run medians", () => {
    const summary = summarizeBaseline([
      [119, 120, 121],
      [99, 100, 101],
    ]);
    expect(summary).toMatchObject({ runs: 2, runMedians: [100, 120], count: 6, median: 110 });
    // Run MADs of ln x: ln(121/120) and ln 1.01; the median of two is their mean.
    expect(summary?.withinRunCv).toBeCloseTo((1.4826 * (Math.log(121 / 120) + Math.log(1.01))) / 2, 12);
  });

  it('one outlier trial does not move the within-run noise', () => {
    const clean = summarizeBaseline([[990, 995, 1000, 1005, 1010]]);
    const spoiled = summarizeBaseline([[990, 995, 1000, 1005, 500]]);
    expect(spoiled?.withinRunCv).toBeCloseTo(clean?.withinRunCv ?? 0, 3);
    expect(spoiled?.cv).toBeGreaterThan(0.2);
  });

  it('ignores runs without successful trials and does not depend on run order', () => {
    const a = summarizeBaseline([[100, 104, 98], [], [101, 97, 103]]);
    const b = summarizeBaseline([
      [103, 97, 101],
      [98, 104, 100],
    ]);
    expect(a).toEqual(b);
    expect(summarizeBaseline([[], []])).toBeUndefined();
  });
});
