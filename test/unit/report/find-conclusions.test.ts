import { describe, expect, it } from 'vitest';
import { describeConclusions, findConclusions, usersRange } from '../../../src/report/find-conclusions.js';
import { makeCell, makeRun } from './make-comparison.js';

describe('findConclusions', () => {
  const cells = [
    makeCell(8, 1, 220),
    makeCell(8, 2, 360),
    makeCell(16, 1, 221),
    makeCell(16, 2, 395),
    // A noisy cell with the highest median: not trusted for saturation or the best cell.
    makeCell(32, 1, 300, { status: 'noisy', cv: 0.15 }),
    makeCell(32, 2, 0, { status: 'failed' }),
  ];

  it('finds saturation and the best cell from stable cells only', () => {
    const conclusions = findConclusions(makeRun(cells));
    expect(conclusions.saturation).toEqual([
      { users: [1], maxBatch: 8, isPlateau: true },
      { users: [2], maxBatch: 16, isPlateau: false },
    ]);
    expect(conclusions.best).toEqual({ maxBatch: 16, users: 2, dps: 395, p99Ms: 3 });
    expect(conclusions.noisy).toEqual([{ maxBatch: 32, users: 1, cv: 0.15 }]);
  });

  it('answers the capacity question from the rows', () => {
    const run = makeRun(cells, {
      rows: [
        { maxBatch: 8, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 16, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 32, model: 'demo', status: 'failed', message: 'no', applySeconds: 1 },
      ],
    });
    const conclusions = findConclusions(run);
    expect(conclusions.failedRows).toEqual([32]);
    expect(conclusions.largestServed).toBe(16);
    const capacity = describeConclusions(conclusions).find((line) => line.topic === 'Capacity');
    expect(capacity?.text).toBe('max_batch 32 failed to load; the largest max_batch that served is 16.');
  });

  it('says nothing about saturation with a single row', () => {
    const conclusions = findConclusions(makeRun([makeCell(8, 1, 100), makeCell(8, 2, 190)]));
    expect(conclusions.saturation).toEqual([]);
    expect(describeConclusions(conclusions).map((line) => line.topic)).toEqual(['Best cell']);
  });

  it('words saturation per users column', () => {
    const lines = describeConclusions(findConclusions(makeRun(cells)));
    expect(lines[0]).toEqual({
      topic: 'Saturation',
      text: 'smallest max_batch within 3% of the best dps, per users column: 1 user → 8 · 2 users → 16 (the largest measured: may still rise).',
    });
  });
});

describe('usersRange', () => {
  it.each([
    [[1], '1 user'],
    [[3], '3 users'],
    [[2, 3], '2–3 users'],
    [[1, 2, 3, 4], '1–4 users'],
    [[1, 2, 4], '1, 2 and 4 users'],
  ])('%j → %s', (users, expected) => {
    expect(usersRange(users)).toBe(expected);
  });
});
