/**
 * Event payloads and GITHUB_* variables as the runner provides them, trimmed to the fields
 * GitHub always sends that the Action could read (https://docs.github.com/webhooks/webhook-events-and-payloads).
 */

/** The repository the fake GitHub serves. */
export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
}

function repository(repo: RepoRef): object {
  return {
    name: repo.repo,
    full_name: `${repo.owner}/${repo.repo}`,
    default_branch: repo.defaultBranch,
    owner: { login: repo.owner },
  };
}

/** A `push` event of `sha` to `ref` (a branch or a tag). */
export function pushEvent(repo: RepoRef, ref: string, sha: string): { payload: object; env: Record<string, string> } {
  return {
    payload: { ref, before: '0'.repeat(40), after: sha, repository: repository(repo) },
    env: { GITHUB_REF: ref, GITHUB_SHA: sha },
  };
}

/** What a `pull_request` event needs. */
export interface PullRequestRef {
  readonly number: number;
  readonly baseSha: string;
  readonly headSha: string;
  /** `owner/repo` of the head; a fork when it differs from the base repository. */
  readonly headRepo?: string;
}

/**
 * A `pull_request` (`synchronize`) event. GITHUB_SHA is GitHub's merge commit; the fake has
 * none, so the head stands in for it (the Action records the head sha anyway).
 */
export function pullRequestEvent(repo: RepoRef, pr: PullRequestRef): { payload: object; env: Record<string, string> } {
  const fullName = `${repo.owner}/${repo.repo}`;
  return {
    payload: {
      action: 'synchronize',
      number: pr.number,
      pull_request: {
        number: pr.number,
        state: 'open',
        base: { ref: repo.defaultBranch, sha: pr.baseSha, repo: { full_name: fullName } },
        head: { ref: `feature-${pr.number}`, sha: pr.headSha, repo: { full_name: pr.headRepo ?? fullName } },
      },
      repository: repository(repo),
    },
    env: { GITHUB_REF: `refs/pull/${pr.number}/merge`, GITHUB_SHA: pr.headSha },
  };
}
