import { describe, expect, it } from 'vitest';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import { backoffMs, callGitHub, githubFailureOf, type RetryPolicy } from '../../../src/github-api/github-retry.js';
import { silentLogger } from '../../../src/logger.js';
import { createFakeClock } from '../../support/fake-clock.js';

/** An error shaped like Octokit's RequestError (status, response headers and body). */
function httpError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`${message} - https://docs.github.com/rest`), {
    status,
    response: { status, headers, data: { message, documentation_url: 'https://docs.github.com/rest' } },
  });
}

const NOW_MS = Date.UTC(2026, 0, 1);

describe('githubFailureOf', () => {
  it.each([
    ['secondary limit with retry-after', httpError(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '30' }), { kind: 'rate-limit', waitMs: 30_000 }],
    ['primary limit with a reset time', httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_MS / 1000 + 20) }), { kind: 'rate-limit', waitMs: 20_000 }],
    ['rate limit said only in words', httpError(403, 'You have exceeded a secondary rate limit'), { kind: 'rate-limit' }],
    ['429', httpError(429, 'Too Many Requests'), { kind: 'rate-limit' }],
    ['a permission 403', httpError(403, 'Resource not accessible by integration', { 'x-accepted-github-permissions': 'contents=write' }), { kind: 'permission', acceptedPermissions: 'contents=write' }],
    ['bad credentials', httpError(401, 'Bad credentials'), { kind: 'permission' }],
    ['404', httpError(404, 'Not Found'), { kind: 'not-found' }],
    ['not a fast forward', httpError(422, 'Update is not a fast forward'), { kind: 'conflict', message: 'Update is not a fast forward' }],
    ['409', httpError(409, 'Conflict'), { kind: 'conflict' }],
    ['502', httpError(502, 'Server Error'), { kind: 'transient', status: 502 }],
    ['no status (not from GitHub)', new TypeError('x is undefined'), { kind: 'other', status: 0 }],
  ])('%s', (_name, error, expected) => {
    expect(githubFailureOf(error, NOW_MS)).toMatchObject(expected);
  });
});

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { clock: ReturnType<typeof createFakeClock> } {
  const clock = createFakeClock(NOW_MS);
  return { maxAttempts: 5, maxWaitMs: 60_000, baseDelayMs: 1_000, clock, random: () => 0.5, log: silentLogger, ...overrides } as RetryPolicy & {
    clock: ReturnType<typeof createFakeClock>;
  };
}

/** A call failing with `errors` in turn, then resolving 'ok'. */
function failingWith(...errors: Error[]): { call: () => Promise<string>; readonly calls: () => number } {
  let count = 0;
  return {
    call: () => {
      const error = errors[count];
      count += 1;
      return error === undefined ? Promise.resolve('ok') : Promise.reject(error);
    },
    calls: () => count,
  };
}

describe('callGitHub', () => {
  it('retries 5xx with growing, jittered backoff', async () => {
    const retry = policy();
    const flaky = failingWith(httpError(502, 'Server Error'), httpError(503, 'Unavailable'));
    expect(await callGitHub('get ref', 'o/r@b', flaky.call, retry)).toBe('ok');
    expect(retry.clock.sleeps).toEqual([750, 1500]);
  });

  it('waits out a short rate limit as GitHub asks (plus under a second of margin)', async () => {
    const retry = policy();
    const limited = failingWith(httpError(403, 'secondary rate limit', { 'retry-after': '30' }));
    expect(await callGitHub('create blob', 'o/r@b', limited.call, retry)).toBe('ok');
    expect(retry.clock.sleeps).toEqual([30_500]);
  });

  it('fails at once when the rate limit lasts longer than the store waits', async () => {
    const retry = policy();
    const limited = failingWith(httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_MS / 1000 + 3600) }));
    const error = await callGitHub('create blob', 'o/r@b', limited.call, retry).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BaselineStoreError);
    expect(error).toMatchObject({ reason: 'rate-limit', message: expect.stringContaining('it asks to wait 3600 s, more than the store waits (60 s)') as unknown });
    expect(retry.clock.sleeps).toEqual([]);
  });

  it('gives up after maxAttempts with the last failure and a next step', async () => {
    const retry = policy({ maxAttempts: 3 });
    const down = failingWith(...Array.from({ length: 5 }, () => httpError(500, 'Server Error')));
    const error = await callGitHub('get tree', 'o/r@b', down.call, retry).catch((err: unknown) => err);
    expect(error).toMatchObject({ reason: 'transport', message: 'get tree failed 3 times, last with HTTP 500 (Server Error); GitHub may be having an outage (https://www.githubstatus.com): re-run the job later' });
    expect(down.calls()).toBe(3);
  });

  it('rethrows other failures unchanged, without retrying', async () => {
    const denied = httpError(403, 'Resource not accessible by integration');
    const call = failingWith(denied);
    await expect(callGitHub('create blob', 'o/r@b', call.call, policy())).rejects.toBe(denied);
    expect(call.calls()).toBe(1);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt, capped, with half of it random', () => {
    const knobs = { baseDelayMs: 1_000, maxWaitMs: 5_000 };
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, { ...knobs, random: () => 0 }))).toEqual([500, 1000, 2000, 2500]);
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, { ...knobs, random: () => 0.999 }))).toEqual([1000, 1999, 3998, 4998]);
  });
});
