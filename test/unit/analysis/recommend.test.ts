// The recommendation: per users level the smallest max_batch within noise of the column's best,
// and under a latency budget the best cells that meet it and the rows that never do.
import { describe, expect, it } from 'vitest';
import { recommend, withRecommendation } from '../../../src/analysis/recommend.js';
import type { Cell } from '../../../src/model/run-result.js';
import { cellOf, runOf } from './run-builders.js';

const latency = (p99: number): Partial<Cell> => ({
  latencyMs: { p50: p99 / 2, p90: p99 * 0.8, p99, max: p99, mean: p99 / 2 },
});

describe('recommend', () => {
  it('picks the smallest row whose trial range overlaps the best one, per users level', () => {
    const run = runOf([
      cellOf(8, 1, [100, 101, 102]),
      cellOf(16, 1, [100, 102, 103]),
      cellOf(8, 8, [300, 301, 302]),
      cellOf(16, 8, [395, 400, 404]),
      cellOf(32, 8, [398, 402, 405]),
    ]);
    expect(recommend(run).perUsers).toEqual([
      { users: 1, maxBatch: 8, dps: 101, bestMaxBatch: 16, bestDps: 102, basis: 'measured' },
      { users: 8, maxBatch: 16, dps: 400, bestMaxBatch: 32, bestDps: 402, basis: 'measured' },
    ]);
  });

  it('with single trials takes the smallest row within 5% of the best as observed', () => {
    const run = runOf([cellOf(8, 4, [100]), cellOf(16, 4, [119]), cellOf(32, 4, [124]), cellOf(64, 4, [121])]);
    expect(recommend(run).perUsers).toEqual([
      { users: 4, maxBatch: 16, dps: 119, bestMaxBatch: 32, bestDps: 124, basis: 'single-trial' },
    ]);
  });

  it('never recommends a noisy or failed cell, and counts the noisy ones left out', () => {
    const run = runOf([
      cellOf(8, 2, [100, 101]),
      cellOf(16, 2, [200, 201], { status: 'noisy' }),
      cellOf(32, 2, [0], { status: 'failed' }),
    ]);
    expect(recommend(run)).toEqual({
      perUsers: [{ users: 2, maxBatch: 8, dps: 101, bestMaxBatch: 8, bestDps: 101, basis: 'measured' }],
      noisyLeftOut: 1,
    });
  });

  it('under a budget: the best cell within it per users level and overall, and the rows never within', () => {
    const run = runOf([
      cellOf(8, 1, [100, 101], latency(5)),
      cellOf(8, 4, [300, 301], latency(11)),
      cellOf(32, 1, [99, 100], latency(6)),
      cellOf(32, 4, [390, 391], latency(9)),
      cellOf(64, 1, [98, 99], latency(21)),
      cellOf(64, 4, [420, 421], latency(25)),
    ]);
    const answer = recommend(run, { ms: 10, percentile: 'p99' }).budget;
    expect(answer).toEqual({
      budget: { ms: 10, percentile: 'p99' },
      perUsers: [
        { users: 1, cell: { maxBatch: 8, users: 1, dps: 101, latencyMs: 5 } },
        { users: 4, cell: { maxBatch: 32, users: 4, dps: 391, latencyMs: 9 } },
      ],
      overall: { maxBatch: 32, users: 4, dps: 391, latencyMs: 9 },
      rowsNeverWithin: [64],
    });
    // The percentile is the budget's: at p50 every cell meets 13 ms.
    expect(recommend(run, { ms: 13, percentile: 'p50' }).budget?.overall).toMatchObject({ maxBatch: 64, users: 4 });
  });

  it('says when no cell meets the budget', () => {
    const run = runOf([cellOf(8, 1, [100, 101], latency(50)), cellOf(16, 1, [100, 101], latency(60))]);
    expect(recommend(run, { ms: 10, percentile: 'p99' }).budget).toEqual({
      budget: { ms: 10, percentile: 'p99' },
      perUsers: [{ users: 1, cell: undefined }],
      overall: undefined,
      rowsNeverWithin: [8, 16],
    });
  });

  it('withRecommendation replaces a recommendation the run carried', () => {
    const run = runOf([cellOf(8, 1, [100, 101])], { recommendation: { perUsers: [], noisyLeftOut: 9 } });
    expect(withRecommendation(run).recommendation?.noisyLeftOut).toBe(0);
    expect(withRecommendation(run, { ms: 1, percentile: 'p99' }).recommendation?.budget?.overall).toBeUndefined();
  });
});
