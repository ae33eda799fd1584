/**
 * A token without the permission a step needs (github-token-cases.ts): the Action (src/main.ts
 * as the runner starts it) against the shared real Triton (identity, one cell, `fixed`: no
 * reload) and the fake GitHub, whose every request and answer is checked against GitHub's
 * OpenAPI description. One warning names the permission; the step succeeds, but for a save
 * that did not land (a lost write fails it); nothing is written with the token; neither the token nor a `server-headers` secret shows anywhere
 * (log but the runner's `::add-mask::` commands, summary, outputs).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestEvent, pushEvent, type RepoRef } from '../e2e/event-payloads.js';
import { DATA_BRANCH } from '../support/data-branch-harness.js';
import type { FakeGitHub } from '../support/fake-github.js';
import { startFakePullRequestRepo } from '../support/fake-github-pr.js';
import { githubFaults } from '../support/github-faults.js';
import type { IssueCommentRoutes } from '../support/github-issue-routes.js';
import { runActionStep, workflowCommands } from '../support/run-entry.js';
import { expectRejected, expectWellFormed } from '../bad-input/bad-input-case.js';
import { GITHUB_TOKEN_CASES, type GitHubTokenCase } from '../bad-input/github-token-cases.js';
import { sharedTriton } from '../support/shared-triton.js';

const TOKEN = 'ghs_FAKE_TOKEN_bad_input_98765';
/** A server-headers secret rides along: it must not show either (issue 6, security). */
const HEADER_SECRET = 'sekret-XYZ-action-header-2468';
const PR = 7;
const MATRIX = {
  model: 'identity',
  'batch-strategy': 'fixed',
  'max-batch': '64',
  users: '1',
  requests: '16',
  trials: '3',
  'warmup-requests': '2',
  'max-reruns': '0',
  'benchmark-key': 'token-case',
};

let github: FakeGitHub;
let issues: IssueCommentRoutes;
let workDir: string;
let repo: RepoRef;
let mainSha: string;
let headSha: string;

beforeAll(async () => {
  ({ github, issues, repo, mainSha, headSha } = await startFakePullRequestRepo('a change\n'));
  workDir = mkdtempSync(join(tmpdir(), 'ttg-bad-token-'));
});

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await github.close(); // throws if any request or answer left GitHub's API description
});

function eventOf(testCase: GitHubTokenCase): { payload: object; env: Record<string, string> } {
  return testCase.eventName === 'push'
    ? pushEvent(repo, 'refs/heads/main', mainSha)
    : pullRequestEvent(repo, { number: PR, baseSha: mainSha, headSha });
}

describe('a token without the needed permission', () => {
  it.for(GITHUB_TOKEN_CASES)('$name', async (testCase) => {
    expectWellFormed(testCase, { isValueQuoted: false });
    github.inject(testCase.forbiddenOperation, githubFaults.forbidden(testCase.acceptedPermissions), 5);
    const event = eventOf(testCase);
    const result = await runActionStep({
      workDir,
      eventName: testCase.eventName,
      payload: event.payload,
      inputs: {
        'server-url': sharedTriton().grpcUrl,
        'metrics-url': sharedTriton().metricsUrl,
        'github-token': TOKEN,
        'server-headers': `authorization: Bearer ${HEADER_SECRET}`,
        ...MATRIX,
      },
      env: { ...event.env, GITHUB_REPOSITORY: `${repo.owner}/${repo.repo}`, GITHUB_API_URL: github.baseUrl },
    });
    const files = ['result-json', 'report-markdown']
      .map((name) => result.outputs[name] ?? '')
      .filter((path) => path !== '' && existsSync(path));
    expect(files).toHaveLength(2);
    const shown = [
      result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
      result.stderr,
      result.summary,
      result.outputFile,
      ...files.map((path) => readFileSync(path, 'utf8')),
    ].join('\n');
    const warnings = workflowCommands(result.stdout, 'warning').join('\n');
    expectRejected(testCase, { exitCode: result.exitCode, text: warnings });
    // A comment the token may not write is a warning; a save it may not write fails the step.
    const errors = workflowCommands(result.stdout, 'error');
    if (testCase.exitCode === 0) expect(errors).toEqual([]);
    else expect(errors.join('\n')).toContain(testCase.excerpt);
    expect(result.outputs['verdict'], result.stdout).toBe(testCase.exitCode === 0 ? 'pass' : 'failure');
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(HEADER_SECRET);
    // Nothing was written with the token.
    expect(github.git.refs.get(`refs/heads/${DATA_BRANCH}`)).toBeUndefined();
    expect(issues.allBodies()).toEqual([]);
    if (testCase.eventName === 'push') expect(result.summary).toContain('Not saved as a baseline');
  });
});
