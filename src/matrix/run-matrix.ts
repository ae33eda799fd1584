/**
 * Runs the max_batch × users matrix (docs/architecture.md#measurement): health check, then per row put the server at
 * max_batch N through the controller, smoke-test one request, measure the row's cells; a row
 * that cannot be loaded is recorded `failed` with Triton's message and the run goes on. The
 * controller restores the model in `finally`, also on abort.
 */
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import type { RunnerGpuReader } from '../metrics/read-runner-gpus.js';
import { TOOL_VERSION } from '../tool-version.js';
import { environmentOf } from './environment-of.js';
import { hostname } from 'node:os';
import type { Config } from '../config/config.js';
import type { AppliedModelConfig, ModelController } from '../control/model-controller.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { buildInferRequest } from '../load/build-infer-request.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { Logger } from '../logger.js';
import type { TritonClient } from '../triton/triton-client.js';
import { errorMessage } from '../error-message.js';
import { modelForRow } from '../control/models-controller.js';
import { inspectReference } from './inspect-reference.js';
import { probeCapacity } from './capacity-probe.js';
import { searchCapacity } from './capacity-search.js';
import type { StatsReader } from './measure-trial.js';
import { measureRow, type Progress } from './measure-row.js';
import { shardRows } from './plan.js';
import { buildRowRequest } from './row-request.js';
import {
  RUN_RESULT_SCHEMA_VERSION,
  type CapacityProbe,
  type Cell,
  type Row,
  type RunResult,
  type Source,
} from '../model/run-result.js';
import { runPairedRows, type BaseSideDeps, type PairedRowsOutcome } from './run-paired-rows.js';
import { countersOf } from './server-stats.js';
import { failedCell } from './summarize-cell.js';
import { serverLossOf } from './server-loss.js';
import { describeModelState } from '../control/describe-model-state.js';
import type { RestoreTracker } from '../control/interrupt.js';
import { modelChangeOf, waitForModelTurn } from './model-turn.js';

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
  /** Told around the restore, so later signals report it (control/interrupt.ts). */
  readonly restoreTracker?: RestoreTracker;
  /** Samples Triton's metrics during every trial (`metrics-url`); absent: not sampled. */
  readonly metrics?: MetricsSampler;
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

interface RowOutcome {
  readonly row: Row;
  readonly cells: Cell[];
  readonly isAborted: boolean;
  readonly config?: ModelConfig;
  /** Set when the server stopped answering during this row (server-loss.ts). */
  readonly lostServer?: string;
  /** With `capacity` probe or search: the row's probe. */
  readonly probe?: CapacityProbe;
  /** Another client changed the model during the row (model-turn.ts): its results were discarded. */
  readonly isModelChanged?: boolean;
}

/** A StatsReader for the row's model that turns itself off (with one warning) on failure. */
function statsReaderFor(deps: MatrixDeps, model: string, version: string): StatsReader {
  let hasStats = true;
  return async () => {
    if (!hasStats) return undefined;
    try {
      return countersOf(await deps.client.modelStatistics(model, version, { signal: deps.signal }));
    } catch (err: unknown) {
      hasStats = false;
      deps.log.warn(`ModelStatistics unavailable, formed-batch figures omitted: ${errorMessage(err)}`);
      return undefined;
    }
  };
}

/** Builds the row's request bytes for `items` items per request. */
function requestBuilder(
  config: Config,
  deps: MatrixDeps,
  applied: AppliedModelConfig,
  maxBatch: number,
): (items: number) => Uint8Array {
  const { matrix } = config;
  return (items) => buildRowRequest(matrix, applied, { maxBatch, files: deps.files, items }).bytes;
}

/** Probes the row the server is at now (capacity-probe.ts). */
function probeAppliedRow(
  config: Config,
  deps: MatrixDeps,
  applied: AppliedModelConfig,
  maxBatch: number,
): Promise<CapacityProbe> {
  const timeoutMs = config.server.requestTimeoutMs;
  return probeCapacity(maxBatch, {
    transport: deps.transport,
    readStats: statsReaderFor(deps, applied.model, config.matrix.modelVersion),
    signal: deps.signal,
    timeoutMs,
    buildRequest: requestBuilder(config, deps, applied, maxBatch),
    inferOnce: async (request) => {
      await deps.client.inferRaw(request, { timeoutMs, signal: deps.signal });
    },
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
  });
}

