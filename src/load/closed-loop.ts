/**
 * The closed-loop load generator (docs/architecture.md#measurement, docs/statistics.md): U senders, each with exactly one
 * request in flight, sending its next request when the previous reply arrives, until the
 * trial's R requests are spent (or, in time mode, until the steady window has lasted its time).
 * Request bytes are encoded once by the caller and reused; per request the hot path does two
 * clock reads, one O(1) histogram record, one window update and the send.
 */
import type { InferDone, InferFailure, InferTransport, InflightRequest } from './infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from './latency-histogram.js';
import { createSteadyWindow, type SteadyWindowResult, type WindowEdges } from './steady-window.js';

/** Monotonic milliseconds (default `performance.now`). */
export type Clock = () => number;

/** What one closed-loop run sends. */
export interface ClosedLoopPlan {
  /** Concurrent senders, >= 1. */
  readonly users: number;
  /** Requests in total, split as evenly as possible over the users (>= users); ignored when `windowMs` is set. */
  readonly requests: number;
  /**
   * Time mode: users keep sending until the steady window (steady-window.ts) has lasted this
   * many ms, then each stops after its next reply. Absent: the run is sized by `requests`.
   */
  readonly windowMs?: number;
  /** Pre-encoded ModelInferRequest bytes, sent as is by every request (unless `steps` are given). */
  readonly request: Uint8Array;
  /**
   * Pre-encoded requests, one per data step of an `input-data` file, sent round-robin over the
   * trial's requests instead of `request` (perf_analyzer's use of data steps); none when absent.
   */
  readonly steps?: readonly Uint8Array[];
  /** Deadline of each request. */
  readonly timeoutMs: number;
}

/** Counts and timing of one closed-loop run. Invariant: `sent === ok + failed`. */
export interface ClosedLoopResult {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  /** Failed requests by gRPC status name. */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** First failure's `STATUS: message`, if any. */
  readonly firstError?: string;
  /** From the first send to the last reply, milliseconds. */
  readonly durationMs: number;
  /** Latencies of successful requests, µs. */
  readonly histogram: LatencyHistogram;
  /** True when the run stopped early (abort signal or a fatal error). */
  readonly isStopped: boolean;
  /** The steady-state window: replies while all users were active (steady-window.ts). */
  readonly window: SteadyWindowResult;
}

/** Options of `runClosedLoop`. */
export interface ClosedLoopOptions {
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /**
   * Stop after a failure whose status says the server is gone or stalled (a failed trial is
   * never used, and waiting a deadline per remaining request could take hours): no new
   * requests are sent and those in flight are cancelled, counted as `CANCELLED`. Default true.
   */
  readonly shouldStopOnFatal?: boolean;
  /** Called at the steady window's edges, from the reply handler (must not block). */
  readonly windowEdges?: WindowEdges;
}

/** Statuses after which more requests would only wait or fail the same way. */
const FATAL_STATUSES: ReadonlySet<string> = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED', 'UNKNOWN']);

/** Requests of user `index` when `requests` are split over `users` (first users get the rest). */
export function requestsForUser(requests: number, users: number, index: number): number {
  const base = Math.floor(requests / users);
  return base + (index < requests % users ? 1 : 0);
}

/**
 * Runs one closed loop and resolves when every request has been answered (or, after a stop,
 * when every in-flight request has). Never rejects: failures are counted in the result.
 */
export function runClosedLoop(
  transport: InferTransport,
  plan: ClosedLoopPlan,
  options: ClosedLoopOptions = {},
): Promise<ClosedLoopResult> {
  const clock = options.clock ?? performance.now.bind(performance);
  const shouldStopOnFatal = options.shouldStopOnFatal ?? true;
  const histogram = createLatencyHistogram();
  const errorsByStatus: Record<string, number> = {};
  let firstError: string | undefined;
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let active = 0;
  let isStopped = false;
  const steps = plan.steps !== undefined && plan.steps.length > 0 ? plan.steps : [plan.request];
  let nextStep = 0;
  const inflight: (InflightRequest | undefined)[] = new Array<InflightRequest | undefined>(plan.users);
  const window = createSteadyWindow(plan.users, plan.windowMs, options.windowEdges);

  return new Promise<ClosedLoopResult>((resolve) => {
    const startMs = clock();
    const finish = (): void => {
      options.signal?.removeEventListener('abort', stop);
      resolve({
        sent,
        ok,
        failed,
        errorsByStatus,
        histogram,
        isStopped,
        durationMs: clock() - startMs,
        window: window.result(),
        ...(firstError === undefined ? {} : { firstError }),
      });
    };
    const stop = (): void => {
      if (isStopped) return;
      isStopped = true;
      for (const call of inflight) call?.cancel();
    };
    const recordFailure = (failure: InferFailure): void => {
      failed++;
      errorsByStatus[failure.status] = (errorsByStatus[failure.status] ?? 0) + 1;
      firstError ??= `${failure.status}: ${failure.message}`;
      if (shouldStopOnFatal && FATAL_STATUSES.has(failure.status)) stop();
    };
    const startUser = (index: number, quota: number): void => {
      let remaining = quota;
      let sentAtMs = 0;
      // Bound once per user and trial, so the per-request path allocates no closure.
      const onDone: InferDone = (failure) => {
        inflight[index] = undefined;
        const nowMs = clock();
        if (failure === null) {
          ok++;
          histogram.recordUs((nowMs - sentAtMs) * 1000);
        } else {
          recordFailure(failure);
        }
        const isUserDone = --remaining <= 0 || isStopped;
        const isWindowClosed = window.reply(index, nowMs, failure === null, isUserDone);
        // Time mode: the window's end is the trial's end; every user stops after this reply.
        if (plan.windowMs !== undefined && isWindowClosed) remaining = 0;
        if (remaining > 0 && !isStopped) {
          sendNext();
        } else if (--active === 0) {
          finish();
        }
      };
      const sendNext = (): void => {
        sent++;
        sentAtMs = clock();
        const request = steps[nextStep] as Uint8Array;
        nextStep = nextStep + 1 === steps.length ? 0 : nextStep + 1;
        inflight[index] = transport.send(request, plan.timeoutMs, onDone);
      };
      sendNext();
    };

    if (options.signal?.aborted === true) isStopped = true;
    options.signal?.addEventListener('abort', stop, { once: true });
    for (let i = 0; i < plan.users && !isStopped; i++) {
      const quota =
        plan.windowMs === undefined ? requestsForUser(plan.requests, plan.users, i) : Number.POSITIVE_INFINITY;
      if (quota === 0) continue;
      active++;
      startUser(i, quota);
    }
    if (active === 0) finish();
  });
}
