/**
 * One trial of a decoupled or sequence model, the twin of measure-trial.ts for the streaming
 * loop (docs/architecture.md#measurement): warm-up (unmeasured), statistics snapshots around
 * the measured loop and at its steady window's edges, and the Trial record with the figures
 * streams and sequences add (`stream`, `sequences`).
 */
import type { Clock } from '../load/closed-loop.js';
import type { LatencyHistogram } from '../load/latency-histogram.js';
import type { SequencePlan } from '../load/sequence-plan.js';
import { runStreamLoop, type StreamLoopResult } from '../load/stream-loop.js';
import type { StreamTransport } from '../load/stream-transport.js';
import type { ResponseTimesMs, Trial } from '../model/run-result.js';
import { readCounted, successesAfter, windowSnapshots, type MeasuredTrial, type StatsReader } from './measure-trial.js';
import { subtractCounters, type StatsCounters } from './server-stats.js';

/** What one streaming trial sends. */
export interface StreamTrialSpec {
  readonly users: number;
  readonly requests: number;
  readonly windowSeconds?: number;
  readonly warmupRequests: number;
  readonly itemsPerRequest: number;
  /** Pre-encoded requests per data step (`StreamLoopPlan.steps`). */
  readonly steps: readonly Uint8Array[];
  readonly timeoutMs: number;
  readonly order: number;
  readonly maxStreams?: number;
  /** Sequence models. */
  readonly sequences?: SequencePlan;
  /** True on ModelStreamInfer (adds `stream` figures); false for unary calls behind the stream interface. */
  readonly isStream: boolean;
}

/** A measured streaming trial: the unary trial's fields plus the response histograms to pool. */
export interface MeasuredStreamTrial extends MeasuredTrial {
  readonly firstResponse: LatencyHistogram;
  readonly betweenResponses: LatencyHistogram;
}

/** Runs one trial. Never throws for request failures; they are counted in the Trial. */
export async function measureStreamTrial(
  transport: StreamTransport,
  spec: StreamTrialSpec,
  deps: { readonly readStats: StatsReader; readonly signal: AbortSignal; readonly clock?: Clock },
): Promise<MeasuredStreamTrial> {
  const options = { signal: deps.signal, ...(deps.clock === undefined ? {} : { clock: deps.clock }) };
  const plan = {
    users: spec.users,
    steps: spec.steps,
    timeoutMs: spec.timeoutMs,
    ...(spec.maxStreams === undefined ? {} : { maxStreams: spec.maxStreams }),
    ...(spec.sequences === undefined ? {} : { sequences: spec.sequences }),
  };
  let before: StatsCounters | undefined;
  if (spec.warmupRequests > 0) {
    const beforeWarmup = await deps.readStats();
    const warmup = await runStreamLoop(
      transport,
      { ...plan, requests: Math.max(spec.warmupRequests, spec.users) },
      options,
    );
    // The trial starts from a snapshot that counts every warm-up request (measure-trial.ts).
    before = await readCounted(deps, successesAfter(beforeWarmup, warmup.ok));
  } else before = await deps.readStats();
  const snapshots = windowSnapshots(deps.readStats);
  const result = await runStreamLoop(
    transport,
    {
      ...plan,
      requests: spec.requests,
      ...(spec.windowSeconds === undefined ? {} : { windowMs: spec.windowSeconds * 1000 }),
    },
    { ...options, windowEdges: snapshots.windowEdges },
  );
  const after = await readCounted(deps, successesAfter(before, result.ok));
  const windowDelta = await snapshots.delta();
  const serverDelta = before !== undefined && after !== undefined ? subtractCounters(after, before) : undefined;
  return {
    trial: streamTrialOf(result, spec, windowDelta),
    histogram: result.histogram,
    firstResponse: result.firstResponse,
    betweenResponses: result.betweenResponses,
    ...(serverDelta === undefined ? {} : { serverDelta }),
    ...(windowDelta === undefined || !result.window.isSteady ? {} : { windowDelta }),
    isAborted: deps.signal.aborted,
  };
}

function responseTimesMs(histogram: LatencyHistogram): ResponseTimesMs {
  const { p50, p90, p99 } = histogram.toLatencyMs();
  return { p50, p90, p99 };
}

/**
 * The Trial record: rates over the steady window (or the whole trial when it could not form),
 * dps from requests × items per request as for unary models (perf_analyzer's infer/sec), and
 * the stream and sequence figures. Pure.
 */
export function streamTrialOf(
  result: StreamLoopResult,
  spec: Pick<StreamTrialSpec, 'itemsPerRequest' | 'order' | 'isStream' | 'sequences'>,
  windowDelta: StatsCounters | undefined,
): Trial {
  const { window } = result;
  const wallSeconds = result.durationMs / 1000;
  const seconds = window.isSteady ? (window.endMs - window.startMs) / 1000 : wallSeconds;
  const ok = window.isSteady ? window.ok : result.ok;
  const responses = window.isSteady ? window.responses : result.responses;
  const sequences = window.isSteady ? window.sequences : result.sequences;
  const items = ok * spec.itemsPerRequest;
  const rate = (count: number): number => (seconds > 0 ? count / seconds : 0);
  const hasServerRate = window.isSteady && windowDelta !== undefined && seconds > 0;
  return {
    requests: result.sent,
    items,
    seconds,
    dps: rate(items),
    rps: rate(ok),
    errors: result.failed,
    errorsByStatus: result.errorsByStatus,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
    latencyMs: result.histogram.toLatencyMs(),
    order: spec.order,
    wallSeconds,
    isSteady: window.isSteady,
    ...(hasServerRate ? { serverDps: windowDelta.inferenceCount / seconds } : {}),
    ...(spec.isStream
      ? {
          stream: {
            responses,
            responsesPerSecond: rate(responses),
            responsesPerRequest: result.ok > 0 ? result.responses / result.ok : 0,
            firstResponseMs: responseTimesMs(result.firstResponse),
            betweenResponsesMs: responseTimesMs(result.betweenResponses),
            emptyFinals: result.emptyFinals,
            zeroResponseRequests: result.zeroResponseRequests,
          },
        }
      : {}),
    ...(spec.sequences === undefined ? {} : { sequences: { count: sequences, perSecond: rate(sequences) } }),
  };
}
