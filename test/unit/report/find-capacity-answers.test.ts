// The study's second question: the capacity probe's answer, and what the matrix alone shows.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/model/run-result.js';
import { capacityAnswerLines } from '../../../src/report/find-capacity-answers.js';

const runWith = (extra: Partial<RunResult>): RunResult =>
  ({
    rows: [
      { maxBatch: 8, model: 'm', status: 'ok', applySeconds: 0 },
      { maxBatch: 64, model: 'm', status: 'ok', applySeconds: 0 },
    ],
    cells: [],
    ...extra,
  }) as unknown as RunResult;

describe('capacityAnswerLines', () => {
  it('says the matrix alone does not show the largest row runs full batches', () => {
    expect(capacityAnswerLines(runWith({}))[0]?.text).toBe(
      'max_batch 64 loaded and served requests, but no formed batch was reported: that does not show batches of 64 run. Set capacity: probe to send full batches.',
    );
  });

  it('names the largest probed row that served a full batch and the first search failure', () => {
    const lines = capacityAnswerLines(
      runWith({
        capacity: [
          {
            maxBatch: 64,
            status: 'ok',
            fullRequestMs: 12.5,
            loop: { users: 8, itemsPerRequest: 8, dps: 20_000, p99Ms: 9, errors: 0, avgBatch: 30.5, largestBatch: 64 },
          },
          { maxBatch: 128, status: 'failed', message: 'the row did not load: refused', isSearch: true },
        ],
      }),
    );
    expect(lines.map((l) => l.text)).toEqual([
      'max_batch 64 is the largest row that loaded and ran a request of 64 items; 128 failed.',
      '64: 64 items in 12.5 ms; 8 users × 8 items 20,000 dps, formed batch 30.5 (largest 64) · 128: failed (the row did not load: refused).',
    ]);
  });
});
