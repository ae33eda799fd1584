// The CLI's progress text: durations as 12s / 3m05s / 1h02m, and the trial counter with an ETA
// extrapolated from the time per finished trial.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createProgressLine,
  formatDuration,
  heartbeatText,
  HEARTBEAT_MS,
  progressText,
} from '../../../src/cli/progress-line.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [12, '12s'],
    [59.4, '59s'],
    [59.5, '1m00s'],
    [60, '1m00s'],
    [185, '3m05s'],
    [3599, '59m59s'],
    [3599.5, '1h00m'],
    [3725, '1h02m'],
    [36_000 + 59 * 60 + 59, '10h59m'],
    [100 * 3600, '100h00m'],
    [-5, '0s'],
  ])('%d s -> %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('progressText', () => {
  const progress = { maxBatch: 32, users: 4, done: 5, total: 20 };

  it('shows the trial counter, the cell and the ETA from the time per trial', () => {
    // 10 s for 5 trials: 2 s per trial, 15 trials left.
    expect(progressText(progress, 10)).toBe('trial 5/20 · max_batch 32, 4 users · ETA 30s');
  });

  it('shows ? before the first trial finished', () => {
    expect(progressText({ ...progress, done: 0 }, 3)).toBe('trial 0/20 · max_batch 32, 4 users · ETA ?');
  });

  it('shows 0s at the end, also if more trials ran than planned (re-runs)', () => {
    expect(progressText({ ...progress, done: 20 }, 100)).toBe('trial 20/20 · max_batch 32, 4 users · ETA 0s');
    expect(progressText({ ...progress, users: 1 }, 10)).toBe('trial 5/20 · max_batch 32, 1 user · ETA 30s');
    expect(progressText({ ...progress, done: 23 }, 100)).toBe('trial 23/20 · max_batch 32, 4 users · ETA 0s');
  });

  it('formats long ETAs in hours', () => {
    expect(progressText({ maxBatch: 0, users: 1, done: 1, total: 400 }, 30)).toBe(
      'trial 1/400 · max_batch 0, 1 user · ETA 3h19m',
    );
  });
});

describe('the plain progress line (stderr not a terminal)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says what is measured before the first trial ends, then the latest trial, with the elapsed time', () => {
    expect(heartbeatText(undefined, 10)).toBe('progress: measuring the first trial · elapsed 10s');
    expect(heartbeatText({ maxBatch: 8, users: 2, done: 3, total: 12 }, 65)).toBe(
      'progress: trial 3/12 · max_batch 8, 2 users · ETA 3m15s · elapsed 1m05s',
    );
  });

  it('writes one line every HEARTBEAT_MS whatever the trials do, and nothing after dispose', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const stream = { isTTY: false, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream;
    const line = createProgressLine(false, stream);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    line?.onProgress({ maxBatch: 8, users: 2, done: 1, total: 4 });
    vi.advanceTimersByTime(2 * HEARTBEAT_MS);
    line?.dispose();
    vi.advanceTimersByTime(5 * HEARTBEAT_MS);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^progress: measuring the first trial · elapsed \d+s\n$/);
    expect(lines[2]).toMatch(/^progress: trial 1\/4 · max_batch 8, 2 users · ETA .* · elapsed .*\n$/);
  });

  it('writes nothing with --quiet', () => {
    expect(createProgressLine(true)).toBeUndefined();
  });
});