/** Puts the server at `maxBatch` and probes it: the capacity search's step. */
async function probeRow(config: Config, deps: MatrixDeps, maxBatch: number): Promise<CapacityProbe> {
  try {
    const applied = await deps.controller.apply(maxBatch, deps.signal);
    return { ...(await probeAppliedRow(config, deps, applied, maxBatch)), isSearch: true };
  } catch (err: unknown) {
    return { maxBatch, status: 'failed', message: `the row did not load: ${errorMessage(err)}`, isSearch: true };
  }
}

/** Puts the server at one row's max_batch and measures it. */
async function runRow(
  config: Config,
  deps: MatrixDeps,
  maxBatch: number,
  state: { order: number; done: number; total: number },
): Promise<RowOutcome> {
  const { matrix } = config;
  const started = Date.now();
  const failRow = async (model: string, message: string): Promise<RowOutcome> => {
    const lostServer = deps.signal.aborted ? undefined : await serverLossOf(deps.client);
    return {
      row: { maxBatch, model, status: 'failed', message, applySeconds: (Date.now() - started) / 1000 },
      cells: matrix.users.map((u) => failedCell(maxBatch, u, message)),
      isAborted: deps.signal.aborted,
      ...(matrix.shouldProbeCapacity ? { probe: { maxBatch, status: 'failed' as const, message } } : {}),
      ...(lostServer === undefined ? {} : { lostServer }),
    };
  };
  let applied;
  try {
    applied = await deps.controller.apply(maxBatch, deps.signal);
  } catch (err: unknown) {
    deps.log.warn(`max_batch ${maxBatch}: ${errorMessage(err)}`);
    const template = config.control.modelTemplate;
    return await failRow(
      config.control.strategy === 'models' && template !== undefined ? modelForRow(template, maxBatch) : matrix.model,
      errorMessage(err),
    );
  }
  const applySeconds = (Date.now() - started) / 1000;
  const request = buildRowRequest(matrix, applied, { maxBatch, files: deps.files });
  try {
    await deps.client.inferRaw(request.bytes, { timeoutMs: config.server.requestTimeoutMs, signal: deps.signal });
  } catch (err: unknown) {
    return await failRow(applied.model, `the first request failed: ${errorMessage(err)}`);
  }
  const readStats = statsReaderFor(deps, applied.model, matrix.modelVersion);
  const measured = await measureRow(
    matrix,
    maxBatch,
    request.bytes,
    {
      transport: deps.transport,
      readStats,
      signal: deps.signal,
      requestTimeoutMs: config.server.requestTimeoutMs,
      ...(deps.clock === undefined ? {} : { clock: deps.clock }),
      ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
      // Re-runs of noisy cells add trials beyond the plan: the total grows with them.
      onTrial: (users) =>
        deps.onProgress?.({ maxBatch, users, done: ++state.done, total: Math.max(state.total, state.done) }),
      checkServer: () => serverLossOf(deps.client),
    },
    state.order,
  );
  state.order = measured.nextOrder;
  const change =
    measured.isAborted || measured.lostServer !== undefined
      ? undefined
      : await modelChangeOf(deps.client, applied, deps.signal);
  if (change !== undefined) return { ...(await failRow(applied.model, change)), isModelChanged: true };
  const probe =
    matrix.shouldProbeCapacity && !measured.isAborted && measured.lostServer === undefined
      ? await probeAppliedRow(config, deps, applied, maxBatch)
      : undefined;
  return {
    row: { maxBatch, model: applied.model, status: 'ok', applySeconds },
    cells: measured.cells,
    isAborted: measured.isAborted,
    config: applied.config,
    ...(probe === undefined ? {} : { probe }),
    ...(measured.lostServer === undefined ? {} : { lostServer: measured.lostServer }),
  };
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

/** Runs the configured rows (this shard's) and restores the model in `finally`. */
export async function runMatrixRows(config: Config, deps: MatrixDeps): Promise<RowsOutcome> {
  const { matrix } = config;
  const rowsToRun = shardRows(matrix.maxBatch, matrix.shard);
  const state = { order: 0, done: 0, total: rowsToRun.length * matrix.users.length * matrix.trials };
  const rows: Row[] = [];
  const cells: Cell[] = [];
  const notes: string[] = [];
  const capacity: CapacityProbe[] = [];
  let firstConfig: ModelConfig | undefined;
  let isAborted = false;
  try {
    for (const maxBatch of rowsToRun) {
      if (deps.signal.aborted) {
        isAborted = true;
        break;
      }
      let outcome = await runRow(config, deps, maxBatch, state);
      if (outcome.isModelChanged === true && !outcome.isAborted) {
        // The next apply waits for the run that changed it (docs/reliability.md#lease); one more try.
        deps.log.warn(`max_batch ${maxBatch}: ${outcome.row.message ?? ''}; measuring the row again`);
        outcome = await runRow(config, deps, maxBatch, state);
      }
      rows.push(outcome.row);
      cells.push(...outcome.cells);
      if (outcome.probe !== undefined) capacity.push(outcome.probe);
      firstConfig ??= outcome.config;
      if (outcome.isAborted) {
        isAborted = true;
        break;
      }
      if (outcome.lostServer !== undefined) {
        failRemainingRows(config, rowsToRun.slice(rowsToRun.indexOf(maxBatch) + 1), outcome.lostServer, {
          rows,
          cells,
        });
        notes.push(`${outcome.lostServer}; the run stopped at max_batch ${maxBatch}`);
        deps.log.warn(notes.at(-1) ?? '');
        break;
      }
    }
    if (matrix.shouldProbeCapacity && matrix.shouldSearchCapacity && !isAborted) {
      capacity.push(
        ...(await searchCapacity(Math.max(...rowsToRun), (maxBatch) => probeRow(config, deps, maxBatch), deps.signal)),
      );
    }
  } finally {
    await restoreOrNote(config, deps, notes);
  }
  if (isAborted) notes.push('the run was interrupted; cells not measured are missing');
  const measured = isAborted ? cells.filter((c) => c.trials.length > 0) : cells;
  return { rows, cells: measured, notes, isAborted, capacity, ...(firstConfig === undefined ? {} : { firstConfig }) };
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
  // Asked while the rows run; the reader never rejects (read-runner-gpus.ts).
  const runnerGpus = deps.runnerGpus?.read(deps.signal) ?? Promise.resolve([]);
  const outcome = await runRows(config, deps);
  const referenceConfig = reference.config ?? outcome.firstConfig;
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
      inputs: describeInputs(config, referenceConfig, deps.files),
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
async function runRows(config: Config, deps: MatrixDeps): Promise<RowsOutcome | PairedRowsOutcome> {
  const base = config.paired.base;
  if (base === undefined) return runMatrixRows(config, deps);
  if (deps.base === undefined) throw new Error('paired run without a base side connection (a wiring bug)');
  // The base model must exist and take the same inputs: checked before any row, like the head.
  const baseConfig = { ...config, server: base.server, matrix: { ...config.matrix, model: base.model } };
  await waitForModelTurn(deps.base.client, deps.base.controller, deps.signal);
  try {
    await deps.base.prepare?.(deps.signal);
    await inspectReference(baseConfig, { ...deps, client: deps.base.client });
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
    const template = config.control.modelTemplate;
    const model =
      config.control.strategy === 'models' && template !== undefined
        ? modelForRow(template, maxBatch)
        : config.matrix.model;
    into.rows.push({ maxBatch, model, status: 'failed', message: reason, applySeconds: 0 });
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
    const state = await describeModelState(deps.client, model);
    const message = `restoring the model's original config failed: ${errorMessage(err)}; ${state}`;
    deps.restoreTracker?.end(errorMessage(err));
    deps.log.warn(message);
    notes.push(message);
  }
}
