// The HDR latency histogram: known percentiles within its precision (3 significant digits),
// merging, clamping of out-of-range values, the empty histogram, and p50 <= p90 <= p99 <= max.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../../../src/load/latency-histogram.js';

/** HDR with 3 significant digits: a reported value is within 0.1% of the true one. */
function expectWithinHdrPrecision(actualMs: number, expectedMs: number): void {
  expect(Math.abs(actualMs - expectedMs)).toBeLessThanOrEqual(expectedMs * 0.001 + 0.001);
}

function histogramOf(valuesUs: readonly number[]) {
  const histogram = createLatencyHistogram();
  for (const v of valuesUs) histogram.recordUs(v);
  return histogram;
}

describe('createLatencyHistogram', () => {
  it('reports zeros when empty', () => {
    const histogram = createLatencyHistogram();
    expect(histogram.count).toBe(0);
    expect(histogram.toLatencyMs()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
  });

  it('gives the percentiles of 1..100 ms within HDR precision, max exactly', () => {
    const histogram = histogramOf(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000));
    const latency = histogram.toLatencyMs();
    expect(histogram.count).toBe(100);
    expectWithinHdrPrecision(latency.p50, 50);
    expectWithinHdrPrecision(latency.p90, 90);
    expectWithinHdrPrecision(latency.p99, 99);
    expectWithinHdrPrecision(latency.mean, 50.5);
    expect(latency.max).toBe(100);
  });

  it('is exact below 2048 µs (1 µs resolution)', () => {
    const latency = histogramOf([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]).toLatencyMs();
    expect(latency).toEqual({ p50: 0.5, p90: 0.9, p99: 1, max: 1, mean: 0.55 });
  });

  it('rounds to whole microseconds', () => {
    const histogram = histogramOf([1.4, 1.6, 2.5]);
    expect(histogram.raw.minNonZeroValue).toBe(1);
    expect(histogram.toLatencyMs().max).toBe(0.003);
  });

  it('clamps values below 1 µs to 1 µs and above one hour to one hour', () => {
    const histogram = histogramOf([0, -5, 0.2, 1e12, Number.MAX_SAFE_INTEGER]);
    expect(histogram.count).toBe(5);
    expect(histogram.raw.minNonZeroValue).toBe(1);
    expect(histogram.toLatencyMs().max).toBe(3_600_000);
  });

  it('never reports a percentile above the maximum', () => {
    // 3000 µs sits in a 2-µs bucket whose highest equivalent value is 3001 µs.
    const latency = histogramOf([1000, 2000, 3000]).toLatencyMs();
    expect(latency.max).toBe(3);
    expect(latency.p99).toBeLessThanOrEqual(latency.max);
    const clamped = histogramOf([1e12]).toLatencyMs();
    expect(clamped).toMatchObject({ p50: 3_600_000, p90: 3_600_000, p99: 3_600_000, max: 3_600_000 });
    expectWithinHdrPrecision(clamped.mean, 3_600_000);
  });

  it('keeps p50 <= p90 <= p99 <= max and every value within the recorded range (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 200 }), (valuesUs) => {
        const latency = histogramOf(valuesUs).toLatencyMs();
        expect(latency.p50).toBeLessThanOrEqual(latency.p90);
        expect(latency.p90).toBeLessThanOrEqual(latency.p99);
        expect(latency.p99).toBeLessThanOrEqual(latency.max);
        expect(latency.max).toBe(Math.max(...valuesUs) / 1000);
        expect(latency.p50).toBeGreaterThanOrEqual((Math.min(...valuesUs) / 1000) * 0.999 - 0.001);
      }),
    );
    // 100 histograms took 4.6-7.5 s on the shared 2-core machine (load ~14), past vitest's 5 s default.
  }, 60_000);
});

describe('LatencyHistogram.add', () => {
  it('merges like recording every value into one histogram', () => {
    const a = histogramOf([1000, 5000, 9000]);
    const b = histogramOf([2000, 40_000]);
    a.add(b);
    expect(a.count).toBe(5);
    expect(b.count).toBe(2);
    expect(a.toLatencyMs()).toEqual(histogramOf([1000, 5000, 9000, 2000, 40_000]).toLatencyMs());
  });

  it('adding an empty histogram changes nothing; adding into an empty one copies', () => {
    const a = histogramOf([700, 800]);
    const before = a.toLatencyMs();
    a.add(createLatencyHistogram());
    expect(a.toLatencyMs()).toEqual(before);
    const empty = createLatencyHistogram();
    empty.add(a);
    expect(empty.toLatencyMs()).toEqual(before);
    expect(empty.count).toBe(2);
  });
});
