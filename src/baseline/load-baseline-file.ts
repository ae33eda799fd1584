/**
 * `compare --baseline <path>`: a baseline the user names explicitly. A directory is read as a
 * file store (indexed layout and/or loose result files); a single file is taken as the
 * baseline as it is — the user chose it, so a different environment is compared anyway and
 * the comparison notes say so — but an unreadable file fails loudly (it is a usage error,
 * not a store to degrade gracefully).
 */
import { readFile, stat } from 'node:fs/promises';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import { historyPointOf } from '../model/history-point.js';
import type { BaselineLoad, BaselineQuery } from '../model/baseline-store.js';
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { createFileStore } from './file-store.js';
import { parseStoredRun } from './stored-run.js';
import { errorCode } from './write-file-atomic.js';

/** Options of {@link loadBaselineFile}. */
export interface LoadBaselineFileOptions {
  readonly log: Logger;
  /** History length when `path` is a directory (default 30, like the `history` input). */
  readonly history?: number;
}

const DEFAULT_HISTORY = 30;

/**
 * Loads the baseline at `path` for `query`: a directory through the file store
 * (`selectedBy` as there), a single RunResult file with `selectedBy: 'file'`.
 * Throws `BaselineStoreError('invalid')` when the path is missing, unreadable or not a valid
 * result file, naming the file and why.
 */
export async function loadBaselineFile(
  path: string,
  query: BaselineQuery,
  options: LoadBaselineFileOptions,
): Promise<BaselineLoad> {
  if (await isDirectory(path)) {
    return createFileStore({ dir: path, history: options.history ?? DEFAULT_HISTORY, log: options.log }).load(query);
  }
  const stored = parseStoredRun(await readBaselineText(path));
  if ('skipped' in stored) {
    throw new BaselineStoreError('invalid', path, `--baseline ${path} cannot be used: ${stored.skipped}`);
  }
  const { run } = stored;
  const notes: string[] = [];
  if (run.benchmarkKey !== query.benchmarkKey) {
    notes.push(
      `baseline file ${path} is of benchmark key ${JSON.stringify(run.benchmarkKey)}, this run of ${JSON.stringify(query.benchmarkKey)}: compared as asked`,
    );
  }
  if (!run.isComplete) notes.push(`baseline file ${path} holds a partial run: missing cells are not compared`);
  return { runs: [run], selectedBy: 'file', history: [historyPointOf(run)], notes };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err: unknown) {
    if (errorCode(err) === 'ENOENT') {
      throw new BaselineStoreError(
        'invalid',
        path,
        `--baseline ${path} does not exist: expected a result JSON file or a baseline directory`,
        { cause: err },
      );
    }
    throw unreadable(path, err);
  }
}

async function readBaselineText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err: unknown) {
    throw unreadable(path, err);
  }
}

function unreadable(path: string, err: unknown): BaselineStoreError {
  return new BaselineStoreError('invalid', path, `--baseline ${path} cannot be read: ${errorMessage(err)}`, {
    cause: err,
  });
}
