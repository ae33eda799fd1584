/**
 * The sticky comment through a real Octokit (`getOctokit` of @actions/github, without the
 * retry and throttling plugins the run adds, so one injected fault reaches the sink; the run's
 * client is tested in test/faults/github/github-octokit.test.ts) against the fake GitHub, whose answers are checked against GitHub's OpenAPI
 * description: pagination by `Link` headers over hundreds of comments, and GitHub's real error
 * shapes for a refused comment and a rate limit. No Triton involved; a fault test because it
 * needs a socket (unit tests have none, docs/architecture.md#tests).
 */
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commentMarker } from '../../../src/sinks/comment-marker.js';
import { createIssueCommentsClient } from '../../../src/github-api/issue-comments-client.js';
import { createPrCommentSink } from '../../../src/sinks/pr-comment-sink.js';
import type { Logger } from '../../../src/logger.js';
import { defaultRoutes, startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { githubFaults } from '../../support/github-faults.js';
import { createIssueCommentRoutes, type IssueCommentRoutes } from '../../support/github-issue-routes.js';
import { pipelineResult } from '../../unit/github/github-fixtures.js';

const PR = { number: 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), isFork: false };

let github: FakeGitHub;
let issues: IssueCommentRoutes;
let warnings: string[];
let log: Logger;

beforeEach(async () => {
  issues = createIssueCommentRoutes();
  github = await startFakeGitHub({ routes: [...defaultRoutes, ...issues.routes] });
  warnings = [];
  log = { info: () => undefined, warn: (line) => warnings.push(line) };
});

afterEach(async () => {
  await github.close(); // throws if a request or answer left GitHub's API description
});

function sink() {
  const octokit = getOctokit('ghs_FAKE_TOKEN_0123456789', { baseUrl: github.baseUrl });
  return createPrCommentSink({
    client: createIssueCommentsClient(octokit, github.owner, github.repo),
    pullRequest: PR,
    mode: 'always',
    benchmarkKey: 'demo',
    log,
  });
}

const listCalls = (): number => github.calls.filter((call) => call.operationId === 'issues/list-comments').length;

describe('the sticky PR comment through Octokit', () => {
  it('finds its comment on the third page of 250 and edits it in place', async () => {
    issues.seed(
      7,
      Array.from({ length: 230 }, (_, i) => `review comment ${i}`),
    );
    issues.seed(7, [`${commentMarker('pr', 'demo')}\nthe old report`], 'github-actions[bot]');
    issues.seed(
      7,
      Array.from({ length: 19 }, (_, i) => `later comment ${i}`),
    );
    await sink().publish(pipelineResult('typical'));
    expect(listCalls()).toBe(3); // 100 per page, following Link rel="next"
    const ours = issues.comments(7).filter((comment) => comment.body.startsWith(commentMarker('pr', 'demo')));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain(pipelineResult('typical').report.markdown);
    expect(github.calls.map((call) => call.operationId)).not.toContain('issues/create-comment');
  });

  it('creates it once when none exists, after reading every page', async () => {
    issues.seed(
      7,
      Array.from({ length: 101 }, (_, i) => `comment ${i}`),
    );
    await sink().publish(pipelineResult('typical'));
    await sink().publish(pipelineResult('no-baseline'));
    expect(github.calls.map((call) => call.operationId).filter((id) => id !== 'issues/list-comments')).toEqual([
      'issues/create-comment',
      'issues/update-comment',
    ]);
    expect(issues.comments(7)).toHaveLength(102);
  });

  it("turns GitHub's 403 for a read-only token into the warning", async () => {
    github.inject('issues/create-comment', githubFaults.forbidden('issues=write; pull_requests=write'));
    await sink().publish(pipelineResult('typical'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^the token cannot comment on this PR #7 \(fork PR or missing `pull-requests: write`\).*HTTP 403 Resource not accessible by integration/,
    );
    expect(issues.comments(7)).toEqual([]);
  });

  it('does not mistake a rate limit for a missing permission', async () => {
    github.inject('issues/create-comment', githubFaults.secondaryRateLimit(60));
    await expect(sink().publish(pipelineResult('typical'))).rejects.toThrow(/secondary rate limit/);
    expect(warnings).toEqual([]);
  });
});
