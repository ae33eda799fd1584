// Per users column: the gap between the slowest and fastest rows, and the gap among the rows that
// all hold every item in flight (batching cannot explain that one). No column is left out.
import { describe, expect, it } from 'vitest';
import { findColumnFindings } from '../../../src/analysis/column-findings.js';
import { cellOf } from './run-builders.js';

const BATCHING = { itemsPerRequest: 1, isDynamic: true };

describe('findColumnFindings', () => {
  it('compares every row of a column below the ceiling too, and names the same-batch gap', () => {
    // 4 users, 1 item: every row holds the 4 items in flight; max_batch 32 is 24% faster than 8.
    const cells = [cellOf(8, 4, [100]), cellOf(16, 4, [110]), cellOf(32, 4, [124]), cellOf(64, 4, [121])];
    const [column] = findColumnFindings(cells, BATCHING);
    expect(column).toMatchObject({
      users: 4,
      itemsInFlight: 4,
      rows: [8, 16, 32, 64],
      isAllSameBatch: true,
      hasSingleTrial: true,
      hasNoisy: false,
      gap: { slower: { maxBatch: 8 }, faster: { maxBatch: 32 }, evidence: 'single-trial' },
    });
    expect(column?.gap.size).toBeCloseTo(0.24, 10);
    expect(column?.sameBatchGap).toEqual(column?.gap);
  });

  it('splits the rows that hold the items in flight from those that cannot', () => {
    const cells = [cellOf(8, 10, [100, 101]), cellOf(16, 10, [120, 121]), cellOf(32, 10, [130, 131])];
    const [column] = findColumnFindings(cells, BATCHING);
    expect(column?.isAllSameBatch).toBe(false);
    expect(column?.gap).toMatchObject({ slower: { maxBatch: 8 }, faster: { maxBatch: 32 }, evidence: 'measured' });
    expect(column?.sameBatchGap).toMatchObject({
      slower: { maxBatch: 16 },
      faster: { maxBatch: 32 },
      evidence: 'measured',
    });
  });

  it('has no same-batch gap when fewer than two rows hold the items; items per request count', () => {
    const cells = [cellOf(8, 4, [100, 101]), cellOf(16, 4, [120, 121])];
    expect(findColumnFindings(cells, { itemsPerRequest: 4, isDynamic: true })[0]).toMatchObject({
      itemsInFlight: 16,
      sameBatchGap: undefined,
      isAllSameBatch: false,
    });
  });

  it('leaves out failed cells and columns with fewer than two measured rows, in users order', () => {
    const cells = [
      cellOf(8, 4, [100, 101]),
      cellOf(16, 4, [0], { status: 'failed' }),
      cellOf(8, 2, [50, 51]),
      cellOf(16, 2, [52, 53], { status: 'noisy' }),
      cellOf(8, 1, [20, 21]),
      cellOf(16, 1, [21, 22]),
    ];
    const columns = findColumnFindings(cells, BATCHING);
    expect(columns.map((column) => column.users)).toEqual([1, 2]);
    expect(columns.map((column) => column.hasNoisy)).toEqual([false, true]);
  });
});
