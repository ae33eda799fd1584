/**
 * The commits a PR's baseline is taken from, best first (docs/statistics.md): the merge-base of the
 * PR's base and head, then its first-parent ancestors (the base branch's own history, not
 * commits merged into it). Failure is never fatal: no shas means selection falls back to the
 * latest run on the default branch, and the note says why. Outages and short rate limits are
 * retried by the Octokit client (github-octokit.ts); what reaches us here is final.
 */
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { CommitsClient } from './github-client.js';

/** Options of {@link resolvePreferredShas}. */
export interface PreferredShasOptions {
  readonly octokit: CommitsClient;
  readonly owner: string;
  readonly repo: string;
  /** `pull_request.base.sha` of the event. */
  readonly baseSha: string;
  /** `pull_request.head.sha` of the event. */
  readonly headSha: string;
  readonly log: Logger;
  /** First-parent ancestors of the merge-base returned at most (default 50). */
  readonly maxAncestors?: number;
}

/** The preferred shas and what the report should know. */
export interface PreferredShas {
  /** `[mergeBase, parent, grandparent, ...]`; empty when the merge-base is unknown. */
  readonly shas: readonly string[];
  readonly notes: readonly string[];
}

const DEFAULT_MAX_ANCESTORS = 50;
const PER_PAGE = 100;
// listCommits pages in date order and includes merged-in side branches; a few pages hold
// enough first-parent commits for any sensible `maxAncestors`.
const MAX_PAGES = 3;

/** Resolves the merge-base and its first-parent ancestors; never rejects. */
export async function resolvePreferredShas(options: PreferredShasOptions): Promise<PreferredShas> {
  let mergeBase: string;
  try {
    const compared = await options.octokit.rest.repos.compareCommitsWithBasehead({
      owner: options.owner,
      repo: options.repo,
      basehead: `${options.baseSha}...${options.headSha}`,
      per_page: 1, // only merge_base_commit is read; keep the response small
    });
    mergeBase = compared.data.merge_base_commit.sha;
  } catch (err: unknown) {
    const note = `merge-base of the PR not found (${failureText(err)}): the baseline is the latest run on the default branch`;
    options.log.warn(note);
    return { shas: [], notes: [note] };
  }
  try {
    const ancestors = await firstParentAncestors(options, mergeBase);
    return { shas: [mergeBase, ...ancestors], notes: [] };
  } catch (err: unknown) {
    // The merge-base alone is still the best baseline; only the fallback to ancestors is lost.
    const note = `ancestors of the merge-base ${mergeBase.slice(0, 7)} not listed (${failureText(err)}): only the merge-base is tried before the latest run`;
    options.log.warn(note);
    return { shas: [mergeBase], notes: [note] };
  }
}

async function firstParentAncestors(options: PreferredShasOptions, mergeBase: string): Promise<string[]> {
  const max = Math.max(0, options.maxAncestors ?? DEFAULT_MAX_ANCESTORS);
  const parentOf = new Map<string, string | null>(); // null: a root commit
  const ancestors: string[] = [];
  let current = mergeBase;
  for (let page = 1; page <= MAX_PAGES && ancestors.length < max; page += 1) {
    const listed = await options.octokit.rest.repos.listCommits({
      owner: options.owner,
      repo: options.repo,
      sha: mergeBase,
      per_page: PER_PAGE,
      page,
    });
    for (const commit of listed.data) parentOf.set(commit.sha, commit.parents[0]?.sha ?? null);
    for (
      let parent = parentOf.get(current);
      typeof parent === 'string' && ancestors.length < max;
      parent = parentOf.get(current)
    ) {
      ancestors.push(parent);
      current = parent;
    }
    if (parentOf.get(current) === null || listed.data.length < PER_PAGE) break;
  }
  return ancestors;
}

function failureText(err: unknown): string {
  if (err instanceof BaselineStoreError) return err.message;
  const status =
    err instanceof Error && 'status' in err && typeof err.status === 'number' ? `HTTP ${err.status}: ` : '';
  return `${status}${errorMessage(err)}`;
}
