/**
 * The Action's access to GitHub, built once per run (docs/architecture.md, "Data flow"): one
 * Octokit with retries and throttling (github-api/github-octokit.ts) shared by the data-branch
 * store, the merge-base lookup, the PR comment and the trend issue, so every call has the same
 * retry and rate-limit behaviour and writes are spaced across all of them.
 */
import { createGitHubOctokit } from '../github-api/github-octokit.js';
import {
  createIssueCommentsClient,
  type ActionOctokit,
  type IssueCommentsClient,
} from '../github-api/issue-comments-client.js';
import type { ActionRunContext } from '../github/run-context.js';
import type { Logger } from '../logger.js';

/** The run's GitHub clients; both undefined without a token, comments also without a repository. */
export interface ComposedGitHub {
  readonly octokit: ActionOctokit | undefined;
  readonly comments: IssueCommentsClient | undefined;
}

/** Builds the Octokit for `token` (undefined: `github-token` is empty) and the comments client. */
export function composeGitHub(
  token: string | undefined,
  context: Pick<ActionRunContext, 'apiUrl' | 'owner' | 'repo'>,
  log: Logger,
): ComposedGitHub {
  if (token === undefined) return { octokit: undefined, comments: undefined };
  const octokit = createGitHubOctokit({ token, baseUrl: context.apiUrl, log });
  const { owner, repo } = context;
  const comments =
    owner === undefined || repo === undefined ? undefined : createIssueCommentsClient(octokit, owner, repo);
  return { octokit, comments };
}
