// The whole analysis of a run: the best cell from stable cells only, the rows that failed to
// load, the noisy cells, and the study's answers and the recommendation gathered in one value.
import { describe, expect, it } from 'vitest';
import { analyzeRun, findBestCell } from '../../../src/analysis/analyze-run.js';
import { cellOf, formed, runOf } from './run-builders.js';

const cells = [
  cellOf(8, 1, [220, 221]),
  cellOf(8, 2, [360, 361]),
  cellOf(16, 1, [221, 222]),
  cellOf(16, 2, [395, 396], formed(2)),
  // A noisy cell with the highest median: not trusted for the best cell.
  cellOf(32, 1, [300, 301], { status: 'noisy', cv: 0.15 }),
  cellOf(32, 2, [0], { status: 'failed' }),
];

describe('findBestCell', () => {
  it('takes the highest median among ok cells, with its p99 and formed batch', () => {
    expect(findBestCell(cells)).toEqual({ maxBatch: 16, users: 2, dps: 396, p99Ms: 3, avgBatch: 2 });
  });

  it('is undefined when no cell is ok with dps above 0', () => {
    expect(findBestCell([cellOf(8, 1, [0, 0]), cellOf(8, 2, [9, 9], { status: 'noisy' })])).toBeUndefined();
  });
});

describe('analyzeRun', () => {
  it('lists failed rows in run order and the largest row that served', () => {
    const run = runOf(cells, {
      rows: [
        { maxBatch: 64, model: 'demo', status: 'failed', message: 'no', applySeconds: 1 },
        { maxBatch: 8, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 16, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 32, model: 'demo', status: 'failed', message: 'no', applySeconds: 1 },
      ],
    });
    const analysis = analyzeRun(run);
    expect(analysis.failedRows).toEqual([{ maxBatch: 64 }, { maxBatch: 32 }]);
    expect(analysis.largestServed).toBe(16);
  });

  it('names noisy cells with their robust spread, else their CV', () => {
    const withSpread = cellOf(64, 1, [1, 2], { status: 'noisy', cv: 0.2, spread: 0.12 });
    expect(analyzeRun(runOf([...cells, withSpread])).noisy).toEqual([
      { maxBatch: 32, users: 1, spread: 0.15 },
      { maxBatch: 64, users: 1, spread: 0.12 },
    ]);
  });

  it('gathers the study answers from the same run', () => {
    const analysis = analyzeRun(runOf(cells));
    // Every column with two measured rows is compared, whatever the ceiling says (1 and 2 users ≤ max_batch 8).
    expect(analysis.columns.map((column) => column.users)).toEqual([1, 2]);
    expect(analysis.rowContext).toEqual({ rowRounds: 1, queueDelayUs: undefined, isDynamic: true });
    expect(analysis.recommendation.perUsers.map((choice) => [choice.users, choice.maxBatch])).toEqual([
      [1, 8],
      [2, 16],
    ]);
    expect(analysis.batchCeiling).toMatchObject({ ceiling: 2, largestRowAbove: 32 });
    expect(analysis.capacity).toMatchObject({ source: 'matrix', largestLoaded: 32, largestFormed: 2 });
    expect(analysis.best).toMatchObject({ maxBatch: 16, users: 2 });
    expect(analysis.failedRows).toEqual([]);
    expect(analysis.crossCheck).toBeUndefined();
  });
});

describe('analyzeRun row context', () => {
  it('reads the rounds and the queue delay the run recorded, and a model without dynamic batching', () => {
    const run = runOf(cells, {
      method: { ...runOf([]).method, rowRounds: 5 },
      environment: {
        ...runOf([]).environment,
        batching: { isDynamic: false, maxQueueDelayUs: 500, preferredBatchSizes: [] },
      },
    });
    expect(analyzeRun(run).rowContext).toEqual({ rowRounds: 5, queueDelayUs: 500, isDynamic: false });
    // Without a dynamic batcher no batch above the items of one request forms, whatever the users.
    expect(analyzeRun(run).columns.map((column) => column.itemsInFlight)).toEqual([1, 1]);
  });

  it('keeps the recommendation the run carries (the pipeline computed it under the budget)', () => {
    const carried = { perUsers: [], noisyLeftOut: 7 };
    expect(analyzeRun(runOf(cells, { recommendation: carried })).recommendation).toBe(carried);
  });
});
