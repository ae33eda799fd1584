/**
 * Runs the max_batch × users matrix (docs/architecture.md#measurement): health check, then per row put the server at
 * max_batch N through the controller, smoke-test one request, measure the row's cells; a row
 * that cannot be loaded is recorded `failed` with Triton's message and the run goes on. The
 * controller restores the model in `finally`, also on abort.
 */
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { ModelController } from '../control/model-controller.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { buildInferRequest } from '../load/build-infer-request.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { Logger } from '../logger.js';
import type { TritonClient } from '../triton/triton-client.js';
import { errorMessage } from '../error-message.js';
import { configHash } from '../control/override-config.js';
import { modelForRow } from '../control/models-controller.js';
import { inspectReference } from './inspect-reference.js';
import { measureRow, type Progress } from './measure-row.js';
import { shardRows } from './plan.js';
import { RUN_RESULT_SCHEMA_VERSION, type Cell, type Row, type RunResult, type Source } from '../model/run-result.js';
import { countersOf } from './server-stats.js';
import { failedCell } from './summarize-cell.js';

/** Everything `runMatrix` talks to. */
export interface MatrixDeps {
  readonly client: TritonClient;
  readonly transport: InferTransport;
  readonly controller: ModelController;
  readonly log: Logger;
  /** Parsed JSON of input data files, by path. */
  readonly files: ReadonlyMap<string, unknown>;
  readonly signal: AbortSignal;
  /** Wall clock for timestamps (default `new Date()`); the monotonic clock is separate. */
  readonly now?: () => Date;
  readonly clock?: Clock;
  readonly onProgress?: (progress: Progress) => void;
}

/** Labels of the run that come from the edge. */
export interface RunContext {
  readonly source: Source;
  /** Runner label or GPU name, when known. */
  readonly label: string;
}

interface RowOutcome {
  readonly row: Row;
  readonly cells: Cell[];
  readonly isAborted: boolean;
  readonly config?: ModelConfig;
}

/** Puts the server at one row's max_batch and measures it. */
async function runRow(config: Config, deps: MatrixDeps, maxBatch: number, state: { order: number; done: number; total: number }): Promise<RowOutcome> {
  const { matrix } = config;
  const started = Date.now();
  const failRow = (model: string, message: string): RowOutcome => ({
    row: { maxBatch, model, status: 'failed', message, applySeconds: (Date.now() - started) / 1000 },
    cells: matrix.users.map((u) => failedCell(maxBatch, u, message)),
    isAborted: deps.signal.aborted,
  });
  let applied;
  try {
    applied = await deps.controller.apply(maxBatch, deps.signal);
  } catch (err: unknown) {
    deps.log.warn(`max_batch ${maxBatch}: ${errorMessage(err)}`);
    const template = config.control.modelTemplate;
    return failRow(config.control.strategy === 'models' && template !== undefined ? modelForRow(template, maxBatch) : matrix.model, errorMessage(err));
  }
  const applySeconds = (Date.now() - started) / 1000;
  const request = buildInferRequest({
    model: applied.model, modelVersion: matrix.modelVersion, config: applied.config, maxBatch,
    itemsPerRequest: matrix.itemsPerRequest, overrides: matrix.inputs, defaultData: matrix.inputData,
    seed: matrix.seed, files: deps.files,
  });
  try {
    await deps.client.inferRaw(request.bytes, { timeoutMs: config.server.requestTimeoutMs, signal: deps.signal });
  } catch (err: unknown) {
    return failRow(applied.model, `the first request failed: ${errorMessage(err)}`);
  }
  let hasStats = true;
  const readStats = async () => {
    if (!hasStats) return undefined;
    try {
      return countersOf(await deps.client.modelStatistics(applied.model, matrix.modelVersion, { signal: deps.signal }));
    } catch (err: unknown) {
      hasStats = false;
      deps.log.warn(`ModelStatistics unavailable, formed-batch figures omitted: ${errorMessage(err)}`);
      return undefined;
    }
  };
  const measured = await measureRow(matrix, maxBatch, request.bytes, {
    transport: deps.transport, readStats, signal: deps.signal, requestTimeoutMs: config.server.requestTimeoutMs,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    // Re-runs of noisy cells add trials beyond the plan: the total grows with them.
    onTrial: (users) => deps.onProgress?.({ maxBatch, users, done: ++state.done, total: Math.max(state.total, state.done) }),
  }, state.order);
  state.order = measured.nextOrder;
  return { row: { maxBatch, model: applied.model, status: 'ok', applySeconds }, cells: measured.cells, isAborted: measured.isAborted, config: applied.config };
}

