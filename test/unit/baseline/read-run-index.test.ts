import { describe, expect, it } from 'vitest';
import { readRunIndex, type KeyDirReader } from '../../../src/baseline/read-run-index.js';
import { emptyRunIndex, serializeRunIndex, withEntries } from '../../../src/baseline/run-index.js';
import { storedRunText } from '../../../src/baseline/stored-run.js';
import { makeRun, sha } from '../../support/baseline-runs.js';

/** A key directory in memory: path → text (run files under `runs/`). */
function dirOf(files: Record<string, string>): KeyDirReader & { readonly reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readText: (path) => {
      reads.push(path);
      return Promise.resolve(files[path]);
    },
    listRunFiles: () =>
      Promise.resolve(
        Object.keys(files)
          .filter((path) => path.startsWith('runs/'))
          .map((path) => path.slice('runs/'.length)),
      ),
  };
}

const OPTIONS = { benchmarkKey: 'demo', history: 30, maxReads: 100, location: 'store:benchmarks/demo' };
const day = (n: number): string => `2026-01-0${n}T00:00:00.000Z`;
const runs = [1, 2, 3].map((n) => makeRun({ startedAt: day(n), sha: sha(`r${n}`) }));
const runFiles = Object.fromEntries(runs.map((run) => [`runs/${run.id}.json`, storedRunText(run)]));
const ids = (entries: readonly { id: string }[]): string[] => entries.map((entry) => entry.id);

describe('readRunIndex', () => {
  it('builds the index from the run files when there is none, to be written as index.json', async () => {
    const loaded = await readRunIndex(dirOf(runFiles), OPTIONS);
    expect(ids(loaded.index.runs)).toEqual(ids(runs));
    expect(loaded.writePath).toBe('index.json');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.runsRead.size).toBe(3);
  });

  it('reads no run file when the index already lists them all', async () => {
    const index = withEntries(emptyRunIndex('demo'), (await readRunIndex(dirOf(runFiles), OPTIONS)).index.runs, 30);
    const dir = dirOf({ ...runFiles, 'index.json': serializeRunIndex(index) });
    const loaded = await readRunIndex(dir, OPTIONS);
    expect(loaded.index).toEqual(index);
    expect(dir.reads).toEqual(['index.json']);
  });

  it('adds run files missing from the index (another writer, a crash between two writes)', async () => {
    const [first] = runs;
    if (first === undefined) throw new Error('no run');
    const onlyFirst = (await readRunIndex(dirOf({ [`runs/${first.id}.json`]: storedRunText(first) }), OPTIONS)).index;
    const partial = withEntries(emptyRunIndex('demo'), onlyFirst.runs, 30);
    const loaded = await readRunIndex(dirOf({ ...runFiles, 'index.json': serializeRunIndex(partial) }), OPTIONS);
    expect(ids(loaded.index.runs)).toEqual(ids(runs));
  });

  it('leaves a corrupt index.json alone and rebuilds into index-rebuilt.json, with a warning', async () => {
    const loaded = await readRunIndex(dirOf({ ...runFiles, 'index.json': '{"schemaVersion": 1, "runs": [' }), OPTIONS);
    expect(loaded.writePath).toBe('index-rebuilt.json');
    expect(ids(loaded.index.runs)).toEqual(ids(runs));
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /^store:benchmarks\/demo\/index\.json is not valid JSON .*: left as is, never overwritten; using index-rebuilt\.json/,
      ),
    ]);
  });

  it('uses an existing index-rebuilt.json when index.json is from a newer version', async () => {
    const rebuilt = serializeRunIndex((await readRunIndex(dirOf(runFiles), OPTIONS)).index);
    const dir = dirOf({
      ...runFiles,
      'index.json': JSON.stringify({ schemaVersion: 2 }),
      'index-rebuilt.json': rebuilt,
    });
    const loaded = await readRunIndex(dir, OPTIONS);
    expect(loaded.writePath).toBe('index-rebuilt.json');
    expect(loaded.warnings.join()).toContain('written by a newer triton-throughput-gate (index schemaVersion 2 > 1)');
    expect(dir.reads).toEqual(['index.json', 'index-rebuilt.json']);
  });

  it('writes no index when both index files are unusable', async () => {
    const loaded = await readRunIndex(dirOf({ ...runFiles, 'index.json': 'x', 'index-rebuilt.json': 'y' }), OPTIONS);
    expect(loaded.writePath).toBeUndefined();
    expect(ids(loaded.index.runs)).toEqual(ids(runs));
    expect(loaded.warnings[0]).toMatch(/fix or remove one of the two files$/);
  });

  it('skips corrupt, future and foreign run files with a warning each', async () => {
    const future = { ...JSON.parse(storedRunText(makeRun({ id: 'future' }))), schemaVersion: 3 } as unknown;
    const dir = dirOf({
      ...runFiles,
      'runs/cut.json': storedRunText(makeRun()).slice(0, 80),
      'runs/future.json': JSON.stringify(future),
      'runs/other.json': storedRunText(makeRun({ id: 'other', benchmarkKey: 'other' })),
      'runs/notes.txt': 'ignored: not a .json file',
    });
    const loaded = await readRunIndex(dir, OPTIONS);
    expect(ids(loaded.index.runs)).toEqual(ids(runs));
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /^store:benchmarks\/demo\/runs\/other\.json skipped, left as is: it holds benchmark key "other", not "demo"$/,
      ),
      expect.stringMatching(
        /^store:benchmarks\/demo\/runs\/future\.json skipped, left as is: written by a newer triton-throughput-gate \(schemaVersion 3 > 2\)/,
      ),
      expect.stringMatching(/^store:benchmarks\/demo\/runs\/cut\.json skipped, left as is: not valid JSON/),
    ]);
  });

  it('reads at most `maxReads` unindexed files, newest names first, and says how many it left', async () => {
    const loaded = await readRunIndex(dirOf(runFiles), { ...OPTIONS, maxReads: 2 });
    expect(ids(loaded.index.runs)).toEqual(ids(runs.slice(1)));
    expect(loaded.warnings).toEqual([
      expect.stringContaining('1 older unindexed run files were not read (at most 2 per load)'),
    ]);
  });

  it('drops index entries whose run file is gone', async () => {
    const index = (await readRunIndex(dirOf(runFiles), OPTIONS)).index;
    const [, ...rest] = runs;
    const remaining = Object.fromEntries(rest.map((run) => [`runs/${run.id}.json`, storedRunText(run)]));
    const loaded = await readRunIndex(dirOf({ ...remaining, 'index.json': serializeRunIndex(index) }), OPTIONS);
    expect(ids(loaded.index.runs)).toEqual(ids(rest));
    expect(loaded.warnings).toEqual([
      'store:benchmarks/demo: 1 indexed run file(s) no longer exist; they are left out of the index',
    ]);
  });

  it('applies retention: the newest `history` in runs, the others archived', async () => {
    const loaded = await readRunIndex(dirOf(runFiles), { ...OPTIONS, history: 2 });
    expect(ids(loaded.index.runs)).toEqual(ids(runs.slice(1)));
    expect(ids(loaded.index.archived)).toEqual(ids(runs.slice(0, 1)));
  });
});
