/**
 * Puts one side of a paired run at a row (docs/paired.md#model-kinds): applies the row through
 * the side's controller, builds its request, decides from the applied config how the side is
 * measured (model-kind.ts: unary, streams or sequences, as in stored mode) and sends one smoke
 * request the way its trials will.
 */
import type { Config } from '../config/config.js';
import type { AppliedModelConfig, ModelController } from '../control/model-controller.js';
import { errorMessage } from '../error-message.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { SequenceIds } from '../load/sequence-plan.js';
import type { StreamTransport } from '../load/stream-transport.js';
import type { TritonClient } from '../triton/triton-client.js';
import type { RowSide } from './measure-paired-row.js';
import { readCounted, successesAfter } from './measure-trial.js';
import {
  decideModelKind,
  refuseBatchedSequences,
  refuseResponsesMetric,
  type ModelKindDecision,
} from './model-kind.js';
import { buildRowRequest } from './row-request.js';
import { modelStatsReader } from './model-stats-reader.js';
import { smokeTestStream, streamRowPlanOf } from './stream-row.js';
import type { SmokedSide } from './warn-slow-cells.js';

/** One side's connections, controller and model. */
export interface PairedSide {
  readonly client: TritonClient;
  readonly transport: InferTransport;
  /** Opens (once) the side's ModelStreamInfer transport; absent: decoupled models cannot be measured. */
  readonly streamTransport?: () => StreamTransport;
  readonly controller: ModelController;
  readonly model: string;
}

/** What preparing a side reads besides the side. */
interface PrepareDeps {
  readonly files: ReadonlyMap<string, unknown>;
  readonly signal: AbortSignal;
  /** Monotonic clock timing the smoke request (default `performance.now`). */
  readonly clock?: Clock | undefined;
}

/** A side put at the row: where its trials go, and how its config says it is measured. */
export interface PreparedPairedSide {
  readonly side: RowSide;
  readonly kind: ModelKindDecision;
  /** The served config and the smoke request's time, for the slow-cell warning (warn-slow-cells.ts). */
  readonly smoked: SmokedSide;
}

/**
 * Puts one side at `maxBatch`, builds its request and sends one smoke request the way its
 * trials will (a stream for a decoupled model, a one-request sequence for a sequence model).
 */
export async function preparePairedSide(
  config: Config,
  deps: PrepareDeps,
  target: { readonly side: PairedSide; readonly ids: { sequenceIds?: SequenceIds } },
  maxBatch: number,
): Promise<PreparedPairedSide> {
  const { matrix } = config;
  const { side } = target;
  let applied: AppliedModelConfig;
  try {
    applied = await side.controller.apply(maxBatch, deps.signal);
  } catch (err: unknown) {
    throw new Error(`${side.model}: ${errorMessage(err)}`);
  }
  const request = buildRowRequest(matrix, applied, { maxBatch, files: deps.files });
  const kind = decideModelKind(applied.config, matrix);
  refuseResponsesMetric(config.gate.metric, applied.model, kind);
  refuseBatchedSequences(matrix.itemsPerRequest, applied.model, kind);
  const timeout = { timeoutMs: config.server.requestTimeoutMs, signal: deps.signal };
  const stream = streamRowPlanOf(kind, request.streams, {
    ...(side.streamTransport === undefined ? {} : { streamTransport: side.streamTransport }),
    transport: side.transport,
    requestTimeoutMs: config.server.requestTimeoutMs,
    ids: target.ids,
  });
  // Silent when unavailable: a paired verdict never needs the formed-batch figures.
  const readStats = modelStatsReader(side.client, {
    model: applied.model,
    version: matrix.modelVersion,
    signal: deps.signal,
  });
  const beforeSmoke = await readStats();
  const clock = deps.clock ?? performance.now.bind(performance);
  const smokeStartedMs = clock();
  if (stream === undefined) {
    try {
      await side.client.inferRaw(request.bytes, timeout);
    } catch (err: unknown) {
      throw new Error(`${side.model}: the first request failed: ${errorMessage(err)}`);
    }
  } else {
    const failure = await smokeTestStream(stream, timeout);
    if (failure !== undefined) throw new Error(`${side.model}: ${failure}`);
  }
  const smoked = { model: applied.model, config: applied.config, smokeSeconds: (clock() - smokeStartedMs) / 1000 };
  // As in stored mode (run-row.ts): the smoke request's late count must not land in a trial.
  await readCounted({ readStats, signal: deps.signal }, successesAfter(beforeSmoke, 1));
  const steps = request.streams.flat();
  const rowSide = {
    transport: side.transport,
    request: request.bytes,
    ...(steps.length > 1 ? { steps } : {}),
    readStats,
  };
  return { side: stream === undefined ? rowSide : { ...rowSide, stream }, kind, smoked };
}
