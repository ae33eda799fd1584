/**
 * Validation of a stored RunResult (DESIGN §7: unknown or corrupt files are skipped with a
 * warning, never trusted, never overwritten). Pure: it never throws for bad data; it returns
 * why a file is skipped, naming the first bad field, so the user can find it.
 */
import {
  RUN_RESULT_SCHEMA_VERSION,
  type Environment,
  type Method,
  type RunResult,
} from '../model/run-result.js';

/** A usable run, or why the file is skipped. */
export type StoredRun = { readonly run: RunResult } | { readonly skipped: string };

type Json = Readonly<Record<string, unknown>>;

const CELL_STATUSES: readonly string[] = ['ok', 'noisy', 'failed'];
const TRIAL_NUMBERS = ['requests', 'items', 'seconds', 'dps', 'errors'] as const;
/** The environment fields a comparison matches on (DESIGN §6), plus the client host. */
export const ENVIRONMENT_FIELDS = [
  'tritonVersion',
  'model',
  'modelVersion',
  'configHash',
  'clientHost',
  'label',
] as const satisfies readonly (keyof Environment)[];

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
 * Checks a parsed value against the stable core of RunResult (run-result.ts): `schemaVersion`
 * no newer than ours, `environment`, `method`, `cells[]` of {maxBatch, users, status,
 * trials[] of {requests, items, seconds, dps, errors}}. Fields outside the core are passed
 * through unchecked; `source`, `rows` and `notes` default to empty when absent so readers
 * never meet `undefined` there.
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
  const problem = runProblem(value);
  if (problem !== undefined) return { skipped: `not a valid triton-throughput-gate result: ${problem}` };
  const run = {
    ...value,
    source: value['source'] ?? {},
    rows: value['rows'] ?? [],
    notes: value['notes'] ?? [],
  } as unknown as RunResult; // every field the readers rely on was checked above
  return { run };
}

/** The text a store writes for `run`: pretty JSON (diff-friendly on the branch), final newline. */
export function storedRunText(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

/** The first problem of `value` as an Environment, or undefined. @param at its JSON path */
export function environmentProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `\`${at}\` is missing or not an object`;
  for (const name of ENVIRONMENT_FIELDS) {
    if (typeof value[name] !== 'string') return `\`${at}.${name}\` is not a string`;
  }
  return undefined;
}

/** The first problem of `value` as a Method, or undefined. @param at its JSON path */
export function methodProblem(value: unknown, at: string): string | undefined {
  if (!isRecord(value)) return `\`${at}\` is missing or not an object`;
  if (typeof value['batchStrategy'] !== 'string') return `\`${at}.batchStrategy\` is not a string`;
  for (const name of ['requests', 'itemsPerRequest', 'trials'] as const satisfies readonly (keyof Method)[]) {
    if (!isFiniteNumber(value[name])) return `\`${at}.${name}\` is not a number`;
  }
  const warmup = value['warmupRequests'];
  if (warmup !== null && warmup !== undefined && !isFiniteNumber(warmup)) {
    return `\`${at}.warmupRequests\` is neither a number nor null`;
  }
  const inputs = value['inputs'];
  if (!Array.isArray(inputs) || !inputs.every((input) => typeof input === 'string')) {
    return `\`${at}.inputs\` is not an array of strings`;
  }
  return undefined;
}

function runProblem(value: Json): string | undefined {
  for (const name of ['id', 'benchmarkKey', 'startedAt'] as const) {
    if (typeof value[name] !== 'string') return `\`${name}\` is not a string`;
  }
  const source = value['source'];
  if (source !== undefined && !isRecord(source)) return '`source` is not an object';
  if (isRecord(source) && source['sha'] !== undefined && typeof source['sha'] !== 'string') {
    return '`source.sha` is not a string';
  }
  for (const name of ['rows', 'notes'] as const) {
    if (value[name] !== undefined && !Array.isArray(value[name])) return `\`${name}\` is not an array`;
  }
  if (typeof value['isComplete'] !== 'boolean') return '`isComplete` is not a boolean';
  const cells = value['cells'];
  if (!Array.isArray(cells)) return '`cells` is missing or not an array';
  return (
    environmentProblem(value['environment'], 'environment') ??
    methodProblem(value['method'], 'method') ??
    firstProblem(cells, (cell, index) => cellProblem(cell, `cells[${index}]`))
  );
}

function cellProblem(cell: unknown, at: string): string | undefined {
  if (!isRecord(cell)) return `\`${at}\` is not an object`;
  if (!isCount(cell['maxBatch'])) return `\`${at}.maxBatch\` is not an integer >= 0`;
  if (!isCount(cell['users']) || cell['users'] === 0) return `\`${at}.users\` is not an integer >= 1`;
  const status = cell['status'];
  if (typeof status !== 'string' || !CELL_STATUSES.includes(status)) {
    return `\`${at}.status\` is not one of ${CELL_STATUSES.join(', ')}`;
  }
  const trials = cell['trials'];
  if (!Array.isArray(trials)) return `\`${at}.trials\` is missing or not an array`;
  return firstProblem(trials, (trial, index) => trialProblem(trial, `${at}.trials[${index}]`));
}

function trialProblem(trial: unknown, at: string): string | undefined {
  if (!isRecord(trial)) return `\`${at}\` is not an object`;
  for (const name of TRIAL_NUMBERS) {
    const field = trial[name];
    if (!isFiniteNumber(field) || field < 0) return `\`${at}.${name}\` is not a number >= 0`;
  }
  return undefined;
}

function firstProblem(
  items: readonly unknown[],
  problemOf: (item: unknown, index: number) => string | undefined,
): string | undefined {
  for (const [index, item] of items.entries()) {
    const problem = problemOf(item, index);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** True for a non-null, non-array object (a JSON object). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isCount(value: unknown): value is number {
  return isFiniteNumber(value) && Number.isInteger(value) && value >= 0;
}
