/**
 * `triton-throughput-gate merge` in process (cli-main.ts): two shard result files become one
 * run, compared with a file-store baseline, printed, written to --out and saved with --save;
 * files that are not one run's shards exit 2 naming the file and the mismatch.
 */
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedRunText, parseStoredRun } from '../../../src/baseline/stored-run.js';
import type { RunResult } from '../../../src/model/run-result.js';
import { runCliInProcess } from '../../support/cli-in-process.js';
import { makeShardRuns, type ShardSpec } from '../../support/shard-runs.js';

const SPEC: ShardSpec = { maxBatch: [8, 16, 32], users: [1, 2], count: 2, sha: 'abcdef0123456789', event: 'push' };

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ttg-merge-cli-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the shards as actions/download-artifact lays them out: one folder per artifact. */
async function writeShards(runs: readonly RunResult[]): Promise<string> {
  const artifacts = join(dir, 'artifacts');
  for (const [i, run] of runs.entries()) {
    await mkdir(join(artifacts, `result-shard-${i + 1}`), { recursive: true });
    await writeFile(join(artifacts, `result-shard-${i + 1}`, 'result.json'), storedRunText(run));
  }
  return artifacts;
}

function merged(text: string): RunResult {
  const stored = parseStoredRun(text);
  if ('skipped' in stored) throw new Error(stored.skipped);
  return stored.run;
}

describe('merge', () => {
  it('merges two shard files into one run: printed, written to --out, saved as one baseline', async () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const artifacts = await writeShards([one, two]);
    const out = join(dir, 'merged.json');
    const store = join(dir, 'store');
    const outcome = await runCliInProcess([
      'merge',
      join(artifacts, 'result-shard-2', 'result.json'),
      join(artifacts, 'result-shard-1', 'result.json'),
      '--out',
      out,
      '--baseline-dir',
      store,
      '--save',
    ]);
    expect(outcome.exitCode, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain('merged 2 shard results');
    const run = merged(await readFile(out, 'utf8'));
    expect(run.cells.map((c) => `${c.maxBatch}x${c.users}`)).toEqual(['8x1', '8x2', '16x1', '16x2', '32x1', '32x2']);
    expect(run.mergedFrom).toEqual([one.id, two.id]);
    // The run tables on stdout hold every row of the whole matrix.
    expect(outcome.stdout).toMatch(/16/);
    expect(outcome.stdout).toContain('baseline: ');
    const saved = await readdir(join(store, 'benchmarks', 'demo', 'runs'));
    expect(saved).toHaveLength(1);
  });

  it('reads a directory of artifacts (--in) and compares with the stored baseline', async () => {
    const artifacts = await writeShards(makeShardRuns(SPEC));
    const store = join(dir, 'store');
    const first = await runCliInProcess(['merge', '--in', artifacts, '--baseline-dir', store, '--save']);
    expect(first.exitCode, first.stderr).toBe(0);
    // A later commit 30% slower in every cell: the merged run regresses against the merged baseline.
    const slower = makeShardRuns({
      ...SPEC,
      sha: '1234567abcdef',
      startedAt: '2026-01-02T00:00:00.000Z',
      dpsOf: (m, u) => [70 * m + u, 70 * m + u + 3, 70 * m + u - 3],
    });
    await rm(artifacts, { recursive: true });
    const later = await writeShards(slower);
    const second = await runCliInProcess(['merge', '--in', later, '--baseline-dir', store]);
    // Every cell of the whole matrix is compared (one stored run: the gate is still calibrating).
    expect(second.stdout).toContain('Compared with baseline (latest): 6 regressed');
    expect(second.stdout).toContain('verdict: calibrating');
  });

  it('exits 2 naming the file and the mismatch when the shards are not one run', async () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const artifacts = await writeShards([
      one,
      { ...two, environment: { ...two.environment, tritonVersion: '2.52.0' } },
    ]);
    const outcome = await runCliInProcess(['merge', '--in', artifacts]);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain(
      `input 'merge': got '${join(artifacts, 'result-shard-2', 'result.json')}', expected the result files of every shard of one run; its environment.tritonVersion is "2.52.0", ${join(artifacts, 'result-shard-1', 'result.json')} has "2.51.0": not the same run`,
    );
    expect(outcome.stdout).toBe('verdict: failure\n');
  });

  it('exits 2 when a shard is missing, and refuses --in on other commands', async () => {
    const [one] = makeShardRuns(SPEC) as [RunResult];
    const artifacts = await writeShards([one]);
    const outcome = await runCliInProcess(['merge', '--in', artifacts]);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('shard 2/2 missing');
    const misuse = await runCliInProcess([
      'report',
      '--current',
      join(artifacts, 'result-shard-1', 'result.json'),
      '--in',
      artifacts,
    ]);
    expect(misuse.exitCode).toBe(2);
    expect(misuse.stderr).toContain("--in is only used by 'merge'");
  });

  it('--quiet prints only the verdict; --out /dev/full is refused before anything is written', async () => {
    const artifacts = await writeShards(makeShardRuns(SPEC));
    const quiet = await runCliInProcess(['merge', '--in', artifacts, '--quiet']);
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('verdict: pass\n');
    const full = await runCliInProcess(['merge', '--in', artifacts, '--out', '/dev/full']);
    expect(full.exitCode).toBe(2);
    expect(full.stderr).toContain("input 'out': got '/dev/full', expected a path outside /dev");
    expect(full.stdout).toBe('verdict: failure\n');
  });
});
