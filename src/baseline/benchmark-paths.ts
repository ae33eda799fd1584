/**
 * Where a benchmark's files live, identical on the data branch and in a file-store directory
 * (docs/baseline-store.md): `benchmarks/<key>/index.json` and `benchmarks/<key>/runs/<run id>.json`.
 * Keys and run ids come from users (model names, loose files), so they are encoded into one
 * safe path segment: no `/`, no `..`, nothing a file system or git tree refuses.
 */
import { BaselineStoreError } from '../model/baseline-store-error.js';

/** Top directory of all benchmarks. */
export const BENCHMARKS_DIR = 'benchmarks';
/** The index of a key, relative to the key directory. */
export const INDEX_FILE = 'index.json';
/**
 * Where the index goes when `index.json` is corrupt or from a newer version: that file is
 * never overwritten, so a rebuilt index needs a name of its own (docs/baseline-store.md).
 */
export const REBUILT_INDEX_FILE = 'index-rebuilt.json';
/** Directory of run files, relative to the key directory. */
export const RUNS_DIR = 'runs';

// git refuses path components longer than 255 bytes on most file systems; leave room for
// `.json` and temp-file suffixes.
const MAX_SEGMENT_CHARS = 200;
const SAFE_CHAR = /^[A-Za-z0-9_.-]$/;

/**
 * `value` as one path segment: `[A-Za-z0-9_.-]` kept, every other character percent-encoded
 * as UTF-8 (`%` itself included, so the encoding is injective: two keys never share a
 * directory), and a leading or trailing `.` encoded too (`.`, `..`, `.git` are not plain
 * names). Throws `BaselineStoreError('invalid')` for an empty or over-long result.
 * @param what what the value is, for the message (`benchmark-key`, `run id`)
 */
export function pathSegmentOf(value: string, what: string): string {
  let segment = '';
  for (const char of value) segment += SAFE_CHAR.test(char) ? char : percentEncoded(char);
  segment = segment.replace(/^\./, '%2E').replace(/\.$/, '%2E');
  if (segment.length === 0 || segment.length > MAX_SEGMENT_CHARS) {
    throw new BaselineStoreError(
      'invalid',
      what,
      `${what} '${value.slice(0, 60)}' cannot name a file: expected 1 to ${MAX_SEGMENT_CHARS} ` +
        `characters once encoded (got ${segment.length}); choose a shorter ${what}`,
    );
  }
  return segment;
}

/** `benchmarks/<encoded key>`: the key directory, relative to the store root. */
export function benchmarkDirOf(benchmarkKey: string): string {
  return `${BENCHMARKS_DIR}/${pathSegmentOf(benchmarkKey, 'benchmark-key')}`;
}

/** `<encoded run id>.json`: the run's file name inside `runs/`. */
export function runFileNameOf(runId: string): string {
  return `${pathSegmentOf(runId, 'run id')}.json`;
}

/** `runs/<file>`: the path an index entry records, relative to the key directory. */
export function runPathOf(fileName: string): string {
  return `${RUNS_DIR}/${fileName}`;
}

function percentEncoded(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
