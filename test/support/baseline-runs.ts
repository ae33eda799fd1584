/**
 * RunResult, index-entry and query builders for baseline-store tests: a complete, valid run of
 * the `demo` key with one 8×1 cell, where each test overrides only what it is about.
 */
import type { BaselineQuery } from '../../src/model/baseline-store.js';
import { indexEntryOf, type IndexEntry } from '../../src/baseline/run-index.js';
import type { Environment, Method, RunResult, Source } from '../../src/model/run-result.js';

/** The environment every built run has unless overridden. */
export const ENVIRONMENT: Environment = {
  tritonVersion: '2.51.0',
  model: 'demo',
  modelVersion: '1',
  configHash: '0123456789abcdef',
  clientHost: 'runner-1',
  label: 'cpu',
};

/** The method every built run has unless overridden. */
export const METHOD: Method = {
  batchStrategy: 'reload',
  requests: 480,
  itemsPerRequest: 1,
  trials: 3,
  warmupRequests: null,
  inputs: ['INPUT0:FP32[16]:random'],
};

const LATENCY = { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 } as const;

/** What a test may override. */
export interface RunSpec {
  /** Default: `<startedAt compact>-<sha7 or local>`, like run-matrix. */
  readonly id?: string;
  readonly sha?: string;
  readonly ref?: string;
  readonly event?: string;
  /** ISO time; default 2026-01-01T00:00:00.000Z. */
  readonly startedAt?: string;
  readonly benchmarkKey?: string;
  readonly environment?: Partial<Environment>;
  readonly method?: Partial<Method>;
  /** dps of the 8×1 cell's three trials. */
  readonly dps?: readonly number[];
  readonly isComplete?: boolean;
}

/** A complete, valid run. */
export function makeRun(spec: RunSpec = {}): RunResult {
  const startedAt = spec.startedAt ?? '2026-01-01T00:00:00.000Z';
  const source: Source = {
    ...(spec.sha === undefined ? {} : { sha: spec.sha }),
    ...(spec.ref === undefined ? {} : { ref: spec.ref }),
    event: spec.event ?? 'push',
  };
  const dps = spec.dps ?? [1000, 1010, 990];
  return {
    schemaVersion: 1,
    id: spec.id ?? `${startedAt.replace(/[:.]/g, '-')}-${(spec.sha ?? 'local').slice(0, 7)}`,
    benchmarkKey: spec.benchmarkKey ?? 'demo',
    startedAt,
    finishedAt: startedAt,
    environment: { ...ENVIRONMENT, ...spec.environment },
    method: { ...METHOD, ...spec.method },
    source,
    seed: 1,
    rows: [{ maxBatch: 8, model: 'demo', status: 'ok', applySeconds: 1 }],
    cells: [
      {
        maxBatch: 8,
        users: 1,
        status: 'ok',
        trials: dps.map((value, order) => ({
          requests: 480,
          items: 480,
          seconds: 480 / value,
          dps: value,
          rps: value,
          errors: 0,
          errorsByStatus: {},
          latencyMs: LATENCY,
          order,
        })),
        latencyMs: LATENCY,
        dpsMedian: [...dps].sort((a, b) => a - b)[Math.floor((dps.length - 1) / 2)] ?? 0,
        rpsMedian: 0,
        cv: 0,
        reruns: 0,
      },
    ],
    isComplete: spec.isComplete ?? true,
    notes: [],
  };
}

/** The index entry of a built run stored at `runs/<id>.json`. */
export function makeEntry(spec: RunSpec = {}): IndexEntry {
  const run = makeRun(spec);
  return indexEntryOf(run, `runs/${run.id}.json`);
}

/** A query for the default environment and method, preferring `preferredShas`. */
export function makeQuery(
  preferredShas: readonly string[] = [],
  overrides: Partial<BaselineQuery> = {},
): BaselineQuery {
  return { benchmarkKey: 'demo', environment: ENVIRONMENT, method: METHOD, preferredShas, ...overrides };
}

/** A 40-hex sha made from a short label (`sha('a')` → `aaaa…`), deterministic. */
export function sha(label: string): string {
  const hex = Buffer.from(label, 'utf8').toString('hex');
  return hex.repeat(Math.ceil(40 / hex.length)).slice(0, 40);
}
