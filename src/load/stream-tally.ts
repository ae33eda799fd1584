/**
 * The counters and histograms of one streaming closed loop (`stream-loop.ts`), and the
 * snapshots of them at the steady window's edges that give the window's figures
 * (docs/statistics.md, "Steady-state windows"). Each record is O(1) and allocates nothing.
 */
import type { InferFailure } from './infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from './latency-histogram.js';
import type { SteadyWindowResult, WindowEdges } from './steady-window.js';

/** The steady window of a streaming loop: completions as in the unary loop, plus what streams add. */
export interface StreamWindowResult extends SteadyWindowResult {
  /** Non-empty responses received in (start, end]. */
  readonly responses: number;
  /** Sequences whose END request succeeded in (start, end]. */
  readonly sequences: number;
}

/** Counts and timing of one streaming loop. Invariant: `sent === ok + failed` once it resolved. */
export interface StreamLoopResult {
  /** Requests sent (ok + failed). */
  readonly sent: number;
  /** Requests that got their final response and no error. */
  readonly ok: number;
  readonly failed: number;
  /** Failed requests by status: gRPC status names, and `IN_STREAM_ERROR` for Triton's `error_message`. */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** First failure's `STATUS: message`, if any. */
  readonly firstError?: string;
  /** From the first send to the last final response, milliseconds. */
  readonly durationMs: number;
  /** Send to final response of successful requests, µs (what a user waits for before its next request). */
  readonly histogram: LatencyHistogram;
  /** Send to first non-empty response, µs (requests without one are not in it). */
  readonly firstResponse: LatencyHistogram;
  /** Between consecutive non-empty responses of one request, µs. */
  readonly betweenResponses: LatencyHistogram;
  /** Non-empty responses (responses with outputs; empty finals are not responses of the model). */
  readonly responses: number;
  /** Final responses without outputs (the opt-in `triton_enable_empty_final_response`). */
  readonly emptyFinals: number;
  /** Successful requests that got no non-empty response (only the empty final). */
  readonly zeroResponseRequests: number;
  /** Sequences whose END request succeeded. */
  readonly sequences: number;
  /** Responses whose id matched no request in flight (ignored; a healthy run has none). */
  readonly unmatchedResponses: number;
  /** True when the run stopped early (abort signal or a fatal error). */
  readonly isStopped: boolean;
  readonly window: StreamWindowResult;
}

/** Mutable tally a loop records into. */
export interface StreamTally {
  sent: number;
  emptyFinals: number;
  unmatchedResponses: number;
  /** A non-empty response; `isFirst`: its delay is the time to first response, else the gap since the last one. */
  recordResponse(delayMs: number, isFirst: boolean): void;
  recordSuccess(latencyMs: number, isWithoutResponse: boolean, isSequenceEnd: boolean): void;
  recordFailure(failure: InferFailure): void;
  /** Window edges that snapshot this tally, then call `inner`. */
  edges(inner: WindowEdges | undefined): WindowEdges;
  result(durationMs: number, isStopped: boolean, window: SteadyWindowResult): StreamLoopResult;
}

/** A fresh tally. */
export function createStreamTally(): StreamTally {
  const histogram = createLatencyHistogram();
  const firstResponse = createLatencyHistogram();
  const betweenResponses = createLatencyHistogram();
  const errorsByStatus: Record<string, number> = {};
  let firstError: string | undefined;
  let ok = 0;
  let failed = 0;
  let responses = 0;
  let zeroResponseRequests = 0;
  let sequences = 0;
  const open = { responses: 0, sequences: 0 };
  const close = { responses: 0, sequences: 0 };
  const tally: StreamTally = {
    sent: 0,
    emptyFinals: 0,
    unmatchedResponses: 0,
    recordResponse(delayMs, isFirst) {
      responses++;
      (isFirst ? firstResponse : betweenResponses).recordUs(delayMs * 1000);
    },
    recordSuccess(latencyMs, isWithoutResponse, isSequenceEnd) {
      ok++;
      histogram.recordUs(latencyMs * 1000);
      if (isWithoutResponse) zeroResponseRequests++;
      if (isSequenceEnd) sequences++;
    },
    recordFailure(failure) {
      failed++;
      errorsByStatus[failure.status] = (errorsByStatus[failure.status] ?? 0) + 1;
      firstError ??= `${failure.status}: ${failure.message}`;
    },
    edges(inner) {
      return {
        onOpen: (atMs) => {
          open.responses = responses;
          open.sequences = sequences;
          inner?.onOpen?.(atMs);
        },
        onClose: (atMs) => {
          close.responses = responses;
          close.sequences = sequences;
          inner?.onClose?.(atMs);
        },
      };
    },
    result(durationMs, isStopped, window) {
      return {
        sent: tally.sent,
        ok,
        failed,
        errorsByStatus,
        ...(firstError === undefined ? {} : { firstError }),
        durationMs,
        histogram,
        firstResponse,
        betweenResponses,
        responses,
        emptyFinals: tally.emptyFinals,
        zeroResponseRequests,
        sequences,
        unmatchedResponses: tally.unmatchedResponses,
        isStopped,
        window: {
          ...window,
          responses: window.isSteady ? close.responses - open.responses : 0,
          sequences: window.isSteady ? close.sequences - open.sequences : 0,
        },
      };
    },
  };
  return tally;
}
