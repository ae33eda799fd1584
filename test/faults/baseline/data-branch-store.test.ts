/**
 * The data-branch store against a fake GitHub whose every answer is checked against GitHub's
 * OpenAPI description: layout, orphan creation, selection, retention, and files it must never
 * touch (corrupt runs, an index of a newer version, an existing run).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import { storedRunText } from '../../../src/baseline/stored-run.js';
import { makeQuery, makeRun, sha } from '../../support/baseline-runs.js';
import { DATA_BRANCH, expectSoundBranch, startHarness, type Harness } from '../../support/data-branch-harness.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.github.close();
});

const A = sha('a');
const B = sha('b');
const day = (n: number): string => `2026-01-0${n}T00:00:00.000Z`;

describe('data-branch store — first save and read back', () => {
  it('loads nothing, with a note, before the branch exists', async () => {
    const load = await harness.store().load(makeQuery([A]));
    expect(load).toEqual({
      runs: [],
      selectedBy: 'none',
      history: [],
      notes: [
        `no baselines yet: branch ${DATA_BRANCH} does not exist in octo-org/models (the first saved run creates it)`,
      ],
    });
  });

  it('creates the branch as an orphan (no parent, nothing but JSON) and leaves main alone', async () => {
    const mainBefore = harness.github.git.refs.get('refs/heads/main');
    const run = makeRun({ sha: A, startedAt: day(1) });
    const outcome = await harness.store().save(run);
    expect(outcome).toEqual({
      isSaved: true,
      detail: `octo-org/models@${DATA_BRANCH}:benchmarks/demo/runs/${run.id}.json`,
    });
    const head = harness.head();
    expect(head).toBeDefined();
    expect(harness.github.git.commit(head ?? '')?.parents).toEqual([]);
    expect([...harness.github.branchFiles(DATA_BRANCH).keys()].sort()).toEqual([
      'benchmarks/demo/index.json',
      `benchmarks/demo/runs/${run.id}.json`,
    ]);
    expect(harness.github.branchFiles(DATA_BRANCH).get(`benchmarks/demo/runs/${run.id}.json`)?.text).toBe(
      storedRunText(run),
    );
    expect(harness.github.git.refs.get('refs/heads/main')).toBe(mainBefore);
    expectSoundBranch(harness.github, { runIds: [run.id] });
  });

  it('adds later runs as fast-forward commits and selects the merge-base among them', async () => {
    const store = harness.store();
    const runs = [
      makeRun({ sha: A, startedAt: day(1) }),
      makeRun({ sha: B, startedAt: day(2) }),
      makeRun({ sha: A, startedAt: day(3) }),
    ];
    const heads: string[] = [];
    for (const run of runs) {
      await store.save(run);
      heads.push(harness.head() ?? '');
    }
    expect(harness.github.git.isAncestor(heads[0] ?? '', heads[2] ?? '')).toBe(true);
    const load = await harness.store().load(makeQuery([A, B]));
    expect(load.selectedBy).toBe('merge-base');
    expect(load.runs.map((run) => run.id)).toEqual([runs[2]?.id, runs[0]?.id]);
    expect(load.history.map((point) => point.runId)).toEqual(runs.map((run) => run.id));
    expectSoundBranch(harness.github, { runIds: runs.map((run) => run.id) });
  });

  it('keeps other keys and other files of the branch as they are', async () => {
    harness.github.git.commitFiles(
      DATA_BRANCH,
      { 'README.md': 'data branch\n', 'benchmarks/other/index.json': '{}' },
      day(1),
    );
    const before = harness.github.branchFiles(DATA_BRANCH);
    await harness.store().save(makeRun({ sha: A }));
    const after = harness.github.branchFiles(DATA_BRANCH);
    for (const [path, file] of before) expect(after.get(path)?.sha).toBe(file.sha);
  });

  it('reads an encoded key back from its own directory', async () => {
    const run = makeRun({ sha: A, benchmarkKey: 'yolo/v8' });
    await harness.store().save(run);
    expect([...harness.github.branchFiles(DATA_BRANCH).keys()]).toContain(`benchmarks/yolo%2Fv8/runs/${run.id}.json`);
    const load = await harness.store().load(makeQuery([A], { benchmarkKey: 'yolo/v8' }));
    expect(load.runs).toEqual([run]);
  });
});

describe('data-branch store — retention', () => {
  it('keeps the newest `history` runs in the index and archives the rest; every file stays', async () => {
    const store = harness.store({ history: 2 });
    const runs = [1, 2, 3].map((n) => makeRun({ sha: sha(`r${n}`), startedAt: day(n) }));
    for (const run of runs) await store.save(run);
    const index = expectSoundBranch(harness.github, { runIds: runs.map((run) => run.id) });
    expect(index.runs.map((entry) => entry.id)).toEqual([runs[1]?.id, runs[2]?.id]);
    expect(index.archived.map((entry) => entry.id)).toEqual([runs[0]?.id]);
    // An archived run still serves as the merge-base of an old PR.
    const load = await store.load(makeQuery([sha('r1')]));
    expect(load.runs.map((run) => run.id)).toEqual([runs[0]?.id]);
  });
});

describe('data-branch store — files it must never rewrite', () => {
  const corruptPath = 'benchmarks/demo/runs/2025-12-31T00-00-00-000Z-deadbee.json';
  const futureRunPath = 'benchmarks/demo/runs/2025-12-30T00-00-00-000Z-f00d000.json';
  const indexPath = 'benchmarks/demo/index.json';
  const old = makeRun({ sha: A, startedAt: '2025-12-01T00:00:00.000Z' });

  beforeEach(() => {
    const futureRun = { ...(JSON.parse(storedRunText(makeRun({ id: 'future' }))) as object), schemaVersion: 3 };
    harness.github.git.commitFiles(
      DATA_BRANCH,
      {
        [indexPath]: JSON.stringify({ schemaVersion: 2, benchmarkKey: 'demo', shards: {} }),
        [corruptPath]: storedRunText(makeRun()).slice(0, 120),
        [futureRunPath]: JSON.stringify(futureRun),
        [`benchmarks/demo/runs/${old.id}.json`]: storedRunText(old),
      },
      day(1),
    );
  });

  function untouched(): Map<string, string> {
    const files = harness.github.branchFiles(DATA_BRANCH);
    return new Map([indexPath, corruptPath, futureRunPath].map((path) => [path, files.get(path)?.sha ?? '']));
  }

  it('load skips them with warnings and still finds the valid run', async () => {
    const load = await harness.store().load(makeQuery([A]));
    expect(load.runs).toEqual([old]);
    expect(load.notes).toEqual([
      expect.stringMatching(
        /index\.json was written by a newer triton-throughput-gate \(index schemaVersion 2 > 1\): left as is, never overwritten/,
      ),
      expect.stringMatching(/2025-12-31T00-00-00-000Z-deadbee\.json skipped, left as is: not valid JSON/),
      expect.stringMatching(
        /2025-12-30T00-00-00-000Z-f00d000\.json skipped, left as is: written by a newer triton-throughput-gate \(schemaVersion 3 > 2\); upgrade/,
      ),
    ]);
    expect(harness.logs.warn).toEqual(load.notes);
  });

  it('save leaves their blobs unchanged and keeps its index in index-rebuilt.json', async () => {
    const kept = untouched();
    const run = makeRun({ sha: B, startedAt: day(2) });
    await harness.store().save(run);
    expectSoundBranch(harness.github, { runIds: [old.id, run.id], untouched: kept });
    const second = makeRun({ sha: B, startedAt: day(3) });
    await harness.store().save(second);
    expectSoundBranch(harness.github, { runIds: [old.id, run.id, second.id], untouched: kept });
  });
});

describe('data-branch store — a run is never overwritten', () => {
  it('refuses to save over another run with the same file name', async () => {
    const run = makeRun({ sha: A, startedAt: day(1) });
    await harness.store().save(run);
    const path = `benchmarks/demo/runs/${run.id}.json`;
    const before = harness.github.branchFiles(DATA_BRANCH).get(path)?.sha;
    const error = await harness
      .store()
      .save({ ...run, seed: 99 })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BaselineStoreError);
    expect(error).toMatchObject({
      reason: 'exists',
      message: expect.stringContaining('already exists with other content: run files are never overwritten') as unknown,
    });
    expect(harness.github.branchFiles(DATA_BRANCH).get(path)?.sha).toBe(before);
    expectSoundBranch(harness.github, { runIds: [run.id] });
  });

  it('treats a repeated save of the same run as done, writing nothing', async () => {
    const run = makeRun({ sha: A });
    await harness.store().save(run);
    const head = harness.head();
    expect(await harness.store().save(run)).toMatchObject({
      isSaved: true,
      detail: expect.stringMatching(/\(already saved\)$/) as unknown,
    });
    expect(harness.head()).toBe(head);
  });

  it('never saves a partial run', async () => {
    expect(await harness.store().save(makeRun({ isComplete: false }))).toMatchObject({ isSaved: false });
    expect(harness.head()).toBeUndefined();
    expect(harness.github.calls).toEqual([]);
  });
});
