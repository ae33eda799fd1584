/**
 * One trial of a cell measured the way its row's model kind is measured (docs/models.md): the
 * unary closed loop, or the streaming loop of a decoupled or sequence row. Stored rows
 * (measure-row.ts) and paired rounds (measure-paired-row.ts) both measure through it, so a
 * paired side is measured exactly as stored mode measures the same model.
 */
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from '../load/latency-histogram.js';
import type { Cell, SequenceMethod } from '../model/run-result.js';
import { createRng, deriveSeed } from '../rng.js';
import type { SequenceIds } from '../load/sequence-plan.js';
import type { StreamTransport } from '../load/stream-transport.js';
import { measureStreamTrial } from './measure-stream-trial.js';
import { measureTrial, type MeasuredTrial, type StatsReader, type TrialSpec } from './measure-trial.js';

/** How a row of a decoupled or sequence model is measured (model-kind.ts decides). */
export interface StreamRowPlan {
  /** ModelStreamInfer for decoupled models; unary ModelInfer behind the stream interface for sequences. */
  readonly transport: StreamTransport;
  /** The row's requests, encoded once (with the empty-final opt-in on a stream). */
  readonly steps: readonly Uint8Array[];
  /** True on ModelStreamInfer: trials carry the stream figures. */
  readonly isStream: boolean;
  /** Sequence models: how sequences are planned. */
  readonly sequence?: SequenceMethod;
  /** Correlation IDs, shared by every trial of the run so that none repeats on the model. */
  readonly ids: SequenceIds;
  /** Step counts of the data streams laid out in `steps` (sequences replay one each). */
  readonly dataStreams: readonly number[];
}

/** Where a cell's trial goes: the unary transport and request, or the row's stream plan. */
export interface CellTrialTarget {
  readonly transport: InferTransport;
  readonly request: Uint8Array;
  /** Unary trials: an `input-data` file's requests, sent round-robin instead of `request`. */
  readonly steps?: readonly Uint8Array[];
  /** Decoupled and sequence rows; absent: unary. */
  readonly stream?: StreamRowPlan;
}

/** A measured trial plus, on streams, its response histograms to pool into the cell. */
export interface MeasuredCellTrial extends MeasuredTrial {
  readonly firstResponse?: LatencyHistogram;
  readonly betweenResponses?: LatencyHistogram;
}

/**
 * Runs one trial of `spec.users` on `target`. `seed` is the run's: a sequence row draws its
 * sequence lengths from it, per users and trial order, so a rerun with the same seed repeats them.
 */
export async function measureCellTrial(
  target: CellTrialTarget,
  spec: Omit<TrialSpec, 'request'>,
  deps: { readonly readStats: StatsReader; readonly signal: AbortSignal; readonly clock?: Clock | undefined },
  seed: number,
): Promise<MeasuredCellTrial> {
  const statsDeps = { readStats: deps.readStats, signal: deps.signal, clock: deps.clock };
  const { stream } = target;
  if (stream === undefined) {
    const steps = target.steps === undefined ? {} : { steps: target.steps };
    return measureTrial(target.transport, { ...spec, request: target.request, ...steps }, statsDeps);
  }
  const sequences =
    stream.sequence === undefined
      ? undefined
      : {
          ...stream.sequence,
          ids: stream.ids,
          dataStreams: stream.dataStreams,
          rng: createRng(deriveSeed(seed, `sequences:${spec.users}:${spec.order}`)),
        };
  return measureStreamTrial(
    stream.transport,
    { ...spec, steps: stream.steps, isStream: stream.isStream, ...(sequences === undefined ? {} : { sequences }) },
    statsDeps,
  );
}

/** Response times pooled over a cell's successful streaming trials. */
export interface ResponseTimesState {
  /** Send to first non-empty response. */
  readonly firstResponse: LatencyHistogram;
  /** Between consecutive non-empty responses of one request. */
  readonly betweenResponses: LatencyHistogram;
}

/** Empty pools. */
export function newResponseTimes(): ResponseTimesState {
  return { firstResponse: createLatencyHistogram(), betweenResponses: createLatencyHistogram() };
}

/** Pools a successful trial's response histograms (a trial with errors is never summarised). */
export function poolResponseTimes(into: ResponseTimesState, measured: MeasuredCellTrial): void {
  if (measured.trial.errors > 0) return;
  if (measured.firstResponse !== undefined) into.firstResponse.add(measured.firstResponse);
  if (measured.betweenResponses !== undefined) into.betweenResponses.add(measured.betweenResponses);
}

/** The Cell fields of pooled response times; empty when nothing was recorded (unary cells). */
export function responseTimesFields(state: ResponseTimesState): Pick<Cell, 'firstResponseMs' | 'betweenResponsesMs'> {
  const times = (histogram: LatencyHistogram): { p50: number; p90: number; p99: number } => {
    const { p50, p90, p99 } = histogram.toLatencyMs();
    return { p50, p90, p99 };
  };
  return {
    ...(state.firstResponse.count > 0 ? { firstResponseMs: times(state.firstResponse) } : {}),
    ...(state.betweenResponses.count > 0 ? { betweenResponsesMs: times(state.betweenResponses) } : {}),
  };
}
