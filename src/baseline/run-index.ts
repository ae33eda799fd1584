/**
 * The per-key index (`benchmarks/<key>/index.json`, docs/baseline-store.md): what a store needs
 * to choose a baseline and draw the trend without reading every run file. It is a cache of the
 * run files, which stay the truth: a missing or corrupt index is rebuilt from them. Pure.
 */
import type { Environment, Method, RunResult } from '../model/run-result.js';
import type { CellLatency } from '../model/comparison.js';
import { historyPointOf } from '../model/history-point.js';
import { runIndexSchema } from '../model/run-index-schema.js';
import { firstIssueText } from '../model/run-result-schema.js';
import { isRecord } from './stored-run.js';

/** Bumped when a field of the index is renamed, removed or changes meaning. */
export const RUN_INDEX_SCHEMA_VERSION = 1;

/** One stored run, as the index describes it. */
export interface IndexEntry {
  /** The run's `id`. */
  readonly id: string;
  /** The run file, relative to the key directory: `runs/<file>.json`. */
  readonly path: string;
  /** Commit the run measured (RunResult `source.sha`), when known. */
  readonly sha?: string;
  /** Git ref of the run (`refs/heads/main`, `refs/tags/v1`), when known. */
  readonly ref?: string;
  /** Triggering event (`push`, `schedule`, `cli`, ...), when known. */
  readonly event?: string;
  /** ISO 8601 UTC time the run started, as the RunResult has it. */
  readonly startedAt: string;
  readonly environment: Environment;
  readonly method: Method;
  /** Best cell dps per max_batch row (HistoryPoint `bestDps`), keyed by max_batch. */
  readonly bestDps: Readonly<Record<string, number>>;
  /**
   * Median dps of every cell (`"32x8"` keys); feeds the run-to-run noise estimate (see
   * docs/statistics.md). Optional: entries written before it existed simply lack it.
   */
  readonly cellDps?: Readonly<Record<string, number>>;
  /** Per-trial latency medians of every cell (HistoryPoint `cellLatencyMs`): the latency gate's noise. */
  readonly cellLatencyMs?: Readonly<Record<string, CellLatency>>;
  /** Decoupled models: responses/s median of every cell (HistoryPoint `cellResponses`): `gate-metric: responses` noise. */
  readonly cellResponses?: Readonly<Record<string, number>>;
}

/** The index file. */
export interface RunIndex {
  readonly schemaVersion: number;
  /** The benchmark key, as configured (not path-encoded). */
  readonly benchmarkKey: string;
  /** The newest `history` runs, oldest first: trends, noise estimates, usual baselines. */
  readonly runs: readonly IndexEntry[];
  /** Older runs, oldest first: their files stay on the branch, still selectable as baselines. */
  readonly archived: readonly IndexEntry[];
}

/** A usable index, or why the file cannot be used (it is then left as is). */
export type ParsedIndex = { readonly index: RunIndex } | { readonly unusable: string };

/** An index without runs. */
export function emptyRunIndex(benchmarkKey: string): RunIndex {
  return { schemaVersion: RUN_INDEX_SCHEMA_VERSION, benchmarkKey, runs: [], archived: [] };
}

/** The index entry of a run stored at `path` (relative to the key directory). */
export function indexEntryOf(run: RunResult, path: string): IndexEntry {
  const { sha, ref, event } = run.source;
  return {
    id: run.id,
    path,
    ...(sha === undefined ? {} : { sha }),
    ...(ref === undefined ? {} : { ref }),
    ...(event === undefined ? {} : { event }),
    startedAt: run.startedAt,
    environment: run.environment,
    method: run.method,
    ...bestAndCellDps(run),
  };
}

function bestAndCellDps(run: RunResult): Pick<IndexEntry, 'bestDps' | 'cellDps' | 'cellLatencyMs' | 'cellResponses'> {
  const point = historyPointOf(run);
  return {
    bestDps: point.bestDps,
    ...(point.cellDps === undefined ? {} : { cellDps: point.cellDps }),
    ...(point.cellLatencyMs === undefined ? {} : { cellLatencyMs: point.cellLatencyMs }),
    ...(point.cellResponses === undefined ? {} : { cellResponses: point.cellResponses }),
  };
}

/**
 * `index` with `added` entries merged in (an entry whose path is already indexed is kept as
 * it was) and retention applied over all entries: the newest `history` (by `startedAt`, then
 * `id`) in `runs`, the rest in `archived`. Raising `history` later brings archived runs back.
 */
export function withEntries(index: RunIndex, added: readonly IndexEntry[], history: number): RunIndex {
  const byPath = new Map<string, IndexEntry>();
  for (const entry of [...index.archived, ...index.runs, ...added]) {
    if (!byPath.has(entry.path)) byPath.set(entry.path, entry);
  }
  const all = [...byPath.values()].sort(byStartedAt);
  const keep = Math.max(0, Math.floor(history));
  const cut = Math.max(0, all.length - keep);
  return {
    schemaVersion: RUN_INDEX_SCHEMA_VERSION,
    benchmarkKey: index.benchmarkKey,
    runs: all.slice(cut),
    archived: all.slice(0, cut),
  };
}

/** `index` without the entries whose path is not in `existingPaths` (their files are gone). */
export function withoutMissing(index: RunIndex, existingPaths: ReadonlySet<string>): RunIndex {
  const keep = (entry: IndexEntry): boolean => existingPaths.has(entry.path);
  return { ...index, runs: index.runs.filter(keep), archived: index.archived.filter(keep) };
}

/** Oldest first; ties broken by id so the order never depends on the input order. */
export function byStartedAt(a: IndexEntry, b: IndexEntry): number {
  if (a.startedAt !== b.startedAt) return a.startedAt < b.startedAt ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** The index as file text: 2-space JSON and a final newline (diff-friendly on the branch). */
export function serializeRunIndex(index: RunIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/**
 * Parses index text. A corrupt file, an unknown `schemaVersion`, another key's index or any
 * malformed entry makes the whole index unusable: it is rewritten only when fully understood.
 */
export function parseRunIndex(text: string, benchmarkKey: string): ParsedIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err: unknown) {
    const detail = err instanceof SyntaxError ? err.message : 'unreadable';
    return { unusable: `is not valid JSON (${detail})` };
  }
  if (!isRecord(value)) return { unusable: 'is not a JSON object' };
  const version = value['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return { unusable: 'has no integer `schemaVersion`' };
  }
  if (version > RUN_INDEX_SCHEMA_VERSION) {
    return {
      unusable: `was written by a newer triton-throughput-gate (index schemaVersion ${version} > ${RUN_INDEX_SCHEMA_VERSION})`,
    };
  }
  if (value['benchmarkKey'] !== benchmarkKey) {
    return {
      unusable: `belongs to benchmark key ${JSON.stringify(value['benchmarkKey'])}, not ${JSON.stringify(benchmarkKey)}`,
    };
  }
  const parsed = runIndexSchema.safeParse(value);
  if (!parsed.success) return { unusable: `is malformed: ${firstIssueText(parsed.error)}` };
  // Entries keep fields newer versions may add; the ones the store reads were checked.
  return { index: parsed.data as RunIndex };
}
