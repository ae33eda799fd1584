/**
 * The run's one Octokit (github-api/github-octokit.ts: @octokit/plugin-retry and
 * @octokit/plugin-throttling) against the fake GitHub: a PR comment survives an outage and a
 * secondary rate limit, a rate limit that keeps coming is given up after a bounded number of
 * waits, and the token appears in no log line. Every wait is scaled to a millisecond per second.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubOctokit } from '../../../src/github-api/github-octokit.js';
import { createIssueCommentsClient } from '../../../src/github-api/issue-comments-client.js';
import type { Logger } from '../../../src/logger.js';
import { defaultRoutes, startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { githubFaults } from '../../support/github-faults.js';
import { createIssueCommentRoutes, type IssueCommentRoutes } from '../../support/github-issue-routes.js';

const PR = 7;
const TOKEN = 'ghs_FAKE_TOKEN_retry_0123456789';

let github: FakeGitHub;
let issues: IssueCommentRoutes;
let lines: string[];

beforeEach(async () => {
  issues = createIssueCommentRoutes();
  github = await startFakeGitHub({ routes: [...defaultRoutes, ...issues.routes] });
  lines = [];
});

afterEach(async () => {
  expect(lines.filter((line) => line.includes(TOKEN))).toEqual([]);
  await github.close(); // throws if any request or answer left GitHub's API description
});

function commentsClient(): ReturnType<typeof createIssueCommentsClient> {
  const log: Logger = { info: (line) => lines.push(line), warn: (line) => lines.push(line) };
  const octokit = createGitHubOctokit({ token: TOKEN, baseUrl: github.baseUrl, log, msPerSecond: 1 });
  return createIssueCommentsClient(octokit, github.owner, github.repo);
}

function statusesOf(operationId: string): number[] {
  return github.calls.filter((call) => call.operationId === operationId).map((call) => call.status);
}

describe("the run's Octokit", () => {
  it('posts a PR comment through one 502 and one secondary rate limit with retry-after', async () => {
    // Answered in turn: the first attempt meets the outage, the retry the rate limit.
    github.inject('issues/create-comment', githubFaults.serverError(502));
    github.inject('issues/create-comment', githubFaults.secondaryRateLimit(30));
    const comment = await commentsClient().createComment(PR, 'throughput report');
    expect(statusesOf('issues/create-comment')).toEqual([502, 403, 201]);
    expect(issues.comments(PR).map((stored) => stored.body)).toEqual(['throughput report']);
    expect(comment.id).toBe(issues.comments(PR)[0]?.id);
    expect(lines).toContainEqual(
      'GitHub secondary rate limit on POST /repos/{owner}/{repo}/issues/{issue_number}/comments: waiting 30 s as GitHub asks (retry 1 of 4)',
    );
  });

  it('gives up on a secondary rate limit that keeps coming after four waits, and the caller sees the 403', async () => {
    github.inject('issues/update-comment', githubFaults.secondaryRateLimit(5), 10);
    const client = commentsClient();
    const created = await client.createComment(PR, 'first');
    await expect(client.updateComment(created.id, 'second')).rejects.toMatchObject({ status: 403 });
    expect(statusesOf('issues/update-comment')).toEqual([403, 403, 403, 403, 403]);
    expect(lines.filter((line) => line.includes('waiting 5 s'))).toHaveLength(4);
    expect(lines.at(-1)).toMatch(/it asks to wait 5 s; not waiting \(at most 60 s, 4 times\)$/);
    expect(issues.comments(PR).map((stored) => stored.body)).toEqual(['first']);
  });

  it('does not retry a permission 403 (a read-only token on a fork PR is told at once)', async () => {
    github.inject('issues/create-comment', githubFaults.forbidden('issues=write'));
    await expect(commentsClient().createComment(PR, 'x')).rejects.toMatchObject({ status: 403 });
    expect(statusesOf('issues/create-comment')).toEqual([403]);
  });
});
