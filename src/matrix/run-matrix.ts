/**
 * Runs the max_batch × users matrix (docs/architecture.md#measurement): health check, then
 * each row in turn (run-row.ts; paired rows in run-paired-rows.ts), then the capacity search
 * when asked. A row that cannot be loaded is recorded `failed` with Triton's message and the run
 * goes on. The controller restores the model in `finally`, also on abort.
 */
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { RestoreTracker } from '../control/interrupt.js';
import { errorMessage } from '../error-message.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { buildInferRequest } from '../load/build-infer-request.js';
import type { RunnerGpuReader } from '../metrics/read-runner-gpus.js';
import {
  RUN_RESULT_SCHEMA_VERSION,
  type CapacityProbe,
  type Cell,
  type Row,
  type RunResult,
  type Source,
} from '../model/run-result.js';
import { TOOL_VERSION } from '../tool-version.js';
import type { TritonClient } from '../triton/triton-client.js';
import { searchCapacity } from './capacity-search.js';
import { environmentOf } from './environment-of.js';
import { inspectReference } from './inspect-reference.js';
import { Input } from '../config/inputs.js';
import { waitForModelTurn } from './model-turn.js';
import {
  decideModelKind,
  methodOfKind,
  refuseMixedKinds,
  unusedSequenceInputsNote,
  refuseResponsesMetric,
  refuseBatchedSequences,
  type ModelKindDecision,
} from './model-kind.js';
import { shardRows } from './plan.js';
import { runPairedRows, type BaseSideDeps, type PairedRowsOutcome } from './run-paired-rows.js';
import { probeRow } from './probe-row.js';
import { rowModel, runRow, type RowRunDeps, type RowRunState } from './run-row.js';
import { runRowRounds } from './run-row-rounds.js';
import { failedCell } from './summarize-cell.js';

/** Everything `runMatrix` talks to. */
export interface MatrixDeps extends RowRunDeps {
  readonly client: TritonClient;
  /** Wall clock for timestamps (default `new Date()`); the monotonic clock is `clock`. */
  readonly now?: () => Date;
  /** Told around the restore, so later signals report it (control/interrupt.ts). */
  readonly restoreTracker?: RestoreTracker;
  /** The base side of a paired run (required when `config.paired.base` is set). */
  readonly base?: BaseSideDeps;
  /** Reads the runner's GPUs for the fingerprint (`nvidia-smi`); absent: none recorded. */
  readonly runnerGpus?: RunnerGpuReader;
}

/** Labels of the run that come from the edge. */
export interface RunContext {
  readonly source: Source;
  /** Runner label or GPU name, when known. */
  readonly label: string;
}

/** What the rows of a run produced. */
export interface RowsOutcome {
  readonly rows: Row[];
  readonly cells: Cell[];
  readonly notes: string[];
  readonly isAborted: boolean;
  /** Capacity probes, in run order (list rows, then the search). */
  readonly capacity: CapacityProbe[];
  /** Config of the first row that loaded (for the fingerprint when none was read before). */
  readonly firstConfig?: ModelConfig;
}

/** What the rows of a run measured, before the capacity search and the restore. */
interface MeasuredRows {
  readonly rows: Row[];
  readonly cells: Cell[];
  readonly notes: string[];
  readonly capacity: CapacityProbe[];
  readonly isAborted: boolean;
  readonly firstConfig?: ModelConfig;
}

/** Runs the configured rows (this shard's) and restores the model in `finally`. */
export async function runMatrixRows(config: Config, deps: MatrixDeps): Promise<RowsOutcome> {
  const { matrix } = config;
  const rowsToRun = shardRows(matrix.maxBatch, matrix.shard);
  const state = { order: 0, done: 0, total: rowsToRun.length * matrix.users.length * matrix.trials };
  const restoreNotes: string[] = [];
  let measured: MeasuredRows = { rows: [], cells: [], notes: [], capacity: [], isAborted: false };
  try {
    // Rows interleaved in rounds (docs/answers.md#measuring-rows-interleaved); one row has nothing to interleave.
    measured =
      matrix.rowRounds > 1 && rowsToRun.length > 1
        ? await runRowRounds(config, deps, rowsToRun, state)
        : await runRowsInOrder(config, deps, rowsToRun, state);
    if (matrix.shouldProbeCapacity && matrix.shouldSearchCapacity && !measured.isAborted) {
      measured.capacity.push(
        ...(await searchCapacity(Math.max(...rowsToRun), (maxBatch) => probeRow(config, deps, maxBatch), deps.signal)),
      );
    }
  } finally {
    await restoreOrNote(config, deps, restoreNotes);
  }
  const { rows, cells, capacity, isAborted, firstConfig } = measured;
  const notes = [...measured.notes, ...restoreNotes];
  if (isAborted) notes.push('the run was interrupted; cells not measured are missing');
  const kept = isAborted ? cells.filter((c) => c.trials.length > 0) : cells;
  return { rows, cells: kept, notes, isAborted, capacity, ...(firstConfig === undefined ? {} : { firstConfig }) };
}

