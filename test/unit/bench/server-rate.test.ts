import { describe, expect, it } from 'vitest';
import { rateOverLastSpan, type CountSample } from '../../../bench/server-rate.js';

/** Polls every 100 ms of a tool serving `perMs` items per ms from `fromMs` to `toMs`, idle around. */
function samplesOf(perMs: number, fromMs: number, toMs: number, untilMs: number): CountSample[] {
  const samples: CountSample[] = [];
  for (let atMs = 0; atMs <= untilMs; atMs += 100) {
    samples.push({ atMs, items: Math.round(perMs * (Math.min(Math.max(atMs, fromMs), toMs) - fromMs)) });
  }
  return samples;
}

describe('rateOverLastSpan', () => {
  it('measures the steady rate over the last span, leaving the idle tail out', () => {
    // 2 items/ms from 500 ms to 7,050 ms, polled until 8 s.
    expect(rateOverLastSpan(samplesOf(2, 500, 7050, 8000), 6000)).toBeCloseTo(2000, 6);
  });

  it('leaves out the interval with the last growth, where the tool drained', () => {
    const samples = [...samplesOf(1, 0, 7000, 7000), { atMs: 7100, items: 7010 }, { atMs: 7200, items: 7010 }];
    expect(rateOverLastSpan(samples, 6000)).toBeCloseTo(1000, 6);
  });

  it('is undefined when the activity is shorter than the span or nothing grew', () => {
    expect(rateOverLastSpan(samplesOf(1, 0, 3000, 4000), 6000)).toBeUndefined();
    expect(
      rateOverLastSpan(
        [
          { atMs: 0, items: 5 },
          { atMs: 100, items: 5 },
        ],
        50,
      ),
    ).toBeUndefined();
    expect(rateOverLastSpan([], 50)).toBeUndefined();
  });
});
