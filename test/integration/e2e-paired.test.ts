/**
 * Paired mode through the bundled Action (`node dist/index.js`, as the runner starts it) on a PR
 * event, against a real CPU Triton serving the demo model twice (`demo_onnx` as the head,
 * `demo_base` as the base side) and a fake GitHub checked against GitHub's OpenAPI description:
 * an A/A run passes and creates the sticky paired comment; the head side made ≈30 % slower fails
 * the step and edits the same comment (docs/statistics.md §11). dist/ is built by the e2e-action
 * file that runs before this one (and `.ci/run` fails when dist/ is stale). No timing assertions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TritonProcess } from '../../scripts/triton/triton-server.js';
import { commentMarker } from '../../src/sinks/comment-marker.js';
import { setSlowdownUs, startPairedTriton } from '../support/paired-models.js';
import { pullRequestStep, usePullRequestFixture } from '../support/pull-request-fixture.js';
import { runBundledAction, type StepResult } from '../e2e/run-bundled-action.js';

const TOKEN = 'ghs_FAKE_TOKEN_PAIRED_0123456789';
const KEY = 'demo-paired';
const PR = 11;
const MATRIX = {
  model: 'demo_onnx',
  'baseline-model': 'demo_base',
  'max-batch': '8',
  users: '1,4',
  requests: '192',
  'warmup-requests': '16',
  'benchmark-key': KEY,
};

let triton: TritonProcess;
const fixture = usePullRequestFixture('a paired change\n', 'ttg-e2e-paired-');

beforeAll(async () => {
  triton = await startPairedTriton();
}, 240_000);

afterAll(async () => {
  await triton.stop();
});

async function prStep(inputs: Record<string, string>): Promise<StepResult> {
  return runBundledAction({
    workDir: fixture().workDir,
    eventName: 'pull_request',
    ...pullRequestStep(fixture(), PR, '9100001'),
    inputs: {
      'server-url': triton.grpcUrl,
      'metrics-url': triton.metricsUrl,
      'github-token': TOKEN,
      ...MATRIX,
      ...inputs,
    },
  });
}

const log = (result: StepResult): string =>
  `exit ${String(result.exitCode)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

describe('paired mode through the bundled action', () => {
  it('A/A: passes and creates the sticky paired comment', async () => {
    // A/A must not fail by chance here: far stronger evidence than the default alpha 0.05.
    const result = await prStep({ alpha: '0.002', 'min-rounds': '9', 'max-rounds': '9' });
    expect(result.exitCode, log(result)).toBe(0);
    expect(result.outputs['verdict']).toBe('pass');
    const comments = fixture().issues.comments(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body.split('\n')[0]).toBe(commentMarker('pr', KEY));
    expect(body).toContain('paired: head vs base measured in this job, 9 rounds');
    expect(body).toContain('base **demo\\_base**');
    // `::add-mask::<token>` is read by the runner and never shown; every other line is shown.
    const shown = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(`${shown}${result.stderr}${result.summary}${body}`).not.toContain(TOKEN);
  }, 180_000);

  it('a ≈30% slower head side fails the step and edits the same comment', async () => {
    await setSlowdownUs(triton, 'demo_onnx', 400);
    // 8 rounds: the exact test then tolerates a round or two that noise turned the other way.
    const result = await prStep({ 'min-rounds': '8', 'max-rounds': '8' });
    expect(result.exitCode, log(result)).toBe(1);
    expect(result.outputs['verdict']).toBe('regression');
    expect(result.stdout).toMatch(/^::error::/m);
    const comments = fixture()
      .issues.comments(PR)
      .filter((comment) => comment.author === 'github-actions[bot]');
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('paired: head vs base measured in this job, 8 rounds');
    expect(comments[0]?.body).toContain('regressed');
  }, 180_000);
});
