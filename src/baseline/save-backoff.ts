/**
 * How long a save waits after losing the race for the data branch's ref (docs/baseline-store.md,
 * concurrent writers). Transport failures are retried inside the Octokit client
 * (github-api/github-octokit.ts); this is the one retry only the store can do: re-read the head
 * and rebuild the commit on top of it. Time is read and spent only through the injected
 * `RetryClock`, so tests never wait.
 */
import type { Logger } from '../logger.js';

/** Wall clock and sleep, injectable so tests run on a fake clock. */
export interface RetryClock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How hard a save tries to land on a moving branch. */
export interface SavePolicy {
  /** Attempts per save, the first included. */
  readonly maxAttempts: number;
  /** Longest backoff between attempts. */
  readonly maxWaitMs: number;
  /** First backoff delay; doubled per attempt, jittered. */
  readonly baseDelayMs: number;
  readonly clock: RetryClock;
  /** Uniform in [0, 1): the jitter. */
  readonly random: () => number;
  readonly log: Logger;
}

/** Jittered exponential backoff before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(attempt: number, policy: Pick<SavePolicy, 'baseDelayMs' | 'maxWaitMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random: writers that collided spread out instead of colliding again.
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}
