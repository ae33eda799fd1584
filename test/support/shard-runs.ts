/**
 * Shard RunResults for merge tests (model/merge-shards.ts): the runs the jobs of a `shard: i/n`
 * matrix write, built from baseline-runs.ts's valid run, with every count-th row per shard (as
 * matrix/plan.ts `shardRows` picks them) and one cell per (row, users).
 */
import type { Cell, RunResult } from '../../src/model/run-result.js';
import { makeRun, type RunSpec } from './baseline-runs.js';

/** The whole matrix the shards split, and what every shard shares. */
export interface ShardSpec extends RunSpec {
  readonly maxBatch: readonly number[];
  readonly users: readonly number[];
  readonly count: number;
  /** dps of every trial of a cell, as a function of its row and users. */
  readonly dpsOf?: (maxBatch: number, users: number) => readonly number[];
}

function cellOf(template: Cell, maxBatch: number, users: number, dps: readonly number[]): Cell {
  return {
    ...template,
    maxBatch,
    users,
    trials: dps.map((value, order) => ({
      ...(template.trials[0] ?? ({} as Cell['trials'][number])),
      dps: value,
      seconds: 480 / value,
      order,
    })),
    dpsMedian: [...dps].sort((a, b) => a - b)[Math.floor((dps.length - 1) / 2)] ?? 0,
  };
}

/** Shard `index` (1-based) of the matrix `spec` describes. */
export function makeShardRun(spec: ShardSpec, index: number): RunResult {
  const base = makeRun({ ...spec, startedAt: spec.startedAt ?? `2026-01-01T00:0${index}:00.000Z` });
  const template = base.cells[0] as Cell;
  const rows = spec.maxBatch.filter((_, i) => i % spec.count === index - 1);
  const dpsOf =
    spec.dpsOf ??
    ((maxBatch: number, users: number) => [
      100 * maxBatch + users,
      100 * maxBatch + users + 5,
      100 * maxBatch + users - 5,
    ]);
  return {
    ...base,
    environment: { ...base.environment, clientHost: `runner-${index}` },
    rows: rows.map((maxBatch) => ({ maxBatch, model: 'demo', status: 'ok', applySeconds: 1 })),
    cells: rows.flatMap((maxBatch) =>
      spec.users.map((users) => cellOf(template, maxBatch, users, dpsOf(maxBatch, users))),
    ),
    shard: { index, count: spec.count, maxBatch: [...spec.maxBatch] },
  };
}

/** Every shard of the matrix, in shard order. */
export function makeShardRuns(spec: ShardSpec): RunResult[] {
  return Array.from({ length: spec.count }, (_, i) => makeShardRun(spec, i + 1));
}
