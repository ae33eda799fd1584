import { describe, expect, it } from 'vitest';
import { describeFailure, githubFailureOf } from '../../../src/github-api/github-failure.js';

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
    [
      'secondary limit with retry-after',
      httpError(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '30' }),
      { kind: 'rate-limit', waitMs: 30_000 },
    ],
    [
      'primary limit with a reset time',
      httpError(403, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW_MS / 1000 + 20),
      }),
      { kind: 'rate-limit', waitMs: 20_000 },
    ],
    [
      'rate limit said only in words',
      httpError(403, 'You have exceeded a secondary rate limit'),
      { kind: 'rate-limit' },
    ],
    ['429', httpError(429, 'Too Many Requests'), { kind: 'rate-limit' }],
    [
      'a permission 403',
      httpError(403, 'Resource not accessible by integration', { 'x-accepted-github-permissions': 'contents=write' }),
      { kind: 'permission', acceptedPermissions: 'contents=write' },
    ],
    ['bad credentials', httpError(401, 'Bad credentials'), { kind: 'permission' }],
    ['404', httpError(404, 'Not Found'), { kind: 'not-found' }],
    [
      'not a fast forward',
      httpError(422, 'Update is not a fast forward'),
      { kind: 'conflict', message: 'Update is not a fast forward' },
    ],
    ['409', httpError(409, 'Conflict'), { kind: 'conflict' }],
    ['502', httpError(502, 'Server Error'), { kind: 'transient', status: 502 }],
    ['no status (not from GitHub)', new TypeError('x is undefined'), { kind: 'other', status: 0 }],
  ])('%s', (_name, error, expected) => {
    expect(githubFailureOf(error, NOW_MS)).toMatchObject(expected);
  });
});

describe('describeFailure', () => {
  it("names the status and GitHub's message", () => {
    expect(describeFailure(githubFailureOf(httpError(502, 'Server Error'), NOW_MS))).toBe('HTTP 502 (Server Error)');
  });
});
