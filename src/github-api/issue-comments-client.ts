/**
 * The three issue-comment calls the sticky comments need, behind a small interface (docs/architecture.md#pure-cores-and-io-edges)
 * so unit tests pass a fake; `createIssueCommentsClient` adapts the run's Octokit
 * (github-octokit.ts: retries and throttling included, built by compose/).
 * PR comments are issue comments (`/issues/{number}/comments`): one timeline comment, edited
 * in place — never a commit comment or a review, which do not show in the PR timeline the same
 * way (github-action-benchmark #197, #98).
 */
import type { getOctokit } from '@actions/github';

/** The fields of an issue comment we read. */
export interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
  readonly html_url: string;
}

/** Issue comments of one repository. */
export interface IssueCommentsClient {
  /**
   * The comments of issue or PR `issueNumber`, oldest first, one page (up to 100) at a time,
   * following GitHub's `Link` headers. Stopping early saves the remaining requests.
   */
  listCommentPages(issueNumber: number): AsyncIterable<readonly IssueComment[]>;
  createComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(commentId: number, body: string): Promise<IssueComment>;
}

/** The Octokit of `@actions/github`'s `getOctokit` (type only: nothing is imported at run time). */
export type ActionOctokit = ReturnType<typeof getOctokit>;

/** GitHub's largest page; fewer requests against the rate limit (peer-tools §4). */
const PER_PAGE = 100;

/** The client over a real Octokit (`octokit.paginate.iterator` for the listing). */
export function createIssueCommentsClient(octokit: ActionOctokit, owner: string, repo: string): IssueCommentsClient {
  return {
    listCommentPages: async function* (issueNumber) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issueNumber,
        per_page: PER_PAGE,
      });
      for await (const page of pages) yield page.data;
    },
    createComment: async (issueNumber, body) =>
      (await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })).data,
    updateComment: async (commentId, body) =>
      (await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body })).data,
  };
}