/** The rows one after another; a row the server was lost on fails the rows after it. */
async function runRowsInOrder(
  config: Config,
  deps: MatrixDeps,
  rowsToRun: readonly number[],
  state: RowRunState,
): Promise<MeasuredRows> {
  const out: { -readonly [K in keyof MeasuredRows]: MeasuredRows[K] } = {
    rows: [],
    cells: [],
    notes: [],
    capacity: [],
    isAborted: false,
  };
  for (const maxBatch of rowsToRun) {
    if (deps.signal.aborted) return { ...out, isAborted: true };
    let outcome = await runRow(config, deps, maxBatch, state);
    if (outcome.isModelChanged === true && !outcome.isAborted) {
      // The next apply waits for the run that changed it (docs/reliability.md#lease); one more try.
      deps.log.warn(`max_batch ${maxBatch}: ${outcome.row.message ?? ''}; measuring the row again`);
      outcome = await runRow(config, deps, maxBatch, state);
    }
    out.rows.push(outcome.row);
    out.cells.push(...outcome.cells);
    if (outcome.probe !== undefined) out.capacity.push(outcome.probe);
    out.firstConfig ??= outcome.config;
    if (outcome.isAborted) return { ...out, isAborted: true };
    if (outcome.lostServer !== undefined) {
      failRemainingRows(config, rowsToRun.slice(rowsToRun.indexOf(maxBatch) + 1), outcome.lostServer, out);
      out.notes.push(`${outcome.lostServer}; the run stopped at max_batch ${maxBatch}`);
      deps.log.warn(out.notes.at(-1) ?? '');
      break;
    }
  }
  return out;
}

/**
 * Runs the whole matrix; rejects only before the first row: TritonError when the server is
 * unusable, ConfigError when its answers prove an input wrong (inspect-reference.ts).
 */
export async function runMatrix(config: Config, deps: MatrixDeps, context: RunContext): Promise<RunResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { matrix } = config;
  await waitForModelTurn(deps.client, deps.controller, deps.signal);
  const reference = await inspectReference(config, deps);
  const known = reference.config === undefined ? undefined : decideModelKind(reference.config, matrix);
  if (known !== undefined) {
    refuseResponsesMetric(config.gate.metric, config.matrix.model, known);
    refuseBatchedSequences(matrix.itemsPerRequest, matrix.model, known);
    // Said before measuring, so a CI log shows how the model will be measured while it runs.
    deps.log.info(`model kind: ${known.reason}`);
    // A warning, not a refusal: one config file may serve several models (docs/models.md).
    const unused = unusedSequenceInputsNote(known, matrix);
    if (unused !== undefined) deps.log.warn(unused);
  }
  // Asked while the rows run; the reader never rejects (read-runner-gpus.ts).
  const runnerGpus = deps.runnerGpus?.read(deps.signal) ?? Promise.resolve([]);
  const outcome = await runRows(config, deps, known);
  const referenceConfig = reference.config ?? outcome.firstConfig;
  const decision = referenceConfig === undefined ? undefined : decideModelKind(referenceConfig, matrix);
  const { rows, cells, notes } = outcome;
  return {
    schemaVersion: RUN_RESULT_SCHEMA_VERSION,
    id: `${startedAt.replace(/[:.]/g, '-')}-${(context.source.sha ?? 'local').slice(0, 7)}`,
    benchmarkKey: config.benchmarkKey,
    startedAt,
    finishedAt: now().toISOString(),
    environment: environmentOf({
      config,
      tritonVersion: reference.server.version,
      clientHost: hostname(),
      label: context.label,
      ...(reference.version === undefined ? {} : { modelVersion: reference.version }),
      ...(referenceConfig === undefined ? {} : { modelConfig: referenceConfig }),
      runnerGpus: await runnerGpus,
      serverGpuUuids: deps.metrics?.gpus() ?? [],
      toolVersion: TOOL_VERSION,
    }),
    method: {
      batchStrategy: config.control.strategy,
      requests: matrix.requests,
      ...(matrix.trialSeconds === undefined ? {} : { trialSeconds: matrix.trialSeconds }),
      timing: 'steady-window',
      itemsPerRequest: matrix.itemsPerRequest,
      trials: matrix.trials,
      warmupRequests: matrix.warmupRequests ?? null,
      ...(matrix.rowRounds > 1 && shardRows(matrix.maxBatch, matrix.shard).length > 1
        ? { rowRounds: matrix.rowRounds }
        : {}),
      inputs: describeInputs(config, referenceConfig, deps.files),
      ...(decision === undefined ? {} : methodOfKind(decision)),
    },
    source: context.source,
    seed: matrix.seed,
    rows,
    cells,
    ...('capacity' in outcome && outcome.capacity.length > 0 ? { capacity: outcome.capacity } : {}),
    ...('base' in outcome ? { base: outcome.base } : {}),
    // A shard's run is a part of the whole that `merge` assembles (model/merge-shards.ts).
    ...(matrix.shard.count > 1
      ? { shard: { index: matrix.shard.index, count: matrix.shard.count, maxBatch: [...matrix.maxBatch] } }
      : {}),
    isComplete:
      !outcome.isAborted &&
      rows.every((r) => r.status === 'ok') &&
      cells.every((c) => c.status !== 'failed') &&
      notes.length === 0,
    notes,
  };
}

