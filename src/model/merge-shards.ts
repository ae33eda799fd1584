/**
 * Merges the RunResults of a job matrix's shards (`shard: i/n`) into the one RunResult of the
 * whole matrix (docs/architecture.md#comparison-store-and-reports, README "Sharded runs"). Pure:
 * it checks that the files belong to one run and returns every problem it finds as a value,
 * naming the file and the mismatch, so the edge can fail once with all of them (exit 2).
 */
import type { BaseSideResult, CapacityProbe, Cell, RunResult, ShardOfRun } from './run-result.js';
import { RUN_RESULT_SCHEMA_VERSION } from './run-result.js';
import { cellKey } from './cell-key.js';
import { shardContentProblem } from './shard-content.js';

/** One shard's RunResult and the file it was read from (named in problems). */
export interface ShardFile {
  readonly path: string;
  readonly run: RunResult;
}

/** Why the files cannot be merged: the file at fault and what is wrong with it. */
export interface ShardProblem {
  readonly path: string;
  readonly problem: string;
}

/** The merged run, or every problem found. */
export type MergedShards = { readonly run: RunResult } | { readonly problems: readonly ShardProblem[] };

/** The shard a run says it is, or why that field is unusable. */
function shardOf(run: RunResult): ShardOfRun | string {
  const shard: unknown = run.shard;
  if (shard === undefined)
    return 'it holds a whole run, not a shard (no `shard` field: run the jobs with shard i/n, n >= 2)';
  if (typeof shard !== 'object' || shard === null) return '`shard` is not an object';
  const { index, count, maxBatch } = shard as Record<string, unknown>;
  const isCount = (value: unknown): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1;
  if (!isCount(index) || !isCount(count) || index > count || count < 2)
    return '`shard` is not {index, count} with 1 <= index <= count and count >= 2';
  if (
    !Array.isArray(maxBatch) ||
    !maxBatch.every((row) => typeof row === 'number' && Number.isInteger(row) && row >= 0)
  ) {
    return '`shard.maxBatch` is not a list of max_batch rows';
  }
  return { index, count, maxBatch: maxBatch as number[] };
}

/** Fields that must be equal in every shard: [what the problem calls it, how to read it]. */
const SAME_RUN: readonly (readonly [string, (run: RunResult) => unknown])[] = [
  ['benchmarkKey', (run) => run.benchmarkKey],
  ['environment.model', (run) => run.environment.model],
  ['environment.modelVersion', (run) => run.environment.modelVersion],
  ['environment.tritonVersion', (run) => run.environment.tritonVersion],
  ['environment.configHash', (run) => run.environment.configHash],
  ['environment.label', (run) => run.environment.label],
  ['environment.transport', (run) => run.environment.transport],
  ['method', (run) => run.method],
  ['source.sha', (run) => run.source.sha],
  ['source.event', (run) => run.source.event],
  ['source.prNumber', (run) => run.source.prNumber],
  ['seed', (run) => run.seed],
  ['shard.count', (run) => run.shard?.count],
  ['shard.maxBatch', (run) => run.shard?.maxBatch],
  ['base.model', (run) => run.base?.model],
  ['base rounds', (run) => (run.base === undefined ? undefined : [run.base.minRounds, run.base.maxRounds])],
];

