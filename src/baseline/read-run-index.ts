/**
 * Reads a key directory's index and reconciles it with the run files (docs/baseline-store.md),
 * for both stores: the data branch and a file-store directory look the same through
 * `KeyDirReader`. Run files are the truth, the index a cache: run files missing from the index
 * (a crash between two writes, another tool, a rebuilt index) are read and indexed; a corrupt
 * or newer index is never used nor overwritten: `index-rebuilt.json` takes its place.
 */
import type { RunResult } from '../model/run-result.js';
import { INDEX_FILE, REBUILT_INDEX_FILE, RUNS_DIR, runPathOf } from './benchmark-paths.js';
import {
  emptyRunIndex,
  indexEntryOf,
  parseRunIndex,
  withEntries,
  withoutMissing,
  type IndexEntry,
  type RunIndex,
} from './run-index.js';
import { parseStoredRun } from './stored-run.js';

/** A key directory (`benchmarks/<key>`), on the branch or on disk. */
export interface KeyDirReader {
  /** Text of a file (path relative to the key directory), or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Names of the files in `runs/` (empty when the directory does not exist). */
  listRunFiles(): Promise<readonly string[]>;
}

/** Options of {@link readRunIndex}. */
export interface ReadIndexOptions {
  readonly benchmarkKey: string;
  /** Retention: runs kept in `runs`, the rest archived. */
  readonly history: number;
  /** Unindexed run files read at most, newest names first (bounds API calls). */
  readonly maxReads: number;
  /** How the key directory is named in messages (`owner/repo@branch:benchmarks/demo`). */
  readonly location: string;
}

/** The reconciled index and where it may be written. */
export interface LoadedIndex {
  readonly index: RunIndex;
  /**
   * Where the updated index may be written (relative to the key directory): `index.json`, or
   * `index-rebuilt.json` when `index.json` is unusable; undefined when both are unusable.
   */
  readonly writePath: string | undefined;
  /** Things the user should know: skipped files, an unusable index (also logged as warnings). */
  readonly warnings: readonly string[];
  /** Runs read while reconciling, by path: a chosen one need not be read twice. */
  readonly runsRead: ReadonlyMap<string, RunResult>;
}

/** Reads and reconciles the index of one key directory. Rejects only when `reader` does. */
export async function readRunIndex(reader: KeyDirReader, options: ReadIndexOptions): Promise<LoadedIndex> {
  const base = await readIndexFiles(reader, options);
  const names = (await reader.listRunFiles()).filter((name) => name.endsWith('.json'));
  const existing = new Set(names.map(runPathOf));
  const known = new Set([...base.index.runs, ...base.index.archived].map((entry) => entry.path));
  const unknown = names
    .filter((name) => !known.has(runPathOf(name)))
    .sort()
    .reverse();
  const warnings = [...base.warnings];
  if (unknown.length > options.maxReads) {
    warnings.push(
      `${options.location}: ${unknown.length - options.maxReads} older unindexed run files were not ` +
        `read (at most ${options.maxReads} per load); they stay on disk as they are`,
    );
  }
  const runsRead = new Map<string, RunResult>();
  const added: IndexEntry[] = [];
  for (const name of unknown.slice(0, options.maxReads)) {
    const path = runPathOf(name);
    const run = await readRunFile(reader, path, options, warnings);
    if (run === undefined) continue;
    runsRead.set(path, run);
    added.push(indexEntryOf(run, path));
  }
  const present = withoutMissing(base.index, existing);
  const dropped = base.index.runs.length + base.index.archived.length - present.runs.length - present.archived.length;
  if (dropped > 0) {
    warnings.push(
      `${options.location}: ${dropped} indexed run file(s) no longer exist; they are left out of the index`,
    );
  }
  const index = withEntries(present, added, options.history);
  return { index, writePath: base.writePath, warnings, runsRead };
}

/** Reads one run file; undefined (with a warning) when it is absent, corrupt or another key's. */
export async function readRunFile(
  reader: KeyDirReader,
  path: string,
  options: Pick<ReadIndexOptions, 'benchmarkKey' | 'location'>,
  warnings: string[],
): Promise<RunResult | undefined> {
  const text = await reader.readText(path);
  if (text === undefined) {
    warnings.push(`${options.location}/${path} is listed in the index but does not exist: skipped`);
    return undefined;
  }
  const stored = parseStoredRun(text);
  if ('skipped' in stored) {
    warnings.push(`${options.location}/${path} skipped, left as is: ${stored.skipped}`);
    return undefined;
  }
  if (stored.run.benchmarkKey !== options.benchmarkKey) {
    warnings.push(
      `${options.location}/${path} skipped, left as is: it holds benchmark key ` +
        `${JSON.stringify(stored.run.benchmarkKey)}, not ${JSON.stringify(options.benchmarkKey)}`,
    );
    return undefined;
  }
  return stored.run;
}

interface IndexFiles {
  readonly index: RunIndex;
  readonly writePath: string | undefined;
  readonly warnings: readonly string[];
}

async function readIndexFiles(reader: KeyDirReader, options: ReadIndexOptions): Promise<IndexFiles> {
  const primary = await readIndexFile(reader, INDEX_FILE, options);
  if (primary.kind !== 'unusable') {
    return { index: primary.index ?? emptyRunIndex(options.benchmarkKey), writePath: INDEX_FILE, warnings: [] };
  }
  const rebuilt = await readIndexFile(reader, REBUILT_INDEX_FILE, options);
  const lead = `${options.location}/${INDEX_FILE} ${primary.reason}: left as is, never overwritten;`;
  if (rebuilt.kind === 'unusable') {
    const warning =
      `${lead} ${REBUILT_INDEX_FILE} ${rebuilt.reason} too: the index is rebuilt from the ` +
      `${RUNS_DIR}/ files at every load and not saved; fix or remove one of the two files`;
    return { index: emptyRunIndex(options.benchmarkKey), writePath: undefined, warnings: [warning] };
  }
  const warning =
    `${lead} using ${REBUILT_INDEX_FILE}, rebuilt from the ${RUNS_DIR}/ files ` +
    `(remove ${INDEX_FILE} to make the store write it again)`;
  return {
    index: rebuilt.index ?? emptyRunIndex(options.benchmarkKey),
    writePath: REBUILT_INDEX_FILE,
    warnings: [warning],
  };
}

type IndexFile =
  | { readonly kind: 'usable'; readonly index: RunIndex | undefined }
  | { readonly kind: 'unusable'; readonly reason: string };

async function readIndexFile(reader: KeyDirReader, path: string, options: ReadIndexOptions): Promise<IndexFile> {
  const text = await reader.readText(path);
  if (text === undefined) return { kind: 'usable', index: undefined };
  const parsed = parseRunIndex(text, options.benchmarkKey);
  return 'unusable' in parsed ? { kind: 'unusable', reason: parsed.unusable } : { kind: 'usable', index: parsed.index };
}
