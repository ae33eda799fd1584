/**
 * One row of a stored-mode run (docs/architecture.md#measurement): put the server at the row's
 * max_batch, smoke-test one request, measure the row's cells, check that no other client changed
 * the model meanwhile (model-turn.ts), then probe its capacity when asked. A row that cannot be
 * loaded or answered is `failed` with Triton's message; the run goes on. With row rounds the same
 * steps measure one visit of the row (run-row-rounds.ts); the probe waits for its last visit.
 */
import type { Config } from '../config/config.js';
import type { AppliedModelConfig, ModelController } from '../control/model-controller.js';
import { modelForRow } from '../control/models-controller.js';
import { errorMessage } from '../error-message.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { SequenceIds } from '../load/sequence-plan.js';
import type { StreamTransport } from '../load/stream-transport.js';
import type { Logger } from '../logger.js';
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import type { CapacityProbe, Cell, Row, RowFailure } from '../model/run-result.js';
import { emptyInvalidArgumentHint } from './request-hint.js';
import type { TritonClient } from '../triton/triton-client.js';
import { measureRow, type CellState, type Progress, type RowVisitPlan } from './measure-row.js';
import type { StreamRowPlan } from './measure-cell-trial.js';
import { decideModelKind, refuseBatchedSequences, refuseResponsesMetric } from './model-kind.js';
import { smokeTestStream, streamRowPlanOf } from './stream-row.js';
import { readCounted, successesAfter, type StatsReader } from './measure-trial.js';
import { modelChangeOf } from './model-turn.js';
import { modelStatsReader } from './model-stats-reader.js';
import { probeAppliedRow } from './probe-row.js';
import { buildRowRequest } from './row-request.js';
import { serverLossOf } from './server-loss.js';
import { failedCell } from './summarize-cell.js';
import { warnIfSlow } from './warn-slow-cells.js';

/** What one row talks to (the part of run-matrix.ts's `MatrixDeps` a row needs). */
export interface RowRunDeps {
  readonly client: Pick<TritonClient, 'inferRaw' | 'modelConfig' | 'modelStatistics' | 'serverLive'>;
  readonly transport: InferTransport;
  /** Opens the run's ModelStreamInfer transport (decoupled models); absent: they cannot be measured. */
  readonly streamTransport?: () => StreamTransport;
  readonly controller: ModelController;
  readonly log: Logger;
  /** Parsed JSON of input data files, by path. */
  readonly files: ReadonlyMap<string, unknown>;
  readonly signal: AbortSignal;
  /** Monotonic clock for trials and the row's apply time (default `performance.now`). */
  readonly clock?: Clock;
  readonly onProgress?: (progress: Progress) => void;
  /** Samples Triton's metrics during every trial (`metrics-url`); absent: not sampled. */
  readonly metrics?: MetricsSampler;
}

/** Counters shared by the rows of one run: the next trial's order and the progress line's figures. */
export interface RowRunState {
  order: number;
  done: number;
  total: number;
  /** Sequence models: the run's correlation IDs, so that no ID repeats on the model (created on first use). */
  sequenceIds?: SequenceIds;
}

/** What one row produced. */
export interface RowOutcome {
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
  /** What the row (or the visit) measured per users column, for row rounds to merge. */
  readonly states?: ReadonlyMap<number, CellState>;
}

/** Puts the server at one row's max_batch and measures it, or with `visit` one visit of it. */
export async function runRow(
  config: Config,
  deps: RowRunDeps,
  maxBatch: number,
  state: RowRunState,
  visit?: RowVisitPlan,
): Promise<RowOutcome> {
  const clock = deps.clock ?? performance.now.bind(performance);
  const startedMs = clock();
  const elapsedSeconds = (): number => (clock() - startedMs) / 1000;
  const fail = (model: string, message: string, kind?: RowFailure): Promise<RowOutcome> =>
    failedRow(config, deps, { maxBatch, model, message, elapsedSeconds, ...(kind === undefined ? {} : { kind }) });
  const loaded = await applyRow(deps, maxBatch);
  if ('failure' in loaded) return fail(rowModel(config, maxBatch), loaded.failure, 'load');
  const { applied } = loaded;
  const applySeconds = elapsedSeconds();
  const built = buildRowRequest(config.matrix, applied, { maxBatch, files: deps.files });
  const request = built.bytes;
  // Read from the row's own config: with `models` each row is a model of its own (docs/models.md).
  const kind = decideModelKind(applied.config, config.matrix);
  refuseResponsesMetric(config.gate.metric, applied.model, kind);
  refuseBatchedSequences(config.matrix.itemsPerRequest, applied.model, kind);
  const stream = streamRowPlanOf(kind, built.streams, {
    ...(deps.streamTransport === undefined ? {} : { streamTransport: deps.streamTransport }),
    transport: deps.transport,
    requestTimeoutMs: config.server.requestTimeoutMs,
    ids: state,
  });
  const timeout = { timeoutMs: config.server.requestTimeoutMs, signal: deps.signal };
  const readStats = modelStatsReader(
    deps.client,
    { model: applied.model, version: config.matrix.modelVersion, signal: deps.signal },
    deps.log,
  );
  const beforeSmoke = await readStats();
  const smokeStartedMs = clock();
  const smokeFailure =
    stream === undefined
      ? await smokeTestRow(config, deps, { request, description: built.description, applied })
      : await smokeTestStream(stream, timeout);
  if (smokeFailure !== undefined) return fail(applied.model, smokeFailure, stream?.isStream ? 'stream' : 'request');
  // Once per row (its first visit with row rounds), before its first cell.
  if (visit === undefined || visit.prior.size === 0)
    warnIfSlow(config, deps.log, maxBatch, [
      { model: applied.model, config: applied.config, smokeSeconds: (clock() - smokeStartedMs) / 1000 },
    ]);
  // Triton counts a request just after answering it (a decoupled one after its final response):
  // the first trial's snapshots must not see the smoke request's count land late.
  await readCounted({ readStats, signal: deps.signal }, successesAfter(beforeSmoke, 1));
  const measured = await measureAppliedRow(
    config,
    { ...deps, readStats },
    { maxBatch, applied, request, steps: built.streams.flat(), visit, stream },
    state,
  );
  const isCut = measured.isAborted || measured.lostServer !== undefined;
  const change = isCut ? undefined : await modelChangeOf(deps.client, applied, deps.signal);
  if (change !== undefined) return { ...(await fail(applied.model, change)), isModelChanged: true };
  // The capacity probe sends unary full batches: it has no meaning for streams and sequences.
  const shouldProbe =
    config.matrix.shouldProbeCapacity && stream === undefined && !isCut && (visit === undefined || visit.isLast);
  const probe = shouldProbe ? await probeAppliedRow(config, deps, applied, maxBatch) : undefined;
  return {
    row: { maxBatch, model: applied.model, status: 'ok', applySeconds },
    cells: measured.cells,
    isAborted: measured.isAborted,
    config: applied.config,
    states: measured.states,
    ...(probe === undefined ? {} : { probe }),
    ...(measured.lostServer === undefined ? {} : { lostServer: measured.lostServer }),
  };
}

