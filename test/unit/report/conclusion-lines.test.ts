// The conclusions in words: each topic's sentence from the analysis of a run, in reading order.
import { describe, expect, it } from 'vitest';
import type { CapacityProbe, RunResult } from '../../../src/model/run-result.js';
import { conclusionLines } from '../../../src/report/conclusion-lines.js';
import { cellOf, formed, runOf } from '../analysis/run-builders.js';

const textOf = (run: RunResult, topic: string): string | undefined =>
  conclusionLines(run).find((line) => line.topic === topic)?.text;

describe('conclusionLines', () => {
  it('orders the topics: study answers, best cell, failed rows, noisy cells, cross-check', () => {
    const cells = [
      cellOf(8, 16, [100, 101], formed(8)),
      cellOf(16, 16, [150, 151], formed(16)),
      cellOf(16, 2, [50, 51], { status: 'noisy', spread: 0.117, serverDpsMedian: 51 }),
    ];
    const run = runOf(cells, {
      rows: [
        { maxBatch: 8, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 16, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 32, model: 'demo', status: 'failed', message: 'no', applySeconds: 1 },
      ],
    });
    expect(conclusionLines(run).map((line) => line.topic)).toEqual([
      '16 users',
      'Largest max_batch that runs',
      'Best cell',
      'Capacity',
      'Noisy',
      'Server cross-check',
    ]);
    expect(textOf(run, 'Largest max_batch that runs')).toBe('max_batch 16 loaded and the matrix formed batches of 16.');
    expect(textOf(run, 'Best cell')).toBe('151 dps at max_batch 16 / 16 users (p99 3.00 ms, formed batch 16.0).');
    expect(textOf(run, 'Capacity')).toBe('max_batch 32 failed to load; the largest max_batch that served is 16.');
    expect(textOf(run, 'Noisy')).toBe(
      'max_batch 16 / 2 users (spread 11.7%) stayed unstable after re-runs; read its verdict with care.',
    );
  });

  it('says which rows failed to load and which failed their first request, not "failed to load" for all', () => {
    const run = runOf([cellOf(16, 1, [100, 101], formed(1))], {
      rows: [
        { maxBatch: 4, model: 'seq', status: 'failed', message: 'batch-size 1', failure: 'request', applySeconds: 1 },
        { maxBatch: 8, model: 'seq', status: 'failed', message: 'no', failure: 'load', applySeconds: 1 },
        { maxBatch: 16, model: 'seq', status: 'ok', applySeconds: 1 },
        { maxBatch: 32, model: 'seq', status: 'failed', message: 'no', failure: 'stream', applySeconds: 1 },
        { maxBatch: 64, model: 'seq', status: 'failed', message: 'no', applySeconds: 1 },
      ],
    });
    expect(textOf(run, 'Capacity')).toBe(
      'max_batch 4 failed its first request; max_batch 8 and 64 failed to load; max_batch 32 failed its first request on the stream; the largest max_batch that served is 16.',
    );
  });

  it('words the formed-batch ceiling with the items per request that would exercise the largest row', () => {
    const run = runOf(
      [8, 64].flatMap((maxBatch) => [1, 2, 3].map((users) => cellOf(maxBatch, users, [100], formed(users)))),
    );
    expect(textOf(run, 'Formed-batch ceiling')).toBe(
      'no batch above 3 could form: users × items-per-request ≤ 3 × 1 = 3 (formed batch ≤ 3), so the rows above 3 never ran a batch of their own size. To exercise max_batch 64, use users × items-per-request ≥ 64, e.g. items-per-request 22 with up to 3 users.',
    );
  });

  it('says the matrix alone does not show the largest row runs full batches', () => {
    const run = runOf([cellOf(8, 1, [100]), cellOf(64, 1, [100])]);
    expect(textOf(run, 'Largest max_batch that runs')).toBe(
      'max_batch 64 loaded and served requests, but no formed batch was reported: that does not show batches of 64 run. Set capacity: probe to send full batches.',
    );
  });

  it('names the largest probed row that served a full batch, the first search failure, and every probe', () => {
    const capacity: CapacityProbe[] = [
      {
        maxBatch: 64,
        status: 'ok',
        fullRequestMs: 12.5,
        loop: { users: 8, itemsPerRequest: 8, dps: 20_000, p99Ms: 9, errors: 0, avgBatch: 30.5, largestBatch: 64 },
      },
      { maxBatch: 128, status: 'failed', message: 'the row did not load: refused', isSearch: true },
    ];
    const lines = conclusionLines(runOf([cellOf(64, 1, [100])], { capacity }));
    expect(
      lines.filter((l) => l.topic.startsWith('Largest') || l.topic === 'Capacity probe').map((l) => l.text),
    ).toEqual([
      'max_batch 64 is the largest row that loaded and ran a request of 64 items; 128 was refused by Triton.',
      '64: 64 items in 12.5 ms; 8 users × 8 items 20,000 dps, formed batch 30.5 (largest 64) · 128: refused by Triton (the row did not load: refused).',
    ]);
  });

  it('tells a cancelled capacity search and one at its bound from a refusal', () => {
    const ok = { status: 'ok' as const, fullRequestMs: 3, isSearch: true };
    const text = (capacity: CapacityProbe[]) =>
      conclusionLines(runOf([cellOf(64, 1, [100])], { capacity })).filter((l) => l.topic.startsWith('Largest'))[0]
        ?.text;
    expect(
      text([
        { maxBatch: 128, ...ok },
        { maxBatch: 256, status: 'cancelled', message: 'the run was stopped during this probe', isSearch: true },
      ]),
    ).toBe(
      'max_batch 128 is the largest row that loaded and ran a request of 128 items; the search was cancelled at 256 (the run was stopped), so larger rows were not tried.',
    );
    expect(
      text([
        { maxBatch: 128, ...ok },
        { maxBatch: 1024, ...ok, isSearchBound: true },
      ]),
    ).toBe(
      'max_batch 1024 is the largest row that loaded and ran a request of 1024 items; the search stopped at its bound, 1024, without a failure: the limit may be higher.',
    );
  });

  it('says all cells agree with the server within 2%, or names those that do not', () => {
    const agree = runOf([cellOf(8, 1, [100, 100]), cellOf(8, 2, [200, 200], { serverDpsMedian: 203 })]);
    expect(textOf(agree, 'Server cross-check')).toBe(
      "client dps and Triton's own rate over the same windows agree within 2% in all 1 cells (largest gap 1.5%).",
    );
    const off = runOf([cellOf(8, 2, [200, 200], { serverDpsMedian: 190 })]);
    expect(textOf(off, 'Server cross-check')).toBe(
      "⚠️ 1 of 1 cells differ from Triton's own rate by more than 2%: max_batch 8 / 2 users (server −5.0%).",
    );
  });

  it('is empty for a run with nothing to conclude', () => {
    expect(conclusionLines(runOf([]))).toEqual([]);
  });
});

describe('conclusionLines counts', () => {
  it('pluralises the probe loop: 8 users × 1 item', () => {
    const capacity: CapacityProbe[] = [
      {
        maxBatch: 8,
        status: 'ok',
        fullRequestMs: 3.5,
        loop: { users: 8, itemsPerRequest: 1, dps: 5_000, p99Ms: 2, errors: 0 },
      },
    ];
    expect(
      conclusionLines(runOf([cellOf(8, 1, [100])], { capacity })).find((l) => l.topic === 'Capacity probe')?.text,
    ).toBe('8: 8 items in 3.50 ms; 8 users × 1 item 5,000 dps.');
  });
});
