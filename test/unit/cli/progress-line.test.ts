// The CLI's progress text: durations as 12s / 3m05s / 1h02m, and the trial counter with an ETA
// extrapolated from the time per finished trial.
import { describe, expect, it } from 'vitest';
import { formatDuration, progressText } from '../../../src/cli/progress-line.js';

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
    expect(progressText({ ...progress, done: 23 }, 100)).toBe('trial 23/20 · max_batch 32, 4 users · ETA 0s');
  });

  it('formats long ETAs in hours', () => {
    expect(progressText({ maxBatch: 0, users: 1, done: 1, total: 400 }, 30)).toBe(
      'trial 1/400 · max_batch 0, 1 users · ETA 3h19m',
    );
  });
});
