/**
 * Replies GitHub sends when things go wrong, for `FakeGitHub.inject`: outages, both kinds of rate
 * limit (with the headers GitHub uses to say how long to wait) and a token without permission.
 * The fake completes their bodies (`documentation_url`, `status`) and validates them like any
 * other answer.
 */
import type { FakeReply } from './fake-github.js';

/** Replies GitHub sends when things go wrong (bodies completed and validated by the fake). */
export const githubFaults = {
  /** A 5xx, as during an incident. */
  serverError: (status = 502): FakeReply => ({ status, body: { message: 'Server Error' } }),
  /** Secondary rate limit: 403 with `retry-after` (seconds). */
  secondaryRateLimit: (retryAfterS: number): FakeReply => ({
    status: 403,
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
    headers: { 'retry-after': String(retryAfterS) },
  }),
  /** Primary rate limit: 403 with `x-ratelimit-remaining: 0` and the reset time (epoch seconds). */
  primaryRateLimit: (resetAtS: number): FakeReply => ({
    status: 403,
    body: { message: 'API rate limit exceeded for installation ID 4242.' },
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetAtS) },
  }),
  /** A token without the permission (GitHub names the one it wanted in a header). */
  forbidden: (acceptedPermissions = 'contents=write'): FakeReply => ({
    status: 403,
    body: { message: 'Resource not accessible by integration' },
    headers: { 'x-accepted-github-permissions': acceptedPermissions },
  }),
} as const;
