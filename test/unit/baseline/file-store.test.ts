import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import { createFileStore } from '../../../src/baseline/file-store.js';
import { parseRunIndex } from '../../../src/baseline/run-index.js';
import { storedRunText } from '../../../src/baseline/stored-run.js';
import type { Logger } from '../../../src/logger.js';
import { makeQuery, makeRun, sha } from '../../support/baseline-runs.js';

let dir: string;
let warnings: string[];
const log: Logger = { info: () => undefined, warn: (message) => warnings.push(message) };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ttg-file-store-'));
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
async function filesIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

const A = sha('a');
const B = sha('b');
const first = makeRun({ sha: A, startedAt: '2026-01-01T00:00:00.000Z' });
const second = makeRun({ sha: B, startedAt: '2026-01-02T00:00:00.000Z', dps: [900, 910, 890] });
const keyDir = (): string => join(dir, 'benchmarks', 'demo');

describe('file store — save', () => {
  it('writes the branch layout: one file per run plus the index', async () => {
    const store = createFileStore({ dir, history: 30, log });
    expect(await store.save(first)).toEqual({ isSaved: true, detail: join(keyDir(), 'runs', `${first.id}.json`) });
    await store.save(second);
    expect(await filesIn(dir)).toEqual([
      'benchmarks/demo/index.json',
      `benchmarks/demo/runs/${first.id}.json`,
      `benchmarks/demo/runs/${second.id}.json`,
    ]);
    const parsed = parseRunIndex(await readFile(join(keyDir(), 'index.json'), 'utf8'), 'demo');
    expect('index' in parsed && parsed.index.runs.map((entry) => [entry.id, entry.path, entry.sha])).toEqual([
      [first.id, `runs/${first.id}.json`, A],
      [second.id, `runs/${second.id}.json`, B],
    ]);
  });

  it('a repeated save of the same run is a no-op; another run under the same id is refused', async () => {
    const store = createFileStore({ dir, history: 30, log });
    await store.save(first);
    expect(await store.save(first)).toMatchObject({
      isSaved: true,
      detail: expect.stringMatching(/\(already saved\)$/) as unknown,
    });
    const impostor = { ...second, id: first.id };
    const error = await store.save(impostor).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BaselineStoreError);
    expect(error).toMatchObject({
      reason: 'exists',
      message: expect.stringMatching(/already exists with other content: run files are never overwritten/) as unknown,
    });
    expect(await readFile(join(keyDir(), 'runs', `${first.id}.json`), 'utf8')).toBe(storedRunText(first));
  });

  it('never saves a partial run', async () => {
    const outcome = await createFileStore({ dir, history: 30, log }).save(makeRun({ isComplete: false }));
    expect(outcome).toMatchObject({ isSaved: false, detail: expect.stringContaining('partial') as unknown });
    expect(await filesIn(dir)).toEqual([]);
  });

  it('leaves a corrupt index untouched and keeps a rebuilt index beside it', async () => {
    await createFileStore({ dir, history: 30, log }).save(first);
    const corrupt = '{"schemaVersion": 1, "benchmarkKey": "demo", "runs": [{"id":';
    await writeFile(join(keyDir(), 'index.json'), corrupt);
    await createFileStore({ dir, history: 30, log }).save(second);
    expect(await readFile(join(keyDir(), 'index.json'), 'utf8')).toBe(corrupt);
    const rebuilt = parseRunIndex(await readFile(join(keyDir(), 'index-rebuilt.json'), 'utf8'), 'demo');
    expect('index' in rebuilt && rebuilt.index.runs.map((entry) => entry.id)).toEqual([first.id, second.id]);
    expect(warnings.join('\n')).toMatch(/index\.json is not valid JSON .*: left as is, never overwritten/);
  });

  it('encodes the key: no path escapes the store directory', async () => {
    await createFileStore({ dir, history: 30, log }).save(makeRun({ benchmarkKey: '../../escape' }));
    expect((await filesIn(dir)).every((file) => file.startsWith('benchmarks/%2E.%2F..%2Fescape/'))).toBe(true);
    expect(await readdir(join(dir, '..'))).not.toContain('escape');
  });

  it('leaves no temp files behind', async () => {
    const store = createFileStore({ dir, history: 30, log });
    await store.save(first);
    await store.save(first);
    expect((await filesIn(dir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('archives beyond `history` in the index, keeping every run file', async () => {
    const store = createFileStore({ dir, history: 1, log });
    await store.save(first);
    await store.save(second);
    const parsed = parseRunIndex(await readFile(join(keyDir(), 'index.json'), 'utf8'), 'demo');
    expect('index' in parsed && [parsed.index.runs.map((e) => e.id), parsed.index.archived.map((e) => e.id)]).toEqual([
      [second.id],
      [first.id],
    ]);
    expect(await filesIn(join(keyDir(), 'runs'))).toHaveLength(2);
  });
});

describe('file store — load', () => {
  it('finds nothing in a directory that does not exist', async () => {
    const load = await createFileStore({ dir: join(dir, 'missing'), history: 30, log }).load(makeQuery([A]));
    expect(load).toEqual({ runs: [], selectedBy: 'none', history: [], notes: [] });
  });

  it('selects the merge-base run and returns the history', async () => {
    const store = createFileStore({ dir, history: 30, log });
    await store.save(first);
    await store.save(second);
    const load = await store.load(makeQuery([A, B]));
    expect(load.selectedBy).toBe('merge-base');
    expect(load.runs).toEqual([first]);
    expect(load.history.map((point) => point.runId)).toEqual([first.id, second.id]);
  });

  it('skips a corrupt run file with a warning and leaves it as it is', async () => {
    const store = createFileStore({ dir, history: 30, log });
    await store.save(first);
    const corruptPath = join(keyDir(), 'runs', '2026-01-03T00-00-00-000Z-cccccc.json');
    await writeFile(corruptPath, '{"schemaVersion": 1, "id": "x", "cells": [');
    const load = await store.load(makeQuery());
    expect(load.runs).toEqual([first]);
    expect(load.notes.join('\n')).toMatch(/2026-01-03T00-00-00-000Z-cccccc\.json skipped, left as is: not valid JSON/);
    await store.save(second);
    expect(await readFile(corruptPath, 'utf8')).toBe('{"schemaVersion": 1, "id": "x", "cells": [');
  });

  it('reads loose result files (downloaded artifacts) beside the layout', async () => {
    await mkdir(join(dir, 'perf-result-shard-1'), { recursive: true });
    await writeFile(join(dir, 'perf-result-shard-1', 'result.json'), storedRunText(second));
    await writeFile(join(dir, 'other-key.json'), storedRunText(makeRun({ id: 'o', benchmarkKey: 'other' })));
    await writeFile(join(dir, 'partial.json'), storedRunText(makeRun({ id: 'p', sha: B, isComplete: false })));
    const load = await createFileStore({ dir, history: 30, log }).load(makeQuery([B]));
    expect(load.selectedBy).toBe('merge-base');
    expect(load.runs).toEqual([second]);
    expect(load.notes).toEqual([
      expect.stringMatching(/partial\.json skipped: it holds a partial run, never a baseline$/),
    ]);
  });

  it('counts a run found both loose and indexed once', async () => {
    const store = createFileStore({ dir, history: 30, log });
    await store.save(first);
    await writeFile(join(dir, 'copy.json'), storedRunText(first));
    const load = await store.load(makeQuery([A]));
    expect(load.runs).toHaveLength(1);
    expect(load.history).toHaveLength(1);
  });
});
