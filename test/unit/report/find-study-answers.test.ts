// Conclusions that respect noise: a difference only where trial ranges do not overlap, the
// formed-batch ceiling, and the server cross-check's 2% flag.
import { describe, expect, it } from 'vitest';
import type { Cell, Trial } from '../../../src/model/run-result.js';
import { crossCheckLines } from '../../../src/report/find-cross-check.js';
import { describeFlattening, findFlattening, isMeasurablyDifferent } from '../../../src/report/find-study-answers.js';

const trial = (dps: number): Trial => ({
  requests: 100,
  items: 100,
  seconds: 100 / dps,
  dps,
  rps: dps,
  errors: 0,
  errorsByStatus: {},
  latencyMs: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 },
  order: 0,
});
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
function cell(maxBatch: number, users: number, dps: number[], extra: Partial<Cell> = {}): Cell {
  return {
    maxBatch,
    users,
    status: 'ok',
    trials: dps.map(trial),
    latencyMs: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 },
    dpsMedian: median(dps),
    rpsMedian: median(dps),
    cv: 0,
    reruns: 0,
    ...extra,
  };
}

describe('findFlattening', () => {
  it('claims no difference when the ranges overlap, however the medians rank', () => {
    const cells = [cell(8, 4, [100, 104, 108]), cell(16, 4, [103, 106, 110]), cell(32, 4, [99, 102, 107])];
    expect(findFlattening(cells)).toEqual([expect.objectContaining({ users: 4, flatFrom: 8 })]);
    expect(describeFlattening(cells)).toMatch(/^4 users: no measurable difference between max_batch 8 and 32\./);
  });

  it('finds where dps stops rising measurably', () => {
    const cells = [
      cell(8, 8, [100, 101, 102]),
      cell(16, 8, [150, 152, 155]),
      cell(32, 8, [153, 156, 158]),
      cell(64, 8, [151, 155, 157]),
    ];
    expect(findFlattening(cells)[0]).toMatchObject({ flatFrom: 16, firstDps: 101, flatDps: 152, bestDps: 156 });
    expect(describeFlattening(cells)).toMatch(
      /^8 users: dps rises from max_batch 8 to 16 \(101 → 152 dps\), no measurable difference above\./,
    );
  });

  it('is flat only from a row above which no row differs from the best (a wide noisy row is no plateau)', () => {
    const cells = [
      cell(8, 9, [100, 101, 102]),
      cell(16, 9, [90, 150, 300]),
      cell(32, 9, [120, 121, 122]),
      cell(64, 9, [200, 201, 202]),
    ];
    expect(findFlattening(cells)[0]).toMatchObject({ flatFrom: 64, bestDps: 201 });
  });

  it('leaves out rows above each column ceiling row (users × items): they run the same batches', () => {
    const cells = [cell(8, 8, [100, 101, 102]), cell(16, 8, [150, 152, 155]), cell(32, 8, [190, 191, 192])];
    // 8 users × 2 items: at most 16 in flight, so 32 cannot differ from 16.
    expect(findFlattening(cells, 2)[0]).toMatchObject({ flatFrom: 16, lastMaxBatch: 16, isAtCeiling: true });
    // 1 item: even 16 is above the 8 in flight; one row is left, nothing to compare.
    expect(findFlattening(cells, 1)).toEqual([]);
  });

  it('compares intervals as closed ranges', () => {
    const a = { maxBatch: 8, users: 1, median: 1, low: 1, high: 2 };
    expect(isMeasurablyDifferent(a, { ...a, low: 2, high: 3 })).toBe(false);
    expect(isMeasurablyDifferent(a, { ...a, low: 2.01, high: 3 })).toBe(true);
  });
});

describe('crossCheckLines', () => {
  it('says all cells agree within 2%, or names those that do not', () => {
    expect(crossCheckLines([cell(8, 1, [100, 100]), cell(8, 2, [200, 200], { serverDpsMedian: 203 })])[0]?.text).toBe(
      "client dps and Triton's own rate over the same windows agree within 2% in all 1 cells (largest gap 1.5%).",
    );
    const off = crossCheckLines([cell(8, 2, [200, 200], { serverDpsMedian: 190 })]);
    expect(off[0]?.text).toBe(
      "⚠️ 1 of 1 cells differ from Triton's own rate by more than 2%: max_batch 8 / 2 users (server −5.0%).",
    );
  });

  it('is empty without server rates', () => {
    expect(crossCheckLines([cell(8, 1, [100, 100])])).toEqual([]);
  });
});
