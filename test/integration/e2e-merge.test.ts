/**
 * Sharded jobs merged into one comment (README "Sharded runs"), as a workflow runs them: two
 * shard steps of the Action (src/main.ts through tsx, test/support/run-entry.ts) measure their
 * rows on the real CPU Triton (a copy of the demo model of this file's own,
 * test/support/shared-triton.ts) and write their RunResult to `out`, commenting nowhere; a merge
 * step (`mode: merge`) reads both files, and the fake GitHub (answers checked against GitHub's
 * OpenAPI description) receives the one sticky comment of the whole matrix, edited in place
 * when the merge runs again. Tiny matrix (2 rows × 2 users, 3 trials of 48 requests); no
 * assertion on timings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/sinks/comment-marker.js';
import type { RunResult } from '../../src/model/run-result.js';
import { DATA_BRANCH } from '../support/data-branch-harness.js';
import { pullRequestStep, usePullRequestFixture } from '../support/pull-request-fixture.js';
import { runActionStep, workflowCommands, type ActionStepResult } from '../support/run-entry.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

const TOKEN = 'ghs_FAKE_TOKEN_0123456789';
const KEY = 'demo-sharded';
const PR = 11;
const MODEL = 'demo_onnx_merge';
useModelCopies({ [MODEL]: {} });
const MATRIX = {
  model: MODEL,
  'max-batch': '8,16',
  users: '1,2',
  requests: '48',
  trials: '3',
  'benchmark-key': KEY,
};

const fixture = usePullRequestFixture('a sharded change\n', 'ttg-e2e-merge-');

function step(inputs: Record<string, string>): Promise<ActionStepResult> {
  return runActionStep({
    workDir: fixture().workDir,
    eventName: 'pull_request',
    ...pullRequestStep(fixture(), PR, '9100000'),
    inputs: { 'github-token': TOKEN, ...inputs },
  });
}

function shardStep(index: number): Promise<ActionStepResult> {
  return step({
    ...MATRIX,
    shard: `${index}/2`,
    out: 'result.json',
    'server-url': sharedTriton().grpcUrl,
    'metrics-url': sharedTriton().metricsUrl,
  });
}

function report(result: ActionStepResult): string {
  return `exit ${String(result.exitCode)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

const ours = () =>
  fixture()
    .issues.comments(PR)
    .filter((comment) => comment.body.startsWith(commentMarker('pr', KEY)));

describe('sharded jobs and their merge job', () => {
  const shards: ActionStepResult[] = [];

  it('the shard jobs measure their rows, write out, and comment nowhere', async () => {
    for (const index of [1, 2]) {
      const result = await shardStep(index);
      expect(result.exitCode, report(result)).toBe(0);
      expect(result.stdout).toContain(`shard ${index}/2: no PR or trend comment`);
      shards.push(result);
    }
    const rowsOf = (result: ActionStepResult): number[] =>
      (JSON.parse(readFileSync(join(result.workspace, 'result.json'), 'utf8')) as RunResult).rows.map(
        (row) => row.maxBatch,
      );
    expect(shards.map(rowsOf)).toEqual([[8], [16]]);
    expect(fixture().issues.allBodies()).toEqual([]);
    expect(fixture().github.branchFiles(DATA_BRANCH).size).toBe(0);
  });

  it('the merge job posts the one comment of the whole matrix, and edits it when run again', async () => {
    const shardResults = shards.map((result) => join(result.workspace, 'result.json')).join('\n');
    const first = await step({ mode: 'merge', 'shard-results': shardResults, 'benchmark-key': KEY });
    expect(first.exitCode, report(first)).toBe(0);
    expect(workflowCommands(first.stdout, 'error')).toEqual([]);
    expect(ours()).toHaveLength(1);
    const merged = JSON.parse(readFileSync(first.outputs['result-json'] ?? '', 'utf8')) as RunResult;
    expect(merged.cells.map((cell) => `${cell.maxBatch}x${cell.users}`)).toEqual(['8x1', '8x2', '16x1', '16x2']);
    expect(merged.mergedFrom).toHaveLength(2);
    expect(ours()[0]?.body).toContain('demo-sharded');
    const again = await step({ mode: 'merge', 'shard-results': shardResults });
    expect(again.exitCode, report(again)).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(fixture().issues.allBodies()).toHaveLength(1);
    // A PR's merged run is never stored (docs/baseline-store.md).
    expect(fixture().github.branchFiles(DATA_BRANCH).size).toBe(0);
  });
});
