/**
 * Validation of a stored RunResult (docs/baseline-store.md: unknown or corrupt files are skipped with a
 * warning, never trusted, never overwritten). Pure: it never throws for bad data; it returns
 * why a file is skipped, naming the first bad field, so the user can find it.
 */
import { RUN_RESULT_SCHEMA_VERSION, type RunResult } from '../model/run-result.js';
import { firstIssueText, runResultSchema } from '../model/run-result-schema.js';

/** A usable run, or why the file is skipped. */
export type StoredRun = { readonly run: RunResult } | { readonly skipped: string };

type Json = Readonly<Record<string, unknown>>;

/** Parses JSON text (possibly truncated or not JSON at all) as a stored run. */
export function parseStoredRun(text: string): StoredRun {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err: unknown) {
    // JSON.parse only throws SyntaxError; its message says where the text broke.
    const detail = err instanceof SyntaxError ? err.message : 'unreadable';
    return { skipped: `not valid JSON (${detail})` };
  }
  return validateStoredRun(value);
}

/**
 * Checks a parsed value against the stable core of RunResult (`runResultSchema`,
 * model/run-result-schema.ts): `schemaVersion` no newer than ours, `environment`, `method`,
 * `cells[]` of {maxBatch, users, status, trials[] of {requests, items, seconds, dps, errors}}.
 * Fields outside the core are passed through unchecked; `source`, `rows` and `notes` default to
 * empty when absent so readers never meet `undefined` there.
 */
export function validateStoredRun(value: unknown): StoredRun {
  if (!isRecord(value)) return { skipped: 'not a triton-throughput-gate result: not a JSON object' };
  const version = value['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { skipped: 'not a triton-throughput-gate result: no integer `schemaVersion`' };
  }
  if (version > RUN_RESULT_SCHEMA_VERSION) {
    return {
      skipped:
        `written by a newer triton-throughput-gate (schemaVersion ${version} > ` +
        `${RUN_RESULT_SCHEMA_VERSION}); upgrade to compare against it`,
    };
  }
  const parsed = runResultSchema.safeParse(value);
  if (!parsed.success) return { skipped: `not a valid triton-throughput-gate result: ${firstIssueText(parsed.error)}` };
  // The schema checks the stable core only (older files may lack newer fields, e.g. `seed`);
  // the other fields pass through as written, so the core's type is widened to RunResult here.
  return { run: parsed.data as unknown as RunResult };
}

/** The text a store writes for `run`: pretty JSON (diff-friendly on the branch), final newline. */
export function storedRunText(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

/** True for a non-null, non-array object (a JSON object). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