/** What the rows of a run produced. */
export interface RowsOutcome {
  readonly rows: Row[];
  readonly cells: Cell[];
  readonly notes: string[];
  readonly isAborted: boolean;
  /** Config of the first row that loaded (for the fingerprint when none was read before). */
  readonly firstConfig?: ModelConfig;
}

/** Runs the configured rows (this shard's) and restores the model in `finally`. */
export async function runMatrixRows(config: Config, deps: MatrixDeps): Promise<RowsOutcome> {
  const { matrix } = config;
  const rowsToRun = shardRows(matrix.maxBatch, matrix.shard);
  const state = { order: 0, done: 0, total: rowsToRun.length * matrix.users.length * matrix.trials };
  const rows: Row[] = [];
  const cells: Cell[] = [];
  const notes: string[] = [];
  let firstConfig: ModelConfig | undefined;
  let isAborted = false;
  try {
    for (const maxBatch of rowsToRun) {
      if (deps.signal.aborted) { isAborted = true; break; }
      const outcome = await runRow(config, deps, maxBatch, state);
      rows.push(outcome.row);
      cells.push(...outcome.cells);
      firstConfig ??= outcome.config;
      if (outcome.isAborted) { isAborted = true; break; }
    }
  } finally {
    await restoreOrNote(deps.controller, deps.log, notes);
  }
  if (isAborted) notes.push('the run was interrupted; cells not measured are missing');
  const measured = isAborted ? cells.filter((c) => c.trials.length > 0) : cells;
  return { rows, cells: measured, notes, isAborted, ...(firstConfig === undefined ? {} : { firstConfig }) };
}

/**
 * Runs the whole matrix; rejects only before the first row: TritonError when the server is
 * unusable, ConfigError when its answers prove an input wrong (inspect-reference.ts).
 */
export async function runMatrix(config: Config, deps: MatrixDeps, context: RunContext): Promise<RunResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { matrix } = config;
  const reference = await inspectReference(config, deps);
  const outcome = await runMatrixRows(config, deps);
  const referenceConfig = reference.config ?? outcome.firstConfig;
  const { rows, cells, notes } = outcome;
  return {
    schemaVersion: RUN_RESULT_SCHEMA_VERSION,
    id: `${startedAt.replace(/[:.]/g, '-')}-${(context.source.sha ?? 'local').slice(0, 7)}`,
    benchmarkKey: config.benchmarkKey,
    startedAt,
    finishedAt: now().toISOString(),
    environment: {
      tritonVersion: reference.server.version,
      model: matrix.model,
      modelVersion: reference.version ?? matrix.modelVersion,
      configHash: referenceConfig === undefined ? '' : configHash(referenceConfig),
      clientHost: hostname(),
      label: context.label,
    },
    method: {
      batchStrategy: config.control.strategy,
      requests: matrix.requests,
      itemsPerRequest: matrix.itemsPerRequest,
      trials: matrix.trials,
      warmupRequests: matrix.warmupRequests ?? null,
      inputs: describeInputs(config, referenceConfig, deps.files),
    },
    source: context.source,
    seed: matrix.seed,
    rows,
    cells,
    isComplete: !outcome.isAborted && rows.every((r) => r.status === 'ok') && cells.every((c) => c.status !== 'failed') && notes.length === 0,
    notes,
  };
}

function describeInputs(config: Config, modelConfig: ModelConfig | undefined, files: ReadonlyMap<string, unknown>): string[] {
  if (modelConfig === undefined) return [];
  const { matrix } = config;
  return [...buildInferRequest({
    model: matrix.model, modelVersion: matrix.modelVersion, config: modelConfig, maxBatch: 1, itemsPerRequest: 1,
    overrides: matrix.inputs, defaultData: matrix.inputData, seed: matrix.seed, files,
  }).description];
}

async function restoreOrNote(controller: ModelController, log: Logger, notes: string[]): Promise<void> {
  try {
    await controller.restore();
  } catch (err: unknown) {
    const message = `restoring the model's original config failed: ${errorMessage(err)}`;
    log.warn(message);
    notes.push(message);
  }
}
