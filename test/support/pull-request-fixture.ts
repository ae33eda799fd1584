/**
 * The fake GitHub PR repository and a scratch directory for an end-to-end test file, started in
 * `beforeAll` and closed in `afterAll` (closing throws if any request or answer left GitHub's API
 * description), plus the event and environment of a `pull_request` step on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { pullRequestEvent } from '../e2e/event-payloads.js';
import { startFakePullRequestRepo, type FakePullRequestRepo } from './fake-github-pr.js';

/** The started fake and the file's scratch directory. */
export interface PullRequestFixture extends FakePullRequestRepo {
  readonly workDir: string;
}

/** Registers the hooks; the returned function gives the fixture once `beforeAll` ran. */
export function usePullRequestFixture(change: string, dirPrefix: string): () => PullRequestFixture {
  let fixture: PullRequestFixture | undefined;
  beforeAll(async () => {
    fixture = { ...(await startFakePullRequestRepo(change)), workDir: mkdtempSync(join(tmpdir(), dirPrefix)) };
  });
  afterAll(async () => {
    if (fixture === undefined) return;
    rmSync(fixture.workDir, { recursive: true, force: true });
    await fixture.github.close();
  });
  return () => {
    if (fixture === undefined) throw new Error('the pull request fixture is used before beforeAll ran');
    return fixture;
  };
}

/** Payload and GITHUB_* environment of a `pull_request` step for PR `pr` on the fixture. */
export function pullRequestStep(
  fixture: PullRequestFixture,
  pr: number,
  runId: string,
): { payload: object; env: Record<string, string> } {
  const { repo, mainSha, headSha, github } = fixture;
  const event = pullRequestEvent(repo, { number: pr, baseSha: mainSha, headSha });
  return {
    payload: event.payload,
    env: {
      ...event.env,
      GITHUB_REPOSITORY: `${repo.owner}/${repo.repo}`,
      GITHUB_API_URL: github.baseUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: runId,
    },
  };
}