/** The model a row is served as before it loaded: its own model with `batch-strategy: models`. */
export function rowModel(config: Config, maxBatch: number): string {
  const template = config.control.modelTemplate;
  return config.control.strategy === 'models' && template !== undefined
    ? modelForRow(template, maxBatch)
    : config.matrix.model;
}

/** Puts the server at `maxBatch`; a failure is logged and returned as the row's message. */
async function applyRow(
  deps: RowRunDeps,
  maxBatch: number,
): Promise<{ readonly applied: AppliedModelConfig } | { readonly failure: string }> {
  try {
    return { applied: await deps.controller.apply(maxBatch, deps.signal) };
  } catch (err: unknown) {
    deps.log.warn(`max_batch ${maxBatch}: ${errorMessage(err)}`);
    return { failure: errorMessage(err) };
  }
}

/** Sends the row's request once: the reason the row cannot be measured, or `undefined`. */
async function smokeTestRow(
  config: Config,
  deps: RowRunDeps,
  sent: { readonly request: Uint8Array; readonly description: readonly string[]; readonly applied: AppliedModelConfig },
): Promise<string | undefined> {
  try {
    await deps.client.inferRaw(sent.request, { timeoutMs: config.server.requestTimeoutMs, signal: deps.signal });
    return undefined;
  } catch (err: unknown) {
    return `the first request failed: ${errorMessage(err)}${emptyInvalidArgumentHint(err, sent)}`;
  }
}

/** Measures the cells of a row the server is at now; advances the run's trial order. */
async function measureAppliedRow(
  config: Config,
  deps: RowRunDeps & { readonly readStats: StatsReader },
  row: {
    readonly maxBatch: number;
    readonly applied: AppliedModelConfig;
    readonly request: Uint8Array;
    /** Every request of the row's data steps (one unless an input-data file gives more). */
    readonly steps: readonly Uint8Array[];
    readonly visit: RowVisitPlan | undefined;
    readonly stream: StreamRowPlan | undefined;
  },
  state: RowRunState,
): ReturnType<typeof measureRow> {
  const { maxBatch } = row;
  const measured = await measureRow(
    config.matrix,
    maxBatch,
    row.request,
    {
      transport: deps.transport,
      readStats: deps.readStats,
      signal: deps.signal,
      requestTimeoutMs: config.server.requestTimeoutMs,
      clock: deps.clock,
      metrics: deps.metrics,
      // Re-runs of noisy cells add trials beyond the plan: the total grows with them.
      onTrial: (users) =>
        deps.onProgress?.({ maxBatch, users, done: ++state.done, total: Math.max(state.total, state.done) }),
      checkServer: () => serverLossOf(deps.client),
      ...(row.stream === undefined ? {} : { stream: row.stream }),
      ...(row.steps.length > 1 ? { steps: row.steps } : {}),
    },
    state.order,
    row.visit,
  );
  state.order = measured.nextOrder;
  return measured;
}

/** A row that could not be measured: every cell failed with `message`, and whether the server is gone. */
async function failedRow(
  config: Config,
  deps: RowRunDeps,
  failure: {
    readonly maxBatch: number;
    readonly model: string;
    readonly message: string;
    readonly elapsedSeconds: () => number;
    /** What failed; absent for a row whose results were discarded (model changed meanwhile). */
    readonly kind?: RowFailure;
  },
): Promise<RowOutcome> {
  const { maxBatch, model, message } = failure;
  const lostServer = deps.signal.aborted ? undefined : await serverLossOf(deps.client);
  return {
    row: {
      maxBatch,
      model,
      status: 'failed',
      message,
      ...(failure.kind === undefined ? {} : { failure: failure.kind }),
      applySeconds: failure.elapsedSeconds(),
    },
    cells: config.matrix.users.map((u) => failedCell(maxBatch, u, message)),
    isAborted: deps.signal.aborted,
    ...(config.matrix.shouldProbeCapacity ? { probe: { maxBatch, status: 'failed' as const, message } } : {}),
    ...(lostServer === undefined ? {} : { lostServer }),
  };
}