/** Paired rows when the config has a base side (docs/statistics.md §11), else the stored-mode rows. */
async function runRows(
  config: Config,
  deps: MatrixDeps,
  headKind: ModelKindDecision | undefined,
): Promise<RowsOutcome | PairedRowsOutcome> {
  const base = config.paired.base;
  if (base === undefined) return runMatrixRows(config, deps);
  if (deps.base === undefined) throw new Error('paired run without a base side connection (a wiring bug)');
  // The base model must exist and take the same inputs: checked before any row, like the head.
  const baseConfig = { ...config, server: base.server, matrix: { ...config.matrix, model: base.model } };
  await waitForModelTurn(deps.base.client, deps.base.controller, deps.signal);
  try {
    await deps.base.prepare?.(deps.signal);
    const baseReference = await inspectReference(
      baseConfig,
      { ...deps, client: deps.base.client },
      Input.baselineModel,
    );
    if (headKind !== undefined && baseReference.config !== undefined) {
      const head = { model: config.matrix.model, kind: headKind };
      refuseMixedKinds(head, { model: base.model, kind: decideModelKind(baseReference.config, config.matrix) });
    }
  } catch (err: unknown) {
    // A base the run loaded itself is unloaded even when the run stops before its first row.
    await deps.base.controller.restore().catch((restoreErr: unknown) => {
      deps.log.warn(`restoring ${base.model} failed: ${errorMessage(restoreErr)}`);
    });
    throw err;
  }
  return runPairedRows(config, deps, deps.base, base);
}

function describeInputs(
  config: Config,
  modelConfig: ModelConfig | undefined,
  files: ReadonlyMap<string, unknown>,
): string[] {
  if (modelConfig === undefined) return [];
  const { matrix } = config;
  return [
    ...buildInferRequest({
      model: matrix.model,
      modelVersion: matrix.modelVersion,
      config: modelConfig,
      maxBatch: 1,
      itemsPerRequest: 1,
      overrides: matrix.inputs,
      defaultData: matrix.inputData,
      shapes: matrix.shapes,
      stringLength: matrix.stringLength,
      seed: matrix.seed,
      files,
    }).description,
  ];
}

/** Rows never tried because the server is gone: failed, with the reason, so the gate sees them. */
function failRemainingRows(
  config: Config,
  remaining: readonly number[],
  reason: string,
  into: { rows: Row[]; cells: Cell[] },
): void {
  for (const maxBatch of remaining) {
    into.rows.push({ maxBatch, model: rowModel(config, maxBatch), status: 'failed', message: reason, applySeconds: 0 });
    into.cells.push(...config.matrix.users.map((u) => failedCell(maxBatch, u, reason)));
  }
}

async function restoreOrNote(config: Config, deps: MatrixDeps, notes: string[]): Promise<void> {
  const model = config.matrix.model;
  deps.restoreTracker?.begin(model);
  try {
    await deps.controller.restore();
    deps.restoreTracker?.end(undefined);
  } catch (err: unknown) {
    // The journal's NOT restored line (control/model-journal.ts) names the state left and the fix.
    deps.restoreTracker?.end(errorMessage(err));
    notes.push(errorMessage(err));
  }
}
