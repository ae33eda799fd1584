/**
 * A fake clock for retry code: `sleep` resolves at once and advances `now`, so tests of
 * backoff and rate-limit waits run instantly and can assert what was waited.
 */

/** The fake clock and what it was asked to wait. */
export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every requested sleep, in milliseconds, in order. */
  readonly sleeps: readonly number[];
}

/** A clock starting at `startMs` (default 2026-01-01T00:00:00Z). */
export function createFakeClock(startMs = Date.UTC(2026, 0, 1)): FakeClock {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleep: (ms) => {
      sleeps.push(ms);
      nowMs += ms;
      return Promise.resolve();
    },
    sleeps,
  };
}
