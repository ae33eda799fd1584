/**
 * What both stores do before writing a run (docs/baseline-store.md): refuse partial runs, make sure the
 * file will read back as a valid run, and compute its path and index entry. Pure.
 */
import type { RunResult } from '../model/run-result.js';
import type { SaveOutcome } from '../model/baseline-store.js';
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { benchmarkDirOf, runFileNameOf, runPathOf } from './benchmark-paths.js';
import { indexEntryOf, type IndexEntry } from './run-index.js';
import { storedRunText, validateStoredRun } from './stored-run.js';

/** A run ready to be written. */
export interface PreparedRun {
  readonly benchmarkKey: string;
  /** `benchmarks/<key>`, relative to the store root. */
  readonly keyDir: string;
  /** `runs/<file>.json`, relative to the key directory. */
  readonly path: string;
  /** The file's text. */
  readonly text: string;
  readonly entry: IndexEntry;
}

/**
 * Prepares `run` for saving, or says why it is not saved (`isSaved: false`) when it is
 * partial. Throws `BaselineStoreError('invalid')` when the run would not read back (a bug).
 */
export function prepareSave(run: RunResult): PreparedRun | SaveOutcome {
  if (!run.isComplete) {
    return {
      isSaved: false,
      detail: `run ${run.id} is partial (a row failed, a cell failed or it was interrupted): not saved as a baseline`,
    };
  }
  const text = storedRunText(run);
  const checked = validateStoredRun(JSON.parse(text));
  if ('skipped' in checked) {
    throw new BaselineStoreError(
      'invalid',
      run.id,
      `run ${run.id} would not read back as a baseline (${checked.skipped}): not saved; this is a bug, please report it`,
    );
  }
  const keyDir = benchmarkDirOf(run.benchmarkKey);
  const path = runPathOf(runFileNameOf(run.id));
  return { benchmarkKey: run.benchmarkKey, keyDir, path, text, entry: indexEntryOf(run, path) };
}

/** Narrows the result of {@link prepareSave}. */
export function isPrepared(value: PreparedRun | SaveOutcome): value is PreparedRun {
  return 'text' in value;
}
