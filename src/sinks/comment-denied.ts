/**
 * Tells a refused comment (fork PR, read-only token, missing permission) from other failures,
 * and words the warning (docs/architecture.md#errors table: "comment or summary denied (fork PR) → warning;
 * outputs and summary still written"). GitHub answers 403 "Resource not accessible by
 * integration" to a token without the permission and 404 when it may not even see the
 * target; a rate limit is also a 403 but says so, and is not a denial.
 */
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';

/** Where the comment was going. */
export type CommentTarget =
  | { readonly kind: 'pr'; readonly number: number; readonly isFork: boolean; readonly headRepo?: string }
  | { readonly kind: 'trend'; readonly number: number };

/** HTTP status of an Octokit `RequestError` (or anything carrying a numeric `status`). */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('status' in err)) return undefined;
  return typeof err.status === 'number' ? err.status : undefined;
}

/** True for a 403/404 that is not a rate limit: retrying with the same token cannot help. */
export function isCommentDenied(err: unknown): boolean {
  const status = httpStatusOf(err);
  if (status === 404) return true;
  if (status !== 403) return false;
  return !/rate limit/i.test(errorMessage(err)) && remainingRateLimit(err) !== '0';
}

/** The warning for a denied comment: what happened, why, where the report is instead. */
export function deniedCommentWarning(target: CommentTarget, err: unknown): string {
  const said = `GitHub said: HTTP ${httpStatusOf(err) ?? '?'} ${firstLine(errorMessage(err))}`;
  if (target.kind === 'trend') {
    return (
      `the token cannot comment on issue #${target.number} (missing \`issues: write\`, or no such issue): ` +
      `the trend is in the job summary (${said}). Add \`permissions: issues: write\` to the job or check trend-issue.`
    );
  }
  const why = target.isFork
    ? `this PR comes from the fork ${target.headRepo ?? '(deleted)'}, and fork PRs get a read-only token`
    : 'fork PR or missing `pull-requests: write`';
  return (
    `the token cannot comment on this PR #${target.number} (${why}): the report is in the job summary (${said}). ` +
    'Outputs are set as usual; the check result does not depend on the comment.'
  );
}

/** Runs `write`; a denied comment becomes one warning naming the cause. Other errors propagate. */
export async function denialAsWarning(target: CommentTarget, log: Logger, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err: unknown) {
    if (!isCommentDenied(err)) throw err;
    log.warn(deniedCommentWarning(target, err));
  }
}

function remainingRateLimit(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('response' in err)) return undefined;
  const response = err.response;
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const headers = response.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)['x-ratelimit-remaining'];
  return typeof value === 'string' ? value : undefined;
}

function firstLine(text: string): string {
  // Octokit appends " - https://docs.github.com/..." to the message; the first line is enough.
  return (text.split('\n', 1)[0] ?? '').slice(0, 200);
}
