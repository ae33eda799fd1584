import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import { createFileStore } from '../../../src/baseline/file-store.js';
import { loadBaselineFile } from '../../../src/baseline/load-baseline-file.js';
import { storedRunText } from '../../../src/baseline/stored-run.js';
import { silentLogger } from '../../../src/logger.js';
import { makeQuery, makeRun, sha } from '../../support/baseline-runs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ttg-baseline-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { log: silentLogger };

describe('loadBaselineFile', () => {
  it('takes a single result file as the baseline, even from another environment', async () => {
    const run = makeRun({ sha: sha('a'), environment: { tritonVersion: '2.50.0' } });
    await writeFile(join(dir, 'base.json'), storedRunText(run));
    const load = await loadBaselineFile(join(dir, 'base.json'), makeQuery(), options);
    expect(load).toMatchObject({ runs: [run], selectedBy: 'file', notes: [] });
    expect(load.history.map((point) => point.runId)).toEqual([run.id]);
  });

  it('notes a file of another benchmark key or a partial run', async () => {
    await writeFile(join(dir, 'base.json'), storedRunText(makeRun({ benchmarkKey: 'other', isComplete: false })));
    const load = await loadBaselineFile(join(dir, 'base.json'), makeQuery(), options);
    expect(load.notes).toEqual([
      expect.stringContaining('is of benchmark key "other", this run of "demo": compared as asked'),
      expect.stringContaining('holds a partial run'),
    ]);
  });

  it('reads a directory as a file store', async () => {
    const run = makeRun({ sha: sha('a') });
    await createFileStore({ dir, history: 30, log: silentLogger }).save(run);
    const load = await loadBaselineFile(dir, makeQuery([sha('a')]), options);
    expect(load).toMatchObject({ runs: [run], selectedBy: 'merge-base' });
  });

  it.each([
    [
      'a missing file',
      'missing.json',
      undefined,
      /--baseline .*missing\.json does not exist: expected a result JSON file or a baseline directory/,
    ],
    [
      'a truncated file',
      'cut.json',
      storedRunText(makeRun()).slice(0, 40),
      /--baseline .*cut\.json cannot be used: not valid JSON/,
    ],
    [
      'a newer schema',
      'new.json',
      JSON.stringify({ ...(JSON.parse(storedRunText(makeRun())) as object), schemaVersion: 3 }),
      /cannot be used: written by a newer triton-throughput-gate \(schemaVersion 3 > 2\); upgrade to compare against it/,
    ],
  ])('fails loudly on %s (the user named it)', async (_name, file, text, message) => {
    if (text !== undefined) await writeFile(join(dir, file), text);
    const error = await loadBaselineFile(join(dir, file), makeQuery(), options).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BaselineStoreError);
    expect(error).toMatchObject({ reason: 'invalid', message: expect.stringMatching(message) as unknown });
  });
});
