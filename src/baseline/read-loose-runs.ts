/**
 * Loose RunResult files in a file-store directory, e.g. artifacts of sharded jobs downloaded
 * by `actions/download-artifact` (docs/architecture.md#comparison-store-and-reports): `<dir>/*.json` and `<dir>/<name>/*.json`,
 * besides the `benchmarks/` layout. They have no index: each is read and validated.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../model/run-result.js';
import { BENCHMARKS_DIR } from './benchmark-paths.js';
import { indexEntryOf, type IndexEntry } from './run-index.js';
import { parseStoredRun } from './stored-run.js';
import { errorCode } from './write-file-atomic.js';

/** Loose runs of one key, with index entries whose `path` is `loose:<relative path>`. */
export interface LooseRuns {
  readonly entries: readonly IndexEntry[];
  readonly runs: ReadonlyMap<string, RunResult>;
  readonly warnings: readonly string[];
  /** Valid result files of other benchmark keys (ignored; worth a log line, not a warning). */
  readonly otherKeys: number;
}

/** Reads the loose result files of `benchmarkKey` in `dir` (none when `dir` does not exist). */
export async function readLooseRuns(dir: string, benchmarkKey: string): Promise<LooseRuns> {
  const files = await looseFiles(dir);
  const entries: IndexEntry[] = [];
  const runs = new Map<string, RunResult>();
  const warnings: string[] = [];
  let otherKeys = 0;
  const fileOfId = new Map<string, string>();
  for (const file of files) {
    const stored = parseStoredRun(await readFile(join(dir, file), 'utf8'));
    if ('skipped' in stored) {
      warnings.push(`${join(dir, file)} skipped, left as is: ${stored.skipped}`);
    } else if (stored.run.benchmarkKey !== benchmarkKey) {
      otherKeys += 1;
    } else if (!stored.run.isComplete) {
      warnings.push(`${join(dir, file)} skipped: it holds a partial run, never a baseline`);
    } else if (fileOfId.has(stored.run.id)) {
      // Two copies of one run (an artifact downloaded twice, a renamed file): say which one counts.
      warnings.push(
        `${join(dir, file)} skipped: it holds run ${stored.run.id}, already read from ${join(dir, fileOfId.get(stored.run.id) ?? '')}`,
      );
    } else {
      fileOfId.set(stored.run.id, file);
      const path = `loose:${file}`;
      runs.set(path, stored.run);
      entries.push(indexEntryOf(stored.run, path));
    }
  }
  return { entries, runs, warnings, otherKeys };
}

/** Relative paths of `*.json` files in `dir` and its direct subdirectories, sorted. */
export async function looseFiles(dir: string): Promise<string[]> {
  const top = await listDir(dir);
  const files = top.filter((entry) => entry.isFile && entry.name.endsWith('.json')).map((entry) => entry.name);
  for (const entry of top) {
    // `benchmarks/` is the indexed layout; dot-directories are tooling (.git, temp files).
    if (!entry.isDirectory || entry.name === BENCHMARKS_DIR || entry.name.startsWith('.')) continue;
    const inner = await listDir(join(dir, entry.name));
    for (const file of inner) {
      if (file.isFile && file.name.endsWith('.json')) files.push(join(entry.name, file.name));
    }
  }
  return files.sort();
}

interface DirEntry {
  readonly name: string;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

async function listDir(dir: string): Promise<DirEntry[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.map((entry) => ({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() }));
  } catch (err: unknown) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return [];
    throw err;
  }
}
