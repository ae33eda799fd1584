/**
 * The Action end to end (issue 5): `node dist/index.js` exactly as the runner starts it
 * (test/e2e/run-bundled-action.ts; built by the integration setup, test/support/bundles.ts),
 * against a copy of the demo model of this file's own on the real CPU Triton of the integration
 * project (test/support/shared-triton.ts) and a fake GitHub whose every request and answer is checked against GitHub's OpenAPI description
 * (the data branch through the Git Data API, the PR comment through the issue-comment API).
 * The steps build on each other, in order: a push saves the baseline, PR runs compare with it
 * and keep one sticky comment, a slower server fails the step after a re-measurement, a
 * read-only token still gets summary and outputs, and the token never shows anywhere.
 * No assertion on timings; the matrix is tiny (1 × 2 cells, 4 trials of 96 requests): no step
 * asserts anything of a second row, and each row costs a model reload per step.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/sinks/comment-marker.js';
import { DATA_BRANCH } from '../support/data-branch-harness.js';
import type { FakeGitHub } from '../support/fake-github.js';
import { startFakePullRequestRepo } from '../support/fake-github-pr.js';
import { githubFaults } from '../support/github-faults.js';
import type { IssueCommentRoutes } from '../support/github-issue-routes.js';
import { pullRequestEvent, pushEvent, type RepoRef } from '../e2e/event-payloads.js';
import { runBundledAction, type StepResult } from '../e2e/run-bundled-action.js';
import { BUNDLES_TIMEOUT_MS, bundlesBuilt } from '../support/bundles.js';
import { setModelParameters } from '../support/model-copy.js';
import { workflowCommands } from '../support/run-entry.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

const TOKEN = 'ghs_FAKE_TOKEN_0123456789';
const KEY = 'demo-e2e';
const PR = 7;
const READ_ONLY_PR = 9;
const TREND_ISSUE = 3;
const MODEL = 'demo_onnx_e2e';
useModelCopies({ [MODEL]: {} });
// 4 trials, not 3: a one-sided rank test of 3 vs 3 trials cannot go below p = 0.05 = alpha,
// so Benjamini-Hochberg over the cells would lose every cell as soon as one is noisy.
const MATRIX = { model: MODEL, 'max-batch': '8', users: '1,4', requests: '96', trials: '4' };
// Wide enough that a busy 2-core box does not fake a regression; the slowdown below is ~5×.
const GATE = { 'min-effect': '30%', 'benchmark-key': KEY };

let github: FakeGitHub;
let issues: IssueCommentRoutes;
let workDir: string;
let repo: RepoRef;
let mainSha: string;
let headSha: string;
const steps: StepResult[] = [];

beforeAll(async () => {
  await bundlesBuilt();
  ({ github, issues, repo, mainSha, headSha } = await startFakePullRequestRepo('a change under test\n'));
  workDir = mkdtempSync(join(tmpdir(), 'ttg-e2e-'));
}, BUNDLES_TIMEOUT_MS);

afterAll(async () => {
  // For a look at what a reviewer sees (scripts/render-comment.ts --file <comment>.md).
  const keep = process.env['TTG_E2E_KEEP_DIR'];
  if (keep !== undefined && keep !== '') keepArtifacts(keep);
  rmSync(workDir, { recursive: true, force: true });
  await github.close(); // throws if any request or answer left GitHub's API description
});

/** One step of the bundled action; `event` from event-payloads.ts, inputs on top of the matrix. */
async function step(
  event: { payload: object; env: Record<string, string> },
  eventName: string,
  options: { inputs?: Record<string, string> } = {},
): Promise<StepResult> {
  const result = await runBundledAction({
    workDir,
    eventName,
    payload: event.payload,
    inputs: {
      'server-url': sharedTriton().grpcUrl,
      // The test server's metrics are on a free port, not Triton's default 8002 that metrics-url assumes.
      'metrics-url': sharedTriton().metricsUrl,
      'github-token': TOKEN,
      ...MATRIX,
      ...GATE,
      ...options.inputs,
    },
    env: {
      ...event.env,
      GITHUB_REPOSITORY: `${repo.owner}/${repo.repo}`,
      GITHUB_API_URL: github.baseUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: String(9_000_000 + steps.length),
    },
  });
  steps.push(result);
  return result;
}

