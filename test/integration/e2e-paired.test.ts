/**
 * Paired mode through the bundled Action (`node dist/index.js`, as the runner starts it; built by
 * the integration setup, test/support/bundles.ts) on a PR event, against the shared real CPU
 * Triton serving the demo model twice (two copies of this file's own, the head and the base
 * side, test/support/shared-triton.ts) and a fake GitHub checked against GitHub's OpenAPI
 * description: an A/A run passes and creates the sticky paired comment; the head side made
 * ≈30 % slower fails the step and edits the same comment (docs/statistics.md §11). No timing
 * assertions; runs alone (vitest.config.ts, `integration-alone`): its verdicts are statistics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/sinks/comment-marker.js';
import { setModelParameters } from '../support/model-copy.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';
import { pullRequestStep, usePullRequestFixture } from '../support/pull-request-fixture.js';
import { runBundledAction, type StepResult } from '../e2e/run-bundled-action.js';
import { BUNDLES_TIMEOUT_MS, bundlesBuilt } from '../support/bundles.js';

const TOKEN = 'ghs_FAKE_TOKEN_PAIRED_0123456789';
const KEY = 'demo-paired';
const PR = 11;
const HEAD = 'demo_onnx_e2e_paired';
const BASE = 'demo_onnx_e2e_paired_base';
useModelCopies({ [HEAD]: {}, [BASE]: {} });
const MATRIX = {
  model: HEAD,
  'baseline-model': BASE,
  'max-batch': '8',
  users: '1,4',
  requests: '192',
  'warmup-requests': '16',
  'benchmark-key': KEY,
};

const fixture = usePullRequestFixture('a paired change\n', 'ttg-e2e-paired-');
beforeAll(bundlesBuilt, BUNDLES_TIMEOUT_MS);

async function prStep(inputs: Record<string, string>): Promise<StepResult> {
  return runBundledAction({
    workDir: fixture().workDir,
    eventName: 'pull_request',
    ...pullRequestStep(fixture(), PR, '9100001'),
    inputs: {
      'server-url': sharedTriton().grpcUrl,
      'metrics-url': sharedTriton().metricsUrl,
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
    expect(body).toContain(`base **${BASE.replaceAll('_', '\\_')}**`);
    // `::add-mask::<token>` is read by the runner and never shown; every other line is shown.
    const shown = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(`${shown}${result.stderr}${result.summary}${body}`).not.toContain(TOKEN);
  }, 180_000);

  it('a ≈30% slower head side fails the step and edits the same comment', async () => {
    await setModelParameters(sharedTriton(), HEAD, { slowdown_us: '400' });
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
