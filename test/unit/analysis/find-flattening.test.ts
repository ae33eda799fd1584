// Where dps stops changing with max_batch, per users column: a difference only where trial
// ranges do not overlap, and rows above a column's ceiling row left out.
import { describe, expect, it } from 'vitest';
import { findFlattening, findUnbatchableColumns } from '../../../src/analysis/find-flattening.js';
import { cellOf } from './run-builders.js';

describe('findFlattening', () => {
  it('claims no difference when the ranges overlap, however the medians rank', () => {
    const cells = [cellOf(8, 4, [100, 104, 108]), cellOf(16, 4, [103, 106, 110]), cellOf(32, 4, [99, 102, 107])];
    expect(findFlattening(cells)).toEqual([
      {
        users: 4,
        isAtCeiling: false,
        flatFrom: 8,
        firstMaxBatch: 8,
        lastMaxBatch: 32,
        firstDps: 104,
        flatDps: 104,
        bestDps: 106,
      },
    ]);
  });

  it('finds where dps stops rising measurably', () => {
    const cells = [
      cellOf(8, 8, [100, 101, 102]),
      cellOf(16, 8, [150, 152, 155]),
      cellOf(32, 8, [153, 156, 158]),
      cellOf(64, 8, [151, 155, 157]),
    ];
    expect(findFlattening(cells)[0]).toMatchObject({ flatFrom: 16, firstDps: 101, flatDps: 152, bestDps: 156 });
  });

  it('is flat only from a row above which no row differs from the best (a wide noisy row is no plateau)', () => {
    const cells = [
      cellOf(8, 9, [100, 101, 102]),
      cellOf(16, 9, [90, 150, 300]),
      cellOf(32, 9, [120, 121, 122]),
      cellOf(64, 9, [200, 201, 202]),
    ];
    expect(findFlattening(cells)[0]).toMatchObject({ flatFrom: 64, bestDps: 201 });
  });

  it('leaves out rows above each column ceiling row (users × items): they run the same batches', () => {
    const cells = [cellOf(8, 8, [100, 101, 102]), cellOf(16, 8, [150, 152, 155]), cellOf(32, 8, [190, 191, 192])];
    // 8 users × 2 items: at most 16 in flight, so 32 cannot differ from 16.
    expect(findFlattening(cells, 2)[0]).toMatchObject({ flatFrom: 16, lastMaxBatch: 16, isAtCeiling: true });
    // 1 item: even 16 is above the 8 in flight; one row is left, nothing to compare.
    expect(findFlattening(cells, 1)).toEqual([]);
  });

  it('answers columns in ascending users order and skips columns with one comparable row', () => {
    const cells = [
      cellOf(8, 4, [100, 101]),
      cellOf(16, 4, [100, 101]),
      cellOf(8, 2, [50, 51]),
      cellOf(16, 2, [50, 51]),
      cellOf(8, 3, [70, 71]),
      cellOf(16, 3, [70], { status: 'noisy' }),
    ];
    expect(findFlattening(cells).map((column) => column.users)).toEqual([2, 4]);
  });
});

describe('findUnbatchableColumns', () => {
  const cells = [4, 1, 2, 8, 9].flatMap((users) => [cellOf(8, users, [100, 101]), cellOf(16, users, [100, 101])]);

  it('names the columns whose items in flight all fit the smallest row', () => {
    expect(findUnbatchableColumns(cells, 1)).toEqual({ users: [1, 2, 4, 8], smallestRow: 8 });
    expect(findUnbatchableColumns(cells, 2)).toEqual({ users: [1, 2, 4], smallestRow: 8 });
  });

  it('is undefined when every column can batch more, or the items per request are unknown', () => {
    expect(findUnbatchableColumns(cells, 16)).toBeUndefined();
    expect(findUnbatchableColumns(cells)).toBeUndefined();
    expect(findUnbatchableColumns([], 1)).toBeUndefined();
  });
});
