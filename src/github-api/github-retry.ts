/**
 * How a GitHub API failure is handled (docs/baseline-store.md, failure table): 5xx and network
 * errors are retried with jittered exponential backoff; rate limits (403/429 with
 * `retry-after`, `x-ratelimit-remaining: 0` or a rate-limit message) are waited out when the
 * wait is short enough; everything else is returned to the caller at once. Time is read and
 * spent only through the injected `RetryClock`, so tests never wait.
 */
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import { BaselineStoreError } from '../model/baseline-store-error.js';

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

/** How hard to try. */
export interface RetryPolicy {
  /** Attempts per request and per save, the first included. */
  readonly maxAttempts: number;
  /** Longest wait for a rate limit; a longer one fails at once instead. */
  readonly maxWaitMs: number;
  /** First backoff delay; doubled per attempt, jittered. */
  readonly baseDelayMs: number;
  readonly clock: RetryClock;
  /** Uniform in [0, 1): the jitter. */
  readonly random: () => number;
  readonly log: Logger;
}

/** A failed GitHub request, classified. */
export interface GitHubFailure {
  readonly kind: 'rate-limit' | 'transient' | 'permission' | 'not-found' | 'conflict' | 'other';
  /** HTTP status (Octokit uses 500 when no response arrived); 0 for a non-HTTP error. */
  readonly status: number;
  /** GitHub's `message` (or the error's), for our messages. */
  readonly message: string;
  /** Rate limits: how long GitHub asked us to wait, when it said. */
  readonly waitMs?: number;
  /** GitHub's `x-accepted-github-permissions` header, when sent (`contents=write`). */
  readonly acceptedPermissions?: string;
}

// Without retry-after or a reset time, GitHub's docs say to wait at least a minute for a
// secondary rate limit.
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** Classifies a rejection of an Octokit call (an Octokit RequestError, or a network error). */
export function githubFailureOf(err: unknown, nowMs: number): GitHubFailure {
  const status = err instanceof Error && 'status' in err && typeof err.status === 'number' ? err.status : 0;
  const response = err instanceof Error && 'response' in err && isRecord(err.response) ? err.response : undefined;
  const headers = isRecord(response?.['headers']) ? response['headers'] : {};
  const data = response?.['data'];
  const message = isRecord(data) && typeof data['message'] === 'string' ? data['message'] : errorMessage(err);
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const base = { status, message };
  if (status === 429 || (status === 403 && isRateLimited(header, message))) {
    const waitMs = rateLimitWaitMs(header, nowMs);
    return { kind: 'rate-limit', ...base, ...(waitMs === undefined ? {} : { waitMs }) };
  }
  if (status === 401 || status === 403) {
    const accepted = header('x-accepted-github-permissions');
    return { kind: 'permission', ...base, ...(accepted === undefined ? {} : { acceptedPermissions: accepted }) };
  }
  if (status === 404) return { kind: 'not-found', ...base };
  if (status === 409 || status === 422) return { kind: 'conflict', ...base };
  // Octokit reports network failures (no response) as status 500 without a response. A
  // rejection without a status is not from GitHub at all: 'other', never retried.
  if (status >= 500) return { kind: 'transient', ...base };
  return { kind: 'other', ...base };
}

function isRateLimited(header: (name: string) => string | undefined, message: string): boolean {
  return header('retry-after') !== undefined || header('x-ratelimit-remaining') === '0' || /rate limit/i.test(message);
}

function rateLimitWaitMs(header: (name: string) => string | undefined, nowMs: number): number | undefined {
  const retryAfterS = Number(header('retry-after'));
  if (header('retry-after') !== undefined && Number.isFinite(retryAfterS)) return Math.max(0, retryAfterS * 1000);
  const resetS = Number(header('x-ratelimit-reset'));
  if (header('x-ratelimit-reset') !== undefined && Number.isFinite(resetS)) return Math.max(0, resetS * 1000 - nowMs);
  return undefined;
}

/** Jittered exponential backoff before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxWaitMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random: writers that collided spread out instead of colliding again.
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/**
 * Runs `call`, retrying transient failures and short rate limits up to `maxAttempts`. Other
 * failures are rethrown unchanged for the caller to classify. Throws
 * `BaselineStoreError('transport' | 'rate-limit')` when retrying does not help.
 * @param what the request, for messages (`read branch triton-throughput-data`)
 * @param location `owner/repo@branch`, for the error
 */
export async function callGitHub<T>(what: string, location: string, call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err: unknown) {
      const failure = githubFailureOf(err, policy.clock.now());
      if (failure.kind !== 'transient' && failure.kind !== 'rate-limit') throw err;
      const waitMs = waitBeforeRetry(failure, attempt, policy, { what, location, err });
      policy.log.warn(`${what}: GitHub answered ${describeFailure(failure)}; retrying in ${Math.ceil(waitMs / 1000)} s (attempt ${attempt + 1} of ${policy.maxAttempts})`);
      await policy.clock.sleep(waitMs);
    }
  }
}

function waitBeforeRetry(
  failure: GitHubFailure,
  attempt: number,
  policy: RetryPolicy,
  context: { readonly what: string; readonly location: string; readonly err: unknown },
): number {
  const { what, location, err } = context;
  if (failure.kind === 'rate-limit') {
    const askedMs = failure.waitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    if (askedMs > policy.maxWaitMs || attempt >= policy.maxAttempts) {
      throw new BaselineStoreError(
        'rate-limit',
        location,
        `${what}: GitHub rate limit (${failure.message}); it asks to wait ${Math.ceil(askedMs / 1000)} s, ` +
          `more than the store waits (${Math.round(policy.maxWaitMs / 1000)} s) or too often: try again later ` +
          'or spread the jobs out',
        { cause: err },
      );
    }
    // A little past the reset time: the clocks of GitHub and the runner differ slightly.
    return askedMs + Math.round(policy.random() * 1000);
  }
  if (attempt >= policy.maxAttempts) {
    throw new BaselineStoreError(
      'transport',
      location,
      `${what} failed ${policy.maxAttempts} times, last with ${describeFailure(failure)}; GitHub may be ` +
        'having an outage (https://www.githubstatus.com): re-run the job later',
      { cause: err },
    );
  }
  return backoffMs(attempt, policy);
}

/** `HTTP 502 (Server Error)`. */
export function describeFailure(failure: GitHubFailure): string {
  return `HTTP ${failure.status} (${failure.message})`;
}

/** A JSON-like object (GitHub's error responses are inspected field by field). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
