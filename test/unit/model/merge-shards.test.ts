import { describe, expect, it } from 'vitest';
import { mergeShards, type MergedShards, type ShardFile } from '../../../src/model/merge-shards.js';
import type { RunResult } from '../../../src/model/run-result.js';
import { makeRun } from '../../support/baseline-runs.js';
import { makeShardRuns, type ShardSpec } from '../../support/shard-runs.js';

const SPEC: ShardSpec = { maxBatch: [8, 16, 32, 64, 4], users: [1, 2], count: 2, sha: 'abcdef0123456789' };

function filesOf(runs: readonly RunResult[]): ShardFile[] {
  return runs.map((run, i) => ({ path: `shard-${i + 1}/result.json`, run }));
}

function mergedRun(outcome: MergedShards): RunResult {
  if ('problems' in outcome) throw new Error(`expected a merge, got ${JSON.stringify(outcome.problems)}`);
  return outcome.run;
}

function problemsOf(outcome: MergedShards): string[] {
  return 'problems' in outcome ? outcome.problems.map((p) => `${p.path}: ${p.problem}`) : [];
}

describe('mergeShards', () => {
  it('puts rows and cells back in the matrix order, whatever order the files come in', () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const run = mergedRun(mergeShards(filesOf([two, one])));
    expect(run.rows.map((row) => row.maxBatch)).toEqual([8, 16, 32, 64, 4]);
    expect(run.cells.map((cell) => `${cell.maxBatch}x${cell.users}`)).toEqual([
      '8x1',
      '8x2',
      '16x1',
      '16x2',
      '32x1',
      '32x2',
      '64x1',
      '64x2',
      '4x1',
      '4x2',
    ]);
    // Each cell keeps its own trials: 16x2 came from shard 2.
    expect(run.cells[3]?.trials.map((t) => t.dps)).toEqual([1602, 1607, 1597]);
  });

  it('is a whole run: no shard field, ids of the shards, hosts listed, times spanning all shards', () => {
    const shards = makeShardRuns({ ...SPEC, count: 3 });
    const run = mergedRun(mergeShards(filesOf(shards)));
    expect(run.shard).toBeUndefined();
    expect(run.mergedFrom).toEqual(shards.map((s) => s.id));
    expect(run.environment.clientHost).toBe('runner-1, runner-2, runner-3');
    expect(run.startedAt).toBe('2026-01-01T00:01:00.000Z');
    expect(run.id).toBe('2026-01-01T00-01-00-000Z-abcdef0');
    expect(run.isComplete).toBe(true);
    expect(run.notes).toEqual([]);
  });

  it('is incomplete when one shard had a failed row, and keeps its notes, naming the shard', () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const failedRow: RunResult = {
      ...two,
      isComplete: false,
      rows: two.rows.map((row) => ({ ...row, status: 'failed', message: 'max_batch 16 did not load' })),
      cells: two.cells.map((cell) => ({ ...cell, status: 'failed', message: 'max_batch 16 did not load' })),
      notes: ['max_batch 16 did not load'],
    };
    const run = mergedRun(mergeShards(filesOf([one, failedRow])));
    expect(run.isComplete).toBe(false);
    expect(run.notes).toEqual(['shard 2/2: max_batch 16 did not load']);
  });

  it('refuses a shard that was interrupted (incomplete, nothing failed) or cut short mid-row', () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const interrupted = {
      ...two,
      isComplete: false,
      notes: ['the run was interrupted; cells not measured are missing'],
    };
    expect(problemsOf(mergeShards(filesOf([one, interrupted])))).toEqual([
      'shard-2/result.json: shard 2/2 is incomplete though no row or cell failed: it was interrupted or did not restore its model (the run was interrupted; cells not measured are missing) (re-run that shard)',
    ]);
    const cut = { ...interrupted, cells: interrupted.cells.slice(0, 1) };
    expect(problemsOf(mergeShards(filesOf([one, cut])))[0]).toMatch(
      /^shard-2\/result\.json: shard 2\/2 lacks cells 16x2, 64x1, 64x2: it was cancelled or cut short/,
    );
  });

  it("refuses a shard without cells, and one holding cells of another shard's rows", () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    expect(problemsOf(mergeShards(filesOf([one, { ...two, cells: [] }])))).toEqual([
      'shard-2/result.json: shard 2/2 has no cells: it measured nothing (re-run that shard)',
    ]);
    const foreign = { ...two, cells: [...two.cells, ...one.cells.map((cell) => ({ ...cell, maxBatch: 128 }))] };
    expect(problemsOf(mergeShards(filesOf([one, foreign])))[0]).toBe(
      "shard-2/result.json: shard 2/2 holds cells of max_batch 128, which are not its rows (16, 64): not this shard's result",
    );
  });

  it('merges the base side of paired shards in the same order', () => {
    const shards = makeShardRuns(SPEC).map((run) => ({
      ...run,
      base: {
        model: 'demo_base',
        serverAddress: '127.0.0.1:8001',
        minRounds: 5,
        maxRounds: 15,
        cells: [...run.cells].reverse(),
      },
    }));
    const run = mergedRun(mergeShards(filesOf(shards)));
    expect(run.base?.cells.map((cell) => `${cell.maxBatch}x${cell.users}`)).toEqual(
      run.cells.map((cell) => `${cell.maxBatch}x${cell.users}`),
    );
    expect(run.base?.model).toBe('demo_base');
  });

  it('refuses a run that is not a shard', () => {
    const [one] = makeShardRuns(SPEC) as [RunResult];
    expect(problemsOf(mergeShards(filesOf([one, makeRun({ sha: SPEC.sha })])))).toEqual([
      'shard-2/result.json: it holds a whole run, not a shard (no `shard` field: run the jobs with shard i/n, n >= 2)',
    ]);
  });

  it.each([
    [
      'environment.configHash',
      (run: RunResult): RunResult => ({ ...run, environment: { ...run.environment, configHash: 'ffff' } }),
      'its environment.configHash is "ffff", shard-1/result.json has "0123456789abcdef": not the same run',
    ],
    [
      'environment.model',
      (run: RunResult): RunResult => ({ ...run, environment: { ...run.environment, model: 'other' } }),
      'its environment.model is "other"',
    ],
    [
      'source.sha',
      (run: RunResult): RunResult => ({ ...run, source: { ...run.source, sha: '9999999' } }),
      'its source.sha is "9999999", shard-1/result.json has "abcdef0123456789"',
    ],
    ['benchmarkKey', (run: RunResult): RunResult => ({ ...run, benchmarkKey: 'other' }), 'its benchmarkKey is "other"'],
    ['method', (run: RunResult): RunResult => ({ ...run, method: { ...run.method, requests: 96 } }), 'its method is {'],
    [
      'shard.count',
      (run: RunResult): RunResult => ({ ...run, shard: { index: 2, count: 3, maxBatch: SPEC.maxBatch } }),
      'its shard.count is 3, shard-1/result.json has 2',
    ],
  ])('names the file and the mismatch: %s', (_name, change, excerpt) => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const problems = problemsOf(mergeShards(filesOf([one, change(two)])));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`shard-2/result.json: ${excerpt}`);
  });

  it('needs every shard exactly once', () => {
    const [one, two, three] = makeShardRuns({ ...SPEC, count: 3 }) as [RunResult, RunResult, RunResult];
    expect(problemsOf(mergeShards(filesOf([one, three])))).toEqual([
      "shard-1/result.json: shard 2/3 missing: every shard's result is needed",
    ]);
    const twice = problemsOf(mergeShards([...filesOf([one, two, three]), { path: 'copy/result.json', run: two }]));
    expect(twice).toContain(
      'copy/result.json: shard 2/3 is also in shard-2/result.json: each shard must be given exactly once',
    );
  });

  it('refuses shards whose cells overlap', () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const overlapping: RunResult = { ...two, cells: [...two.cells, one.cells[0] as RunResult['cells'][number]] };
    expect(problemsOf(mergeShards(filesOf([one, overlapping])))).toEqual([
      'shard-2/result.json: cell 8x1 is also measured in shard-1/result.json: shards must not overlap',
    ]);
  });

  it('refuses a malformed shard field and mixed paired and unpaired shards', () => {
    const [one, two] = makeShardRuns(SPEC) as [RunResult, RunResult];
    const bad = { ...two, shard: { index: 3, count: 2, maxBatch: SPEC.maxBatch } };
    expect(problemsOf(mergeShards(filesOf([one, bad])))[0]).toContain('`shard` is not {index, count}');
    const paired = { ...two, base: { model: 'b', serverAddress: 'x', minRounds: 1, maxRounds: 2, cells: two.cells } };
    expect(problemsOf(mergeShards(filesOf([one, paired])))).toContain(
      'shard-1/result.json: some shards are paired runs (with `base`) and some are not: not the same run',
    );
  });

  it('has nothing to merge without files', () => {
    expect(problemsOf(mergeShards([]))).toEqual([': no shard result files were found']);
  });
});
