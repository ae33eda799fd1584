/**
 * The `file` baseline store (docs/baseline-store.md): a directory with the data branch's layout
 * (`benchmarks/<key>/runs/<id>.json` + `benchmarks/<key>/index.json`), for the CLI and for
 * users who persist JSON themselves. Loads also accept loose RunResult files in the directory
 * (downloaded artifacts). Writes are atomic; a run file is never overwritten; an index is
 * rewritten only when it parsed (docs/baseline-store.md).
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { RunResult } from '../model/run-result.js';
import { assembleBaseline, withoutDuplicateIds } from './assemble-baseline.js';
import type { BaselineLoad, BaselineQuery, BaselineStore, SaveOutcome } from '../model/baseline-store.js';
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { benchmarkDirOf, RUNS_DIR } from './benchmark-paths.js';
import { isPrepared, prepareSave, type PreparedRun } from './prepare-save.js';
import { readLooseRuns } from './read-loose-runs.js';
import { readRunFile, readRunIndex, type KeyDirReader, type LoadedIndex } from './read-run-index.js';
import { serializeRunIndex, withEntries } from './run-index.js';
import { errorCode, writeFileAtomic, writeNewFileAtomic } from './write-file-atomic.js';

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** The store directory (created on the first save). */
  readonly dir: string;
  /** Runs kept in the index's `runs`; older ones are archived (their files stay). */
  readonly history: number;
  readonly log: Logger;
  /** Default branch ref (`refs/heads/main`) for `latest`; any ref when absent. */
  readonly defaultRef?: string;
  /** Runs of the chosen commit pooled (default 5). */
  readonly maxPooledRuns?: number;
}

// Reading local files is cheap: reconcile every unindexed run file a person may have copied in.
const MAX_RECONCILE_READS = 10_000;

/** A BaselineStore over a local directory. */
export function createFileStore(options: FileStoreOptions): BaselineStore {
  return {
    load: (query) => loadFromDir(options, query),
    save: (run) => saveToDir(options, run),
  };
}

async function loadFromDir(options: FileStoreOptions, query: BaselineQuery): Promise<BaselineLoad> {
  const keyDir = join(options.dir, benchmarkDirOf(query.benchmarkKey));
  const location = keyDir;
  try {
    const loaded = await readRunIndex(keyDirReaderOf(keyDir), readOptions(options, query.benchmarkKey, location));
    const loose = await readLooseRuns(options.dir, query.benchmarkKey);
    if (loose.otherKeys > 0) {
      options.log.info(`${options.dir}: ${loose.otherKeys} result file(s) of other benchmark keys ignored`);
    }
    const indexed = [...loaded.index.runs, ...loaded.index.archived];
    const sources = {
      runs: [...loaded.index.runs, ...withoutDuplicateIds(indexed, loose.entries)],
      archived: loaded.index.archived,
      known: new Map([...loaded.runsRead, ...loose.runs]),
      warnings: [...loaded.warnings, ...loose.warnings],
    };
    for (const warning of sources.warnings) options.log.warn(warning);
    const reader = keyDirReaderOf(keyDir);
    const selection = {
      history: options.history,
      defaultRef: options.defaultRef,
      maxPooledRuns: options.maxPooledRuns,
    };
    return await assembleBaseline(sources, query, selection, (entry, warnings) =>
      readChosenRun(reader, entry.path, { benchmarkKey: query.benchmarkKey, location }, warnings, options.log),
    );
  } catch (err: unknown) {
    throw fileStoreError(err, options.dir, 'read baselines from');
  }
}

async function readChosenRun(
  reader: KeyDirReader,
  path: string,
  context: { readonly benchmarkKey: string; readonly location: string },
  warnings: string[],
  log: Logger,
): Promise<RunResult | undefined> {
  const before = warnings.length;
  const run = await readRunFile(reader, path, context, warnings);
  for (const warning of warnings.slice(before)) log.warn(warning);
  return run;
}

async function saveToDir(options: FileStoreOptions, run: RunResult): Promise<SaveOutcome> {
  const prepared = prepareSave(run);
  if (!isPrepared(prepared)) return prepared;
  const keyDir = join(options.dir, prepared.keyDir);
  const runFile = join(keyDir, prepared.path);
  try {
    await mkdir(join(keyDir, RUNS_DIR), { recursive: true });
    if ((await writeNewFileAtomic(runFile, prepared.text)) === 'exists') {
      return await alreadySaved(runFile, prepared);
    }
    const loaded = await readRunIndex(keyDirReaderOf(keyDir), readOptions(options, run.benchmarkKey, keyDir));
    for (const warning of loaded.warnings) options.log.warn(warning);
    await writeIndex(keyDir, loaded, prepared, options);
  } catch (err: unknown) {
    throw fileStoreError(err, options.dir, 'save the run to');
  }
  return { isSaved: true, detail: runFile };
}

/** Identical content: a repeated save of the same run. Anything else is never overwritten. */
async function alreadySaved(runFile: string, prepared: PreparedRun): Promise<SaveOutcome> {
  const existing = await readFile(runFile, 'utf8');
  if (existing === prepared.text) return { isSaved: true, detail: `${runFile} (already saved)` };
  throw new BaselineStoreError(
    'exists',
    runFile,
    `${runFile} already exists with other content: run files are never overwritten; ` +
      `this run (${prepared.entry.id}) was not saved — give it another id or move the old file away`,
  );
}

async function writeIndex(
  keyDir: string,
  loaded: LoadedIndex,
  prepared: PreparedRun,
  options: FileStoreOptions,
): Promise<void> {
  if (loaded.writePath === undefined) {
    options.log.warn(`${keyDir}: index not updated (no usable index file); the run file was saved`);
    return;
  }
  const index = withEntries(loaded.index, [prepared.entry], options.history);
  await writeFileAtomic(join(keyDir, loaded.writePath), serializeRunIndex(index));
}

function readOptions(options: FileStoreOptions, benchmarkKey: string, location: string) {
  return { benchmarkKey, history: options.history, maxReads: MAX_RECONCILE_READS, location };
}

/** The key directory on disk; absent files and directories read as absent, not as errors. */
function keyDirReaderOf(keyDir: string): KeyDirReader {
  return {
    readText: async (path) => {
      try {
        return await readFile(join(keyDir, path), 'utf8');
      } catch (err: unknown) {
        if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return undefined;
        throw err;
      }
    },
    listRunFiles: async () => {
      try {
        return await readdir(join(keyDir, RUNS_DIR));
      } catch (err: unknown) {
        if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return [];
        throw err;
      }
    },
  };
}

/** Our own errors pass through; file-system errors get the directory and a next step. */
function fileStoreError(err: unknown, dir: string, action: string): BaselineStoreError {
  if (err instanceof BaselineStoreError) return err;
  const code = errorCode(err);
  const isPermission = code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
  return new BaselineStoreError(
    isPermission ? 'permission' : 'transport',
    dir,
    `could not ${action} baseline directory ${dir}: ${errorMessage(err)}` +
      (isPermission ? '; make the directory writable or choose another --baseline-dir' : ''),
    { cause: err },
  );
}
