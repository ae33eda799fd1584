// The formed-batch ceiling: rows above users × items per request cannot form larger batches.
import { describe, expect, it } from 'vitest';
import { batchCeiling, findBatchCeiling, largestFormedBatch } from '../../../src/analysis/batch-ceiling.js';
import { cellOf, formed, runOf } from './run-builders.js';

describe('largestFormedBatch', () => {
  it("is the largest batch size in any cell's execution counts", () => {
    expect(largestFormedBatch([cellOf(8, 2, [1], formed(1, 2)), cellOf(16, 4, [1], formed(3, 4))])).toBe(4);
    expect(largestFormedBatch([cellOf(8, 2, [1])])).toBeUndefined();
  });
});

describe('findBatchCeiling', () => {
  const cells = [8, 16, 64].flatMap((maxBatch) =>
    [1, 2, 3].map((users) => cellOf(maxBatch, users, [100], formed(users))),
  );

  it('names the largest loaded row above users × items and the items per request that would fill it', () => {
    const run = runOf(cells, { method: { ...runOf([]).method, itemsPerRequest: 2 } });
    expect(batchCeiling(run)).toBe(6);
    expect(findBatchCeiling(run)).toEqual({
      ceiling: 6,
      maxUsers: 3,
      itemsPerRequest: 2,
      largestRowAbove: 64,
      largestFormed: 3,
      suggestedItemsPerRequest: 22,
    });
  });

  it('ignores rows that did not load', () => {
    const run = runOf(cells);
    const rows = run.rows.map((row) =>
      row.maxBatch === 64 ? { ...row, status: 'failed' as const, message: 'no' } : row,
    );
    expect(findBatchCeiling({ ...run, rows })?.largestRowAbove).toBe(16);
  });

  it('is undefined when no loaded row is above the ceiling, or there are no cells', () => {
    const run = runOf(cells, { method: { ...runOf([]).method, itemsPerRequest: 32 } });
    expect(findBatchCeiling(run)).toBeUndefined();
    expect(findBatchCeiling(runOf([]))).toBeUndefined();
  });
});