function shown(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** Problems of `file` against the first shard, field by field. */
function mismatches(file: ShardFile, first: ShardFile): ShardProblem[] {
  const problems: ShardProblem[] = [];
  for (const [name, read] of SAME_RUN) {
    const mine = shown(read(file.run));
    const theirs = shown(read(first.run));
    if (mine !== theirs)
      problems.push({
        path: file.path,
        problem: `its ${name} is ${mine}, ${first.path} has ${theirs}: not the same run`,
      });
  }
  return problems;
}

/** Shard indices present, missing and repeated; cells measured by two files. */
function coverageProblems(files: readonly ShardFile[], count: number): ShardProblem[] {
  const problems: ShardProblem[] = [];
  const byIndex = new Map<number, string>();
  const byCell = new Map<string, string>();
  for (const file of files) {
    const index = file.run.shard?.index ?? 0;
    const earlier = byIndex.get(index);
    if (earlier !== undefined)
      problems.push({
        path: file.path,
        problem: `shard ${index}/${count} is also in ${earlier}: each shard must be given exactly once`,
      });
    else byIndex.set(index, file.path);
    for (const cell of file.run.cells) {
      const key = cellKey(cell.maxBatch, cell.users);
      const owner = byCell.get(key);
      if (owner !== undefined && owner !== file.path)
        problems.push({
          path: file.path,
          problem: `cell ${key} is also measured in ${owner}: shards must not overlap`,
        });
      byCell.set(key, file.path);
    }
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    const path = files[0]?.path ?? '';
    problems.push({
      path,
      problem: `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: every shard's result is needed`,
    });
  }
  return problems;
}

/**
 * Checks that `files` are the shards of one run (same key, model, Triton, config, label,
 * transport, method, commit, seed and row list; shards 1..n each exactly once; no cell in two
 * files; each shard holding exactly its own rows' cells and not cut short, shard-content.ts)
 * and merges them: rows and cells in the matrix's row order, capacity probes likewise,
 * notes prefixed with their shard, `isComplete` only when every shard was complete. Client
 * hosts and GPU UUIDs differ between jobs by nature: they are listed, not compared.
 */
export function mergeShards(files: readonly ShardFile[]): MergedShards {
  const first = files[0];
  if (first === undefined) return { problems: [{ path: '', problem: 'no shard result files were found' }] };
  const shapeProblems = files.flatMap((file) => {
    const shard = shardOf(file.run);
    return typeof shard === 'string' ? [{ path: file.path, problem: shard }] : [];
  });
  if (shapeProblems.length > 0) return { problems: shapeProblems };
  const problems = [
    ...files.slice(1).flatMap((file) => mismatches(file, first)),
    ...(files.some((file) => (file.run.base === undefined) !== (first.run.base === undefined))
      ? [{ path: first.path, problem: 'some shards are paired runs (with `base`) and some are not: not the same run' }]
      : []),
  ];
  if (problems.length > 0) return { problems };
  const count = first.run.shard?.count ?? 0;
  const coverage = coverageProblems(files, count);
  if (coverage.length > 0) return { problems: coverage };
  const users = [...new Set(files.flatMap((file) => file.run.cells.map((cell) => cell.users)))].sort((a, b) => a - b);
  const content = files.flatMap((file) => {
    const shard = shardOf(file.run);
    const problem = typeof shard === 'string' ? shard : shardContentProblem(file.run, shard, users);
    return problem === undefined ? [] : [{ path: file.path, problem }];
  });
  if (content.length > 0) return { problems: content };
  return { run: mergedRun(files, first.run.shard?.maxBatch ?? []) };
}

/** Sorts cells row-major by the matrix's row order, users ascending. */
function inMatrixOrder(cells: readonly Cell[], rowOrder: readonly number[]): Cell[] {
  const position = (maxBatch: number): number => {
    const index = rowOrder.indexOf(maxBatch);
    return index < 0 ? rowOrder.length : index;
  };
  return [...cells].sort((a, b) => position(a.maxBatch) - position(b.maxBatch) || a.users - b.users);
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function mergedBase(files: readonly ShardFile[], rowOrder: readonly number[]): BaseSideResult | undefined {
  const first = files[0]?.run.base;
  if (first === undefined) return undefined;
  const cells = files.flatMap((file) => file.run.base?.cells ?? []);
  return { ...first, cells: inMatrixOrder(cells, rowOrder) };
}

function mergedRun(files: readonly ShardFile[], rowOrder: readonly number[]): RunResult {
  const runs = [...files].sort((a, b) => (a.run.shard?.index ?? 0) - (b.run.shard?.index ?? 0)).map((file) => file.run);
  const head = runs[0] as RunResult;
  const startedAt = runs.map((run) => run.startedAt).sort()[0] ?? head.startedAt;
  const finishedAt =
    runs
      .map((run) => run.finishedAt)
      .sort()
      .at(-1) ?? head.finishedAt;
  const position = (maxBatch: number): number => rowOrder.indexOf(maxBatch);
  const gpus = distinct(runs.flatMap((run) => run.environment.gpus ?? []));
  const capacity = runs.flatMap((run) => run.capacity ?? []);
  // Probes of the listed rows first, in row order; then the search's rows, ascending (run-result.ts).
  const probeOrder = (probe: CapacityProbe): number =>
    probe.isSearch === true ? rowOrder.length + probe.maxBatch : position(probe.maxBatch);
  const { shard: _shard, base: _base, capacity: _capacity, ...rest } = head;
  const base = mergedBase(files, rowOrder);
  return {
    ...rest,
    schemaVersion: RUN_RESULT_SCHEMA_VERSION,
    id: `${startedAt.replace(/[:.]/g, '-')}-${(head.source.sha ?? 'local').slice(0, 7)}`,
    startedAt,
    finishedAt,
    environment: {
      ...head.environment,
      clientHost: distinct(runs.map((run) => run.environment.clientHost)).join(', '),
      ...(gpus.length > 0 ? { gpus } : {}),
    },
    rows: [...runs.flatMap((run) => run.rows)].sort((a, b) => position(a.maxBatch) - position(b.maxBatch)),
    cells: inMatrixOrder(
      runs.flatMap((run) => run.cells),
      rowOrder,
    ),
    ...(capacity.length > 0 ? { capacity: [...capacity].sort((a, b) => probeOrder(a) - probeOrder(b)) } : {}),
    ...(base === undefined ? {} : { base }),
    isComplete: runs.every((run) => run.isComplete),
    notes: runs.flatMap((run) =>
      run.notes.map((note) => `shard ${run.shard?.index ?? 0}/${run.shard?.count ?? 0}: ${note}`),
    ),
    mergedFrom: runs.map((run) => run.id),
  };
}
