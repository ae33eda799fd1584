/**
 * Reading a file store back after a fault (docs/baseline-store.md: a failed or partial run is never saved;
 * stored files are never overwritten): a snapshot of every file, and the check that the runs
 * that were there still are, byte for byte, with an index that lists exactly the run files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { benchmarkDirOf, INDEX_FILE, RUNS_DIR } from '../../src/baseline/benchmark-paths.js';
import { parseRunIndex } from '../../src/baseline/run-index.js';
import { parseStoredRun } from '../../src/baseline/stored-run.js';
import type { RunResult } from '../../src/model/run-result.js';

/** Every file under `dir` (relative path → text), sorted by path. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * What must hold for a file store after any fault: every run file that was there is there,
 * byte for byte; every run file parses as a valid run; the only new run file is `saved` (a
 * complete run, when the policy saved it); the index parses and lists exactly the run files.
 */
export function expectSoundStore(
  run: {
    readonly storeBefore: ReadonlyMap<string, string>;
    readonly storeAfter: ReadonlyMap<string, string>;
    readonly benchmarkKey: string;
  },
  saved: RunResult | undefined,
): void {
  const runFiles = (files: ReadonlyMap<string, string>): string[] =>
    [...files.keys()].filter((path) => path.includes(`/${RUNS_DIR}/`));
  for (const path of runFiles(run.storeBefore))
    expect(run.storeAfter.get(path), `${path} was lost or rewritten`).toBe(run.storeBefore.get(path));
  const ids: string[] = [];
  for (const path of runFiles(run.storeAfter)) {
    const stored = parseStoredRun(run.storeAfter.get(path) ?? '');
    if ('skipped' in stored) throw new Error(`${path} is not a valid run: ${stored.skipped}`);
    ids.push(stored.run.id);
  }
  const idsBefore = runFiles(run.storeBefore).map(
    (path) => (parseStoredRun(run.storeBefore.get(path) ?? '') as { run: RunResult }).run.id,
  );
  expect(ids.sort()).toEqual([...idsBefore, ...(saved === undefined ? [] : [saved.id])].sort());
  const indexPath = `${benchmarkDirOf(run.benchmarkKey)}/${INDEX_FILE}`;
  const index = parseRunIndex(run.storeAfter.get(indexPath) ?? '', run.benchmarkKey);
  if ('unusable' in index) throw new Error(`${indexPath} is unusable: ${index.unusable}`);
  expect([...index.index.runs, ...index.index.archived].map((entry) => entry.id).sort()).toEqual(ids);
}
