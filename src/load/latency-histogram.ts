/**
 * Latency recording for the hot path: an HDR histogram (hdr-histogram-js, pure-JS packed
 * buckets) records in O(1) with no allocation, keeps 3 significant digits and merges across
 * trials, which a list of samples would not do in constant memory at 256 users.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencyMs } from '../model/run-result.js';

/** Microsecond latency histogram; values above one hour are clamped. */
export interface LatencyHistogram {
  /** Records one latency in microseconds (rounded to an integer >= 1). */
  recordUs(latencyUs: number): void;
  /** Adds every value of `other` into this one. */
  add(other: LatencyHistogram): void;
  readonly count: number;
  /** Percentiles in milliseconds; zeros when empty. */
  toLatencyMs(): LatencyMs;
  /** The underlying histogram (for `add`). */
  readonly raw: hdr.Histogram;
}

const HIGHEST_US = 3_600_000_000;

/** Creates an empty histogram (1 µs .. 1 h, 3 significant digits). */
export function createLatencyHistogram(): LatencyHistogram {
  const raw = hdr.build({
    bitBucketSize: 'packed',
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  });
  return {
    raw,
    get count() {
      return raw.totalCount;
    },
    recordUs(latencyUs) {
      const us = latencyUs < 1 ? 1 : latencyUs > HIGHEST_US ? HIGHEST_US : Math.round(latencyUs);
      raw.recordValue(us);
    },
    add(other) {
      raw.add(other.raw);
    },
    toLatencyMs() {
      if (raw.totalCount === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
      const ms = (us: number): number => Math.round(Math.min(us, raw.maxValue)) / 1000;
      return {
        p50: ms(raw.getValueAtPercentile(50)),
        p90: ms(raw.getValueAtPercentile(90)),
        p99: ms(raw.getValueAtPercentile(99)),
        max: ms(raw.maxValue),
        mean: ms(raw.mean),
      };
    },
  };
}
