/**
 * A `github-token` without the permission a step needs, against the fake GitHub (403 with
 * `x-accepted-github-permissions`, as GitHub answers). A comment the token may not write does
 * not fail the step (docs/architecture.md#comparison-store-and-reports: fork PRs with a
 * read-only token still get summary and outputs); a baseline the run was asked to save and
 * could not is a lost write and fails it (docs/reliability.md, "Exit codes and verdicts"). Either
 * way one `::warning::` names the permission and the fix, and nothing is written with the token.
 */
import type { BadInputCase } from './bad-input-case.js';

/** A token case: the event and the GitHub operation that answers 403. */
export interface GitHubTokenCase extends BadInputCase {
  readonly eventName: 'push' | 'pull_request';
  readonly forbiddenOperation: string;
  readonly acceptedPermissions: string;
}

export const GITHUB_TOKEN_CASES: readonly GitHubTokenCase[] = [
  {
    name: 'token without contents: write on a push that saves',
    input: 'github-token',
    value: 'a token without contents: write',
    namedAs: 'the token',
    exitCode: 1,
    eventName: 'push',
    forbiddenOperation: 'git/create-blob',
    acceptedPermissions: 'contents=write',
    excerpt: 'the token cannot write to branch triton-throughput-data: needs `contents: write`',
    note: 'a failed step, verdict failure: the save asked for did not land (docs/reliability.md); the summary says why',
  },
  {
    name: 'token without pull-requests: write on a PR',
    input: 'github-token',
    value: 'a token without pull-requests: write',
    namedAs: 'the token',
    exitCode: 0,
    eventName: 'pull_request',
    forbiddenOperation: 'issues/create-comment',
    acceptedPermissions: 'issues=write; pull_requests=write',
    excerpt:
      'the token cannot comment on this PR #7 (fork PR or missing `pull-requests: write`): the report is in the job summary',
    note: 'a warning, not a failed step (docs/architecture.md#comparison-store-and-reports: fork PRs); summary and outputs are written',
  },
];
