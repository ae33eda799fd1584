// The recommendation in words: the max_batch per users level, and the answer under a latency budget.
import { describe, expect, it } from 'vitest';
import { recommend } from '../../../src/analysis/recommend.js';
import type { Cell } from '../../../src/model/run-result.js';
import { recommendationLines } from '../../../src/report/recommendation-lines.js';
import { cellOf, runOf } from '../analysis/run-builders.js';

const latency = (p99: number): Partial<Cell> => ({ latencyMs: { p50: 1, p90: 2, p99, max: p99, mean: 1 } });

const run = runOf([
  cellOf(8, 1, [100, 101, 102], latency(5)),
  cellOf(16, 1, [100, 102, 103], latency(6)),
  cellOf(8, 2, [180, 181, 182], latency(8)),
  cellOf(16, 2, [181, 182, 184], latency(9)),
  cellOf(8, 3, [200, 201, 202], latency(12)),
  cellOf(16, 3, [260, 262, 263], latency(14)),
]);

describe('recommendationLines', () => {
  it('groups adjacent users levels with the same answer and says how noise was judged', () => {
    expect(recommendationLines(recommend(run))).toEqual([
      {
        topic: 'Throughput',
        text: "1–2 users: max_batch 8 · 3 users: max_batch 16: the smallest max_batch whose dps is within noise of its column's best (its trials' range overlaps the best's).",
      },
    ]);
  });

  it('adds the budget: the best cell within it, per users level, and the rows that never meet it', () => {
    const [, budget] = recommendationLines(recommend(run, { ms: 10, percentile: 'p99' }));
    expect(budget).toEqual({
      topic: 'p99 ≤ 10.0 ms',
      text: 'max_batch 16 / 2 users, 182 dps at p99 9.00 ms: the most dps within the budget. Per users: 1–2 users: max_batch 16 · 3 users: none.',
    });
    const tight = recommendationLines(recommend(run, { ms: 5.5, percentile: 'p99' }))[1];
    expect(tight?.text).toMatch(/Per users: 1 user: max_batch 8 · 2–3 users: none\. max_batch 16 never meets it\.$/);
    expect(recommendationLines(recommend(run, { ms: 1, percentile: 'p99' }))[1]?.text).toBe(
      'no measured cell meets it.',
    );
  });

  it('says a single-trial answer rests on one observation, and counts noisy cells left out', () => {
    const single = runOf([cellOf(8, 4, [100]), cellOf(16, 4, [103]), cellOf(32, 4, [50, 51], { status: 'noisy' })]);
    expect(recommendationLines(recommend(single))[0]?.text).toBe(
      "4 users: max_batch 8: the smallest max_batch whose dps is within noise of its column's best (one trial per cell: within 5% of the best as observed, the spread unknown). 1 noisy cell left out.",
    );
  });

  it('is empty when nothing can be recommended and no budget was set', () => {
    expect(recommendationLines(recommend(runOf([])))).toEqual([]);
  });
});
