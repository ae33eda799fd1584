/**
 * The README's quick start as written (issue 22): the action step of its first workflow, `with:`
 * block parsed from README.md, run as the runner runs it (`node dist/index.js`, built by the
 * integration setup, test/support/bundles.ts) on a `pull_request` event, in a git checkout
 * holding the demo model at a base commit and a PR commit, against the real CPU Triton of the
 * integration project (explicit model control, as the workflow starts it; the model is a copy of
 * demo_onnx of this file's own, test/support/shared-triton.ts) and a fake GitHub that knows the
 * same commits. Only the server's addresses and the model name are substituted (the local server
 * is not on 8001/8002), and the matrix is made small: every other input is the README's. So
 * the README cannot drift from what works: a renamed input, a zero-config base that no longer
 * loads, or a comment no longer posted fails here. No timing assertions; runs alone
 * (vitest.config.ts, `integration-alone`): its A/A verdict is a statistic.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentMarker } from '../../src/sinks/comment-marker.js';
import { defaultRoutes, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { createIssueCommentRoutes, type IssueCommentRoutes } from '../support/github-issue-routes.js';
import { pullRequestEvent } from '../e2e/event-payloads.js';
import { mirrorCommit } from '../e2e/mirror-commits.js';
import { REPO_ROOT, runBundledAction } from '../e2e/run-bundled-action.js';
import { BUNDLES_TIMEOUT_MS, bundlesBuilt } from '../support/bundles.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

const TOKEN = 'ghs_FAKE_TOKEN_QUICKSTART_0123456789';
const PR = 22;
const MODEL = 'demo_onnx_quickstart';
useModelCopies({ [MODEL]: {} });
/** The local stand-in's matrix: small, and strict enough that an A/A run does not fail by chance. */
const SMALL = {
  'max-batch': '8',
  users: '1,4',
  requests: '192',
  'warmup-requests': '16',
  'min-rounds': '6',
  'max-rounds': '6',
  alpha: '0.002',
};

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, string | number>>;
}
interface QuickStart {
  readonly jobs: Readonly<Record<string, { readonly env: Record<string, string>; readonly steps: readonly Step[] }>>;
}

/** The README's first workflow, parsed. */
function readQuickStart(): QuickStart {
  const block = /```yaml\n([\s\S]*?)```/.exec(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'))?.[1];
  if (block === undefined) throw new Error('README.md has no yaml block');
  return parse(block) as QuickStart;
}

let github: FakeGitHub;
let issues: IssueCommentRoutes;
let root: string;
let checkout: string;
const shas = { base: '', head: '' };

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd: checkout,
    encoding: 'utf8',
    // +0000 dates: the fake GitHub writes commits in UTC, and must compute the same shas.
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00+0000',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00+0000',
    },
  }).trim();
}

beforeAll(async () => {
  await bundlesBuilt();
  root = mkdtempSync(join(tmpdir(), 'ttg-quickstart-'));
  checkout = join(root, 'checkout');
  // A model repository as a user has it: the served model's files under models/<MODEL>/.
  cpSync(join(sharedTriton().repoDir, MODEL), join(checkout, 'models', MODEL), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'add', '-A');
  git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'Add the model');
  shas.base = git('rev-parse', 'HEAD');
  git('checkout', '-q', '-b', 'feature');
  // A PR that touches the model directory without changing what is served (A/A).
  cpSync(join(checkout, 'models', MODEL, 'config.pbtxt'), join(checkout, 'models', MODEL, 'README.txt'));
  git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'add', '-A');
  git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'Document the model');
  shas.head = git('rev-parse', 'HEAD');

  issues = createIssueCommentRoutes();
  github = await startFakeGitHub({ routes: [...defaultRoutes, ...issues.routes] });
  github.git.refs.set('refs/heads/main', mirrorCommit(checkout, github.git, shas.base));
  github.git.refs.set('refs/heads/feature', mirrorCommit(checkout, github.git, shas.head));
}, BUNDLES_TIMEOUT_MS);

afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await github.close(); // throws if any request or answer left GitHub's API description
});

describe('the README quick start', () => {
  it('starts Triton the way the zero-config base needs and checks out the history', () => {
    const job = Object.values(readQuickStart().jobs)[0];
    const run = job?.steps.map((step) => step.run ?? '').join('\n') ?? '';
    expect(run).toContain('--model-control-mode=explicit');
    const checkoutStep = job?.steps.find((step) => step.uses?.startsWith('actions/checkout@') === true);
    expect(checkoutStep?.with).toMatchObject({ 'fetch-depth': 0, ref: '${{ github.event.pull_request.head.sha }}' });
  });

  it('its action step posts the paired comment on the first PR and passes an A/A change', async () => {
    const job = Object.values(readQuickStart().jobs)[0];
    const step = job?.steps.find((s) => /triton-throughput-gate@/.test(s.uses ?? ''));
    const env: Record<string, string> = { ...job?.env, MODEL };
    const fromReadme = Object.fromEntries(
      Object.entries(step?.with ?? {}).map(([name, value]) => [
        name,
        String(value).replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (_m, key: string) => env[key] ?? ''),
      ]),
    );
    expect(Object.keys(fromReadme).sort()).toEqual(['model', 'model-repository', 'server-url']);
    const event = pullRequestEvent(
      { owner: github.owner, repo: github.repo, defaultBranch: 'main' },
      { number: PR, baseSha: shas.base, headSha: shas.head },
    );
    const result = await runBundledAction({
      workDir: root,
      checkoutDir: checkout,
      eventName: 'pull_request',
      payload: event.payload,
      env: {
        ...event.env,
        GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
        GITHUB_API_URL: github.baseUrl,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '9220001',
      },
      inputs: {
        ...fromReadme,
        ...SMALL,
        'server-url': sharedTriton().grpcUrl,
        'metrics-url': sharedTriton().metricsUrl,
        'github-token': TOKEN, // the runner fills action.yml's default, github.token
      },
    });
    const log = `exit ${String(result.exitCode)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    expect(result.exitCode, log).toBe(0);
    expect(result.outputs['verdict'], log).toBe('pass');
    expect(result.stdout).toContain(`base side: 'models/${MODEL}' at ${shas.base}`);
    const comments = issues.comments(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body.split('\n')[0]).toBe(commentMarker('pr', MODEL));
    expect(body).toContain('paired: head vs base measured in this job, 6 rounds');
    expect(body).toContain(`base **${MODEL.replaceAll('_', '\\_')}\\_\\_base**`);
  }, 240_000);
});