/** Step output plus stderr, for assertion messages. */
function log(result: StepResult): string {
  return `exit ${result.exitCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

function keepArtifacts(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [i, result] of steps.entries()) {
    writeFileSync(join(dir, `step-${i + 1}.log`), log(result));
    writeFileSync(join(dir, `step-${i + 1}-summary.md`), result.summary);
  }
  for (const [i, body] of issues.allBodies().entries()) writeFileSync(join(dir, `comment-${i + 1}.md`), body);
}

function runFiles(): string[] {
  return [...github.branchFiles(DATA_BRANCH).keys()].filter((path) => path.startsWith(`benchmarks/${KEY}/runs/`));
}

describe('the bundled action, end to end', () => {
  it('1. a push to the default branch saves the first baseline and starts the trend comment', async () => {
    const result = await step(pushEvent(repo, 'refs/heads/main', mainSha), 'push', {
      inputs: { 'trend-issue': String(TREND_ISSUE) },
    });
    expect(result.exitCode, log(result)).toBe(0);
    expect(runFiles()).toHaveLength(1);
    const index = JSON.parse(github.branchFiles(DATA_BRANCH).get(`benchmarks/${KEY}/index.json`)?.text ?? '{}') as {
      runs?: { sha?: string; ref?: string; event?: string }[];
    };
    expect(index.runs?.map((run) => [run.sha, run.ref, run.event])).toEqual([[mainSha, 'refs/heads/main', 'push']]);
    expect(result.outputs).toMatchObject({ verdict: 'pass', 'regressed-cells': '' });
    const saved = JSON.parse(readFileSync(result.outputs['result-json'] ?? '', 'utf8')) as {
      benchmarkKey: string;
      isComplete: boolean;
    };
    expect(saved).toMatchObject({ benchmarkKey: KEY, isComplete: true });
    expect(result.summary).toContain('first run: no baseline yet');
    // On a push: the trend comment on its issue, no other comment (and never a commit comment).
    const trend = issues.comments(TREND_ISSUE);
    expect(trend).toHaveLength(1);
    expect(trend[0]?.body.split('\n')[0]).toBe(commentMarker('trend', KEY));
    expect(trend[0]?.body).toContain('## Throughput trend: demo-e2e');
    expect(issues.allBodies()).toHaveLength(1);
  });

  it('2. a PR run compares with the merge-base and creates the sticky comment', async () => {
    const result = await step(pullRequestEvent(repo, { number: PR, baseSha: mainSha, headSha }), 'pull_request');
    expect(result.exitCode, log(result)).toBe(0);
    const comments = issues.comments(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body.split('\n')[0]).toBe(commentMarker('pr', KEY));
    expect(body).toContain('merge-base');
    // One stored run of the merge-base and no history: the gate is calibrating (docs/statistics.md).
    expect(result.outputs['verdict']).toBe('calibrating');
    expect(body).toContain('🧪 calibrating (report-only, cannot fail yet)');
    expect(readFileSync(result.outputs['report-markdown'] ?? '', 'utf8')).toBe(body.slice(body.indexOf('\n\n') + 2));
    expect(runFiles()).toHaveLength(1); // a PR run is never stored
  });

  it('3. a second PR run edits the same comment instead of adding one', async () => {
    const before = issues.comments(PR)[0]?.body;
    issues.seed(PR, ['LGTM', `> quoting the bot:\n> ${commentMarker('pr', KEY)}`]);
    const result = await step(pullRequestEvent(repo, { number: PR, baseSha: mainSha, headSha }), 'pull_request');
    expect(result.exitCode, log(result)).toBe(0);
    const ours = issues.comments(PR).filter((comment) => comment.author === 'github-actions[bot]');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).not.toBe(before);
    expect(result.stdout).toMatch(/PR comment updated/);
  });

  // With one stored run of the merge-base the gate is calibrating: the slowdown is reported, the
  // step passes (docs/statistics.md §5b); the failing gate is covered by the unit simulations.
  it('4. a slower server is reported but cannot fail the step while the gate is calibrating', async () => {
    await slowDown(SLOWDOWN_US);
    let result: StepResult;
    try {
      result = await step(pullRequestEvent(repo, { number: PR, baseSha: mainSha, headSha }), 'pull_request');
    } finally {
      await slowDown(0);
    }
    expect(result.exitCode, log(result)).toBe(0);
    expect(result.stdout).not.toMatch(/^::error::/m);
    expect(result.outputs['verdict']).toBe('calibrating');
    const ours = issues.comments(PR).filter((comment) => comment.author === 'github-actions[bot]');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain('🧪 calibrating');
    expect(ours[0]?.body).toContain('1 of 3 runs of the base commit); paired mode gates from the first PR.');
    expect(result.summary).not.toContain('❌');
  });

  it('5. a read-only token still gets summary and outputs, with a warning instead of a crash', async () => {
    github.inject('issues/create-comment', githubFaults.forbidden('issues=write; pull_requests=write'));
    const result = await step(
      pullRequestEvent(repo, { number: READ_ONLY_PR, baseSha: mainSha, headSha }),
      'pull_request',
    );
    expect(result.exitCode, log(result)).toBe(0);
    expect(result.stdout).toMatch(
      /^::warning::the token cannot comment on this PR #9 \(fork PR or missing `pull-requests: write`\)/m,
    );
    expect(issues.comments(READ_ONLY_PR)).toEqual([]);
    expect(result.summary).toContain('### ');
    expect(result.outputs).toMatchObject({ verdict: 'calibrating' });
    expect(existsSync(result.outputs['result-json'] ?? '')).toBe(true);
  });

  it('6. the token appears nowhere but in the mask command the runner consumes', () => {
    expect(steps).toHaveLength(5);
    // Every step read its server's metrics: no "metrics: cannot read" warning anywhere.
    expect(
      steps
        .flatMap((result) => workflowCommands(result.stdout, 'warning'))
        .filter((line) => line.startsWith('metrics:')),
    ).toEqual([]);
    const places: [string, string][] = [];
    for (const [i, result] of steps.entries()) {
      // `::add-mask::<token>` is read by the runner and never shown; every other line is shown.
      const shown = (text: string): string =>
        text
          .split('\n')
          .filter((line) => !line.startsWith('::add-mask::'))
          .join('\n');
      places.push([`step ${i + 1} stdout`, shown(result.stdout)], [`step ${i + 1} stderr`, result.stderr]);
      places.push([`step ${i + 1} summary`, result.summary], [`step ${i + 1} GITHUB_OUTPUT`, result.outputFile]);
      for (const name of ['result-json', 'report-markdown']) {
        const path = result.outputs[name];
        if (path !== undefined && existsSync(path)) places.push([`step ${i + 1} ${name}`, readFileSync(path, 'utf8')]);
      }
      expect(result.stdout).toContain(`::add-mask::${TOKEN}`);
    }
    for (const [i, body] of issues.allBodies().entries()) places.push([`comment ${i + 1}`, body]);
    for (const [path, file] of github.branchFiles(DATA_BRANCH)) places.push([`data branch ${path}`, file.text]);
    expect(places.filter(([, text]) => text.includes(TOKEN)).map(([where]) => where)).toEqual([]);
  });
});

/**
 * The model sleeps 3 ms per executed batch (its `slowdown_us` config parameter): an unmistakable
 * drop on a busy 2-core box. `slowdown_pct` would scale the model's own compute time, a fraction
 * of a millisecond here, too little to be sure of. The changed config is what a PR would change;
 * the comparison notes say so.
 */
const SLOWDOWN_US = 3000;

async function slowDown(microseconds: number): Promise<void> {
  await setModelParameters(sharedTriton(), MODEL, { slowdown_us: String(microseconds) });
}
