// The pure summary of a measured cell: medians and CV over successful trials only, the
// ok/noisy/failed status and its message; the failed cell of a row that did not load.
import { robustSpreadOfValues } from '../../../src/stats/robust-spread.js';
import { describe, expect, it } from 'vitest';
import type { LatencyMs, ServerStats, Trial } from '../../../src/model/run-result.js';
import {
  coefficientOfVariation,
  failedCell,
  minGoodTrials,
  okTrials,
  summarizeCell,
  type MeasuredCell,
} from '../../../src/matrix/summarize-cell.js';

const LATENCY: LatencyMs = { p50: 2, p90: 3, p99: 4, max: 5, mean: 2.5 };

function trial(dps: number, init: Partial<Trial> = {}): Trial {
  return {
    requests: 480,
    items: 480,
    seconds: 480 / dps,
    dps,
    rps: dps,
    errors: 0,
    errorsByStatus: {},
    latencyMs: LATENCY,
    order: 0,
    ...init,
  };
}

function failedTrial(status: string, message: string, count = 3): Trial {
  return trial(1000, { errors: count, errorsByStatus: { [status]: count }, firstError: `${status}: ${message}` });
}

function measured(trials: Trial[], init: Partial<MeasuredCell> = {}): MeasuredCell {
  return { maxBatch: 8, users: 4, trials, latencyMs: LATENCY, reruns: 0, maxCv: 0.1, ...init };
}

describe('coefficientOfVariation', () => {
  it('is the sample SD over the mean', () => {
    expect(coefficientOfVariation([90, 100, 110])).toBeCloseTo(10 / 100, 12);
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12);
  });

  it('is 0 with fewer than 2 values, for equal values and for a zero mean', () => {
    expect(coefficientOfVariation([])).toBe(0);
    expect(coefficientOfVariation([100])).toBe(0);
    expect(coefficientOfVariation([5, 5, 5])).toBe(0);
    expect(coefficientOfVariation([0, 0])).toBe(0);
  });
});

describe('okTrials', () => {
  it('keeps only trials without errors', () => {
    const good = trial(100);
    expect(okTrials([failedTrial('UNAVAILABLE', 'x'), good])).toEqual([good]);
  });
});

