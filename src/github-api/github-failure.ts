/**
 * What a failed GitHub request means for its caller (docs/baseline-store.md, failure table).
 * Transport retries (5xx, network errors, rate limits) happen inside the Octokit client
 * (github-octokit.ts, docs/baseline-store.md); a rejection that reaches our code is final, and this
 * classification turns it into the right message: a rate limit longer than the client waits, an
 * outage that outlasted the retries, a missing permission, or a lost race on the data branch.
 */
import { errorMessage } from '../error-message.js';

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

/** `HTTP 502 (Server Error)`. */
export function describeFailure(failure: GitHubFailure): string {
  return `HTTP ${failure.status} (${failure.message})`;
}

/** A JSON-like object (GitHub's error responses are inspected field by field). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
