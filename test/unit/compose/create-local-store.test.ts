import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/compose/create-store.js';
import type { StoreConfig } from '../../../src/config/config.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { silentLogger } from '../../../src/logger.js';
import { makeQuery, makeRun } from '../../support/baseline-runs.js';

const base: StoreConfig = {
  kind: 'none',
  branch: 'triton-throughput-data',
  path: undefined,
  save: 'auto',
  history: 30,
};
const deps = { log: silentLogger };
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('createStore without GitHub access (CLI)', () => {
  it("'none' loads nothing and saves nothing, saying why", async () => {
    const { store } = await createStore(base, deps);
    expect(await store.load(makeQuery())).toEqual({ runs: [], selectedBy: 'none', history: [], notes: [] });
    expect(await store.save(makeRun())).toEqual({
      isSaved: false,
      detail: "baseline-store is 'none': the run is not stored (use --baseline-dir <dir> to keep baselines)",
    });
  });

  it("'file' stores in the configured directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ttg-create-store-'));
    dirs.push(dir);
    const { store } = await createStore({ ...base, kind: 'file', path: dir }, deps);
    expect(await store.save(makeRun())).toMatchObject({ isSaved: true });
    expect(await readdir(join(dir, 'benchmarks', 'demo'))).toEqual(['index.json', 'runs']);
  });

  it("'branch' is a ConfigError on baseline-store that points to --baseline-dir", async () => {
    let error: unknown;
    try {
      await createStore({ ...base, kind: 'branch' }, deps);
    } catch (err: unknown) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({ input: 'baseline-store', value: 'branch', expected: "'file' or 'none' on the CLI" }),
    ]);
    expect((error as ConfigError).message).toMatch(/only works in the Action; on the CLI use --baseline-dir <dir>/);
  });

  it("'file' without a path is a ConfigError on baseline-path", async () => {
    await expect(createStore({ ...base, kind: 'file' }, deps)).rejects.toThrow(
      /input 'baseline-path': got '', expected a directory/,
    );
  });
});
