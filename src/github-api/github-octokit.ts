/**
 * The one Octokit every GitHub call goes through (data-branch store, merge-base lookup, PR and
 * trend comments): `getOctokit` of @actions/github (runner proxy settings, user agent) with
 * `@octokit/plugin-retry` and `@octokit/plugin-throttling` (docs/baseline-store.md, "Transient failures").
 * plugin-retry retries 5xx and network errors with growing delays; plugin-throttling spaces
 * writes as GitHub asks and waits out rate limits that say how long to wait, up to a cap.
 * Conflicts are never retried here: a 409/422 on the data branch's ref means it moved, and only
 * the store can rebuild the commit on the new head (docs/baseline-store.md).
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import type { Logger } from '../logger.js';
import type { ActionOctokit } from './issue-comments-client.js';

/** Options of {@link createGitHubOctokit}. */
export interface GitHubOctokitOptions {
  /** The token; it goes into the Authorization header only, never into a message. */
  readonly token: string;
  /** The REST API root (`GITHUB_API_URL`, GitHub Enterprise Server); github.com by default. */
  readonly baseUrl?: string;
  readonly log: Logger;
  /** Retries per request after the first attempt, for outages and for rate limits (default 4). */
  readonly retries?: number;
  /** Longest rate-limit wait honoured, in seconds (default 60); a longer one fails at once. */
  readonly maxRateLimitWaitS?: number;
  /**
   * Milliseconds per second of every wait: backoff, rate-limit waits and the spacing of writes
   * (default 1000). Tests pass 1 so a 30 s `retry-after` takes 30 ms and nothing sleeps seconds.
   */
  readonly msPerSecond?: number;
  /**
   * Longest time one API call may take, its retries included (default 90 s): a GitHub that stops
   * answering fails the call (and so the run, docs/reliability.md) instead of holding it for ever.
   */
  readonly requestTimeoutMs?: number;
}

const DEFAULT_RETRIES = 4;
const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;
const DEFAULT_MAX_RATE_LIMIT_WAIT_S = 60;
// plugin-retry's list of statuses that retrying cannot fix, plus 409: a conflict on the data
// branch's ref is the store's to resolve (re-read, rebuild), and an empty repository stays empty.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];
// GitHub's guidance for content-creating requests: at least a second between writes, and more
// for those that notify people (comments); plugin-throttling's own defaults, scaled for tests.
const WRITE_SPACING_S = 1;
const NOTIFICATION_SPACING_S = 3;

/** Builds the client. Cheap; build one per run and share it. */
export function createGitHubOctokit(options: GitHubOctokitOptions): ActionOctokit {
  const retries = Math.max(0, options.retries ?? DEFAULT_RETRIES);
  const msPerSecond = options.msPerSecond ?? 1000;
  const onLimit = rateLimitHandler(options.log, retries, options.maxRateLimitWaitS ?? DEFAULT_MAX_RATE_LIMIT_WAIT_S);
  // Own limiter groups (not the plugin's process-wide ones) so the spacing scales with msPerSecond.
  const group = (spacingS: number): Bottleneck.Group =>
    new Bottleneck.Group({ maxConcurrent: 1, minTime: spacingS * msPerSecond });
  const octokit = getOctokit(
    options.token,
    {
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      retry: { retries, retryAfterBaseValue: msPerSecond, doNotRetry: DO_NOT_RETRY },
      throttle: {
        retryAfterBaseValue: msPerSecond,
        write: group(WRITE_SPACING_S),
        notifications: group(NOTIFICATION_SPACING_S),
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
    },
    retry,
    throttling,
  );
  // Wrapped last, so outermost: one deadline per call, across the plugins' retries and waits.
  // before-after-hook binds every hook to the same options object: it is changed in place (a
  // new object passed on would be ignored by the inner hooks).
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  octokit.hook.wrap('request', (request, requestOptions) => {
    requestOptions.request = { ...requestOptions.request, signal: AbortSignal.timeout(timeoutMs) };
    return request(requestOptions);
  });
  return octokit;
}

/** The request a rate-limit handler is told about (no headers: the token never reaches a log). */
interface LimitedRequest {
  readonly method: string;
  readonly url: string;
}

/**
 * plugin-throttling's handlers: true retries after `retryAfterS`. A bounded number of waits,
 * each at most `maxWaitS`; a longer wait (an exhausted primary limit resets within the hour)
 * fails the request at once, and the caller says what was not done.
 */
function rateLimitHandler(log: Logger, retries: number, maxWaitS: number) {
  return (kind: 'primary' | 'secondary') =>
    (retryAfterS: number, request: LimitedRequest, _octokit: unknown, retryCount: number): boolean => {
      const what = `GitHub ${kind} rate limit on ${request.method} ${request.url}`;
      if (retryAfterS > maxWaitS || retryCount >= retries) {
        log.warn(`${what}: it asks to wait ${retryAfterS} s; not waiting (at most ${maxWaitS} s, ${retries} times)`);
        return false;
      }
      log.warn(`${what}: waiting ${retryAfterS} s as GitHub asks (retry ${retryCount + 1} of ${retries})`);
      return true;
    };
}
