// The "max_batch and dps" lines: every users column with two measured rows is in a line, each gap
// with its size and what backs it, the formed-batch ceiling attached as an explanation only.
import { describe, expect, it } from 'vitest';
import { analyzeRun } from '../../../src/analysis/analyze-run.js';
import type { RunResult } from '../../../src/model/run-result.js';
import { columnLines } from '../../../src/report/column-lines.js';
import { cellOf, runOf } from '../analysis/run-builders.js';

const linesOf = (run: RunResult): { topic: string; text: string }[] => {
  const analysis = analyzeRun(run);
  return columnLines(analysis.columns, analysis.rowContext);
};

/**
 * Issue 21's table: 4 rows × 10 users, one trial per cell, 1 item per request; the rows agree at
 * 1–2 users and differ by 10–24% at 3–10 users, dps rising from max_batch 8 to 32.
 */
function singleTrialRun(): RunResult {
  const row8 = [212, 392, 524, 613, 684, 742, 788, 830, 851, 862];
  const gains: Readonly<Record<number, readonly number[]>> = {
    8: row8.map(() => 1),
    16: [0.99, 1.02, 1.06, 1.07, 1.09, 1.1, 1.13, 1.14, 1.12, 1.1],
    32: [1.01, 0.99, 1.1, 1.14, 1.16, 1.19, 1.22, 1.24, 1.2, 1.15],
    64: [1.0, 1.01, 1.09, 1.12, 1.15, 1.17, 1.21, 1.23, 1.18, 1.14],
  };
  const cells = [8, 16, 32, 64].flatMap((maxBatch) =>
    row8.map((dps, index) => cellOf(maxBatch, index + 1, [dps * (gains[maxBatch]?.[index] ?? 1)])),
  );
  return runOf(cells, { method: { ...runOf([]).method, trials: 1 } });
}

describe('columnLines', () => {
  it('gives every column of the single-trial table a line, with sizes and the caveat', () => {
    const lines = linesOf(singleTrialRun());
    expect(lines.map((line) => line.topic)).toEqual([
      'One trial per cell',
      '1–2 users',
      '3–8 users',
      '9 users',
      '10 users',
    ]);
    const text = lines.map((line) => line.text).join('\n');
    expect(text).not.toMatch(/cannot matter/);
    expect(lines[2]?.text).toBe(
      "max_batch 32 gives 10.0–24.0% more dps than max_batch 8 (observed once). No batch above 8 could form (users × items-per-request ≤ 8), so this is not batching: the backend's per-max_batch optimisation, or drift between rows measured minutes apart; measure the rows interleaved (row-rounds) to tell.",
    );
    expect(lines[1]?.text).toBe(
      'max_batch 8 to 64 within 3.0% of each other (observed once; one trial cannot show a gap below 5%).',
    );
    // 9 users: max_batch 8 cannot hold the 9 items in flight; 16–64 can, and still differ: that part is explained.
    expect(lines[3]?.text).toMatch(
      /^max_batch 32 gives 20\.0% more dps than max_batch 8 \(observed once\)\. Among max_batch 16, 32 and 64, which all hold every item in flight, max_batch 32 gives 7\.1% more dps than max_batch 16 \(observed once\): no batch above 9 could form/,
    );
    expect(lines[4]?.text).toBe('max_batch 32 gives 15.0% more dps than max_batch 8 (observed once).');
  });

  it('says the rows were interleaved when they were, and names a queue delay as a cause', () => {
    const base = singleTrialRun();
    const run: RunResult = {
      ...base,
      method: { ...base.method, rowRounds: 4 },
      environment: {
        ...base.environment,
        batching: { isDynamic: true, maxQueueDelayUs: 500, preferredBatchSizes: [] },
      },
    };
    expect(linesOf(run)[2]?.text).toMatch(
      /so this is not batching: the batcher's 500 µs queue delay \(a row that cannot fill its max_batch waits it out\), the backend's per-max_batch optimisation \(engines or profiles built per max_batch_size\); the rows were measured interleaved in 4 rounds, so drift between rows is ruled out as far as the rounds reach\.$/,
    );
  });

  it('claims a measured difference only where the trial ranges do not overlap', () => {
    const run = runOf([
      cellOf(8, 1, [100, 102, 104]),
      cellOf(16, 1, [101, 103, 105]),
      cellOf(8, 16, [300, 302, 304]),
      cellOf(16, 16, [400, 402, 404]),
    ]);
    expect(linesOf(run)).toEqual([
      {
        topic: '1 user',
        text: "no measurable difference between max_batch 8 and 16 (gaps up to 1.0% between medians, within the trials' ranges).",
      },
      {
        topic: '16 users',
        text: "max_batch 16 gives 33.1% more dps than max_batch 8 (the trials' ranges do not overlap).",
      },
    ]);
  });

  it('says no request was batched when the model has no dynamic batcher', () => {
    const base = singleTrialRun();
    const run: RunResult = {
      ...base,
      environment: { ...base.environment, batching: { isDynamic: false, maxQueueDelayUs: 0, preferredBatchSizes: [] } },
    };
    expect(linesOf(run)[2]?.text).toMatch(
      / The model has no dynamic batcher: no request was batched with another, so this is not batching: /,
    );
  });

  it('is empty without a column of two measured rows', () => {
    expect(linesOf(runOf([cellOf(8, 1, [100]), cellOf(8, 2, [200])]))).toEqual([]);
  });
});

describe('columnLines with noisy cells', () => {
  it('says a large gap within the ranges comes from noisy cells widening them', () => {
    const run = runOf([cellOf(8, 1, [100, 140, 300], { status: 'noisy' }), cellOf(16, 1, [250, 260, 270])]);
    expect(linesOf(run)[0]?.text).toBe(
      "no measurable difference between max_batch 8 and 16 (gaps up to 85.7% between medians, within the trials' ranges, which noisy cells widen).",
    );
  });
});