describe('summarizeCell', () => {
  it('gives medians and CV over the trials, status ok without a message', () => {
    const cell = summarizeCell(measured([trial(100, { rps: 50 }), trial(104, { rps: 52 }), trial(98, { rps: 49 })]));
    expect(cell).toMatchObject({
      maxBatch: 8,
      users: 4,
      status: 'ok',
      dpsMedian: 100,
      rpsMedian: 50,
      reruns: 0,
      latencyMs: LATENCY,
    });
    expect(cell.cv).toBeCloseTo(coefficientOfVariation([100, 104, 98]), 12);
    expect(cell).not.toHaveProperty('message');
    expect(cell).not.toHaveProperty('server');
  });

  it('takes the mean of the middle pair for an even number of trials', () => {
    expect(summarizeCell(measured([trial(100), trial(110), trial(104), trial(106)])).dpsMedian).toBe(105);
  });

  it('leaves trials with errors out of medians and CV but keeps them in trials, with a message', () => {
    const bad = failedTrial('RESOURCE_EXHAUSTED', 'queue full', 2);
    const cell = summarizeCell(measured([trial(100), bad, trial(102), trial(101)]));
    expect(cell.status).toBe('ok');
    expect(cell.dpsMedian).toBe(101);
    expect(cell.cv).toBeCloseTo(coefficientOfVariation([100, 102, 101]), 12);
    expect(cell.trials).toHaveLength(4);
    expect(cell.message).toBe('1 of 4 trials had errors (RESOURCE_EXHAUSTED: queue full)');
  });

  it('is failed when no trial succeeded, with the first error in the message', () => {
    const cell = summarizeCell(
      measured([
        failedTrial('UNAVAILABLE', 'Connection dropped'),
        failedTrial('DEADLINE_EXCEEDED', 'Deadline exceeded'),
      ]),
    );
    expect(cell).toMatchObject({ status: 'failed', dpsMedian: 0, rpsMedian: 0, cv: 0 });
    expect(cell.message).toBe('2 of 2 trials had errors (UNAVAILABLE: Connection dropped)');
  });

  it('says "errors" when no failed trial kept an error text', () => {
    const cell = summarizeCell(measured([trial(100, { errors: 1, errorsByStatus: { UNKNOWN: 1 } })]));
    expect(cell.message).toBe('1 of 1 trials had errors (errors)');
  });

  it('is noisy above max-cv by the robust spread, with the spread and the threshold in the message', () => {
    const cell = summarizeCell(measured([trial(80), trial(100), trial(120)], { reruns: 2, maxCv: 0.1 }));
    expect(cell.status).toBe('noisy');
    expect(cell.cv).toBeCloseTo(0.2, 12);
    // MAD 20 around the median 100: 1.4826 × 20 / 100.
    expect(cell.spread).toBeCloseTo(0.29652, 12);
    expect(cell.reruns).toBe(2);
    expect(cell.message).toBe('spread 29.7% (1.4826·MAD/median) above 10.0% after re-runs');
  });

  it('is ok at exactly max-cv', () => {
    expect(
      summarizeCell(measured([trial(90), trial(100), trial(110)], { maxCv: robustSpreadOfValues([90, 100, 110]) }))
        .status,
    ).toBe('ok');
  });

  it('is ok with one stray trial among five that the CV would call noisy', () => {
    const cell = summarizeCell(
      measured([trial(1000), trial(1010), trial(990), trial(1005), trial(700)], { maxCv: 0.1 }),
    );
    expect(cell.cv).toBeGreaterThan(0.1);
    expect(cell.status).toBe('ok');
  });

  it('prefers the error message over the noise message', () => {
    const cell = summarizeCell(measured([trial(80), trial(120), trial(100), failedTrial('INTERNAL', 'boom')]));
    expect(cell.status).toBe('noisy');
    expect(cell.message).toBe('1 of 4 trials had errors (INTERNAL: boom)');
  });

  it('fails a cell with fewer good trials than minGoodTrials (1 of 5 is not ok with CV 0)', () => {
    const errors = [1, 2, 3, 4].map(() => failedTrial('UNAVAILABLE', 'gone'));
    const cell = summarizeCell(measured([trial(100), ...errors]));
    expect(cell.status).toBe('failed');
    expect(cell.message).toBe('4 of 5 trials had errors (UNAVAILABLE: gone); 1 good, need 3');
    expect(summarizeCell(measured([trial(100), trial(101), trial(99), ...errors.slice(0, 2)])).status).toBe('ok');
  });

  it('needs every trial good when fewer than 3 were planned', () => {
    expect(minGoodTrials(2)).toBe(2);
    expect(minGoodTrials(1)).toBe(1);
    expect(minGoodTrials(9)).toBe(3);
    expect(summarizeCell(measured([trial(100), failedTrial('INTERNAL', 'x')])).status).toBe('failed');
  });

  it('keeps server stats when given', () => {
    const server: ServerStats = {
      avgBatch: 3.5,
      inferenceCount: 7,
      executionCount: 2,
      successCount: 7,
      queueUs: 1,
      computeUs: 2,
      computeInferUs: 1.5,
      batchExecutions: { 4: 1, 3: 1 },
    };
    expect(summarizeCell(measured([trial(100)], { server })).server).toEqual(server);
  });
});

describe('failedCell', () => {
  it('is a failed cell with the message and no trials', () => {
    expect(failedCell(64, 2, 'load refused')).toEqual({
      maxBatch: 64,
      users: 2,
      status: 'failed',
      message: 'load refused',
      trials: [],
      latencyMs: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
      dpsMedian: 0,
      rpsMedian: 0,
      cv: 0,
      spread: 0,
      reruns: 0,
    });
  });
});
