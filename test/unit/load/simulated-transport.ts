/**
 * A discrete-event fake of `InferTransport` for closed-loop tests: every request completes at
 * `sendTime + latencyMs(index)` on a virtual clock, one completion per macrotask (setImmediate),
 * earliest first. The clock only moves when a completion is delivered, so every latency the
 * loop records is exact, whatever the number of users. No sockets, no real time.
 */
import type { Clock } from '../../../src/load/closed-loop.js';
import type { InferDone, InferFailure, InferTransport, InflightRequest } from '../../../src/load/infer-transport.js';

/** How request `index` (0-based, in send order) ends; `'stall'` never completes unless cancelled. */
export type Outcome = InferFailure | null | 'stall';

/** Options of `createSimulatedTransport`. */
export interface SimulatedTransportOptions {
  /** Default: every request succeeds. */
  readonly outcome?: (index: number) => Outcome;
  /** Virtual milliseconds from send to reply; default 1. */
  readonly latencyMs?: (index: number) => number;
  /** Called synchronously inside `send`, after the request is registered. */
  readonly onSend?: (index: number) => void;
}

/** One send as the fake saw it. */
export interface SentRequest {
  readonly index: number;
  readonly sentAtMs: number;
  readonly timeoutMs: number;
  readonly bytes: Uint8Array;
  /** Virtual time at which `done` was called, and with what; undefined while in flight. */
  completedAtMs?: number;
  result?: InferFailure | null;
  isCancelled: boolean;
}

/** The fake transport, its virtual clock and what it observed. */
export interface SimulatedTransport extends InferTransport {
  readonly clock: Clock;
  readonly sent: readonly SentRequest[];
  /** Highest number of requests in flight at once. */
  readonly maxInflight: () => number;
  /** Requests still in flight (sent, `done` not yet called). */
  readonly inflight: () => number;
  /** `done` calls for a request that had already completed (must stay 0). */
  readonly contractViolations: () => number;
}

const CANCELLED: InferFailure = { status: 'CANCELLED', message: 'Cancelled on client' };

export function createSimulatedTransport(options: SimulatedTransportOptions = {}): SimulatedTransport {
  const outcomeOf = options.outcome ?? (() => null);
  const latencyOf = options.latencyMs ?? (() => 1);
  let nowMs = 0;
  let maxInflight = 0;
  let violations = 0;
  let isScheduled = false;
  const sent: SentRequest[] = [];
  const pending: { readonly request: SentRequest; atMs: number; result: InferFailure | null; done: InferDone }[] = [];

  const inflight = (): number => sent.filter((r) => r.completedAtMs === undefined).length;

  const step = (): void => {
    isScheduled = false;
    let earliest = -1;
    for (let i = 0; i < pending.length; i++) {
      const candidate = pending[i];
      const best = pending[earliest];
      if (candidate !== undefined && (best === undefined || candidate.atMs < best.atMs)) earliest = i;
    }
    const [next] = earliest < 0 ? [] : pending.splice(earliest, 1);
    if (next === undefined) return;
    nowMs = Math.max(nowMs, next.atMs);
    if (next.request.completedAtMs !== undefined) violations++;
    next.request.completedAtMs = nowMs;
    next.request.result = next.result;
    next.done(next.result);
    schedule();
  };
  const schedule = (): void => {
    if (isScheduled || pending.length === 0) return;
    isScheduled = true;
    setImmediate(step);
  };

  return {
    clock: () => nowMs,
    sent,
    maxInflight: () => maxInflight,
    inflight,
    contractViolations: () => violations,
    send(bytes: Uint8Array, timeoutMs: number, done: InferDone): InflightRequest {
      const request: SentRequest = { index: sent.length, sentAtMs: nowMs, timeoutMs, bytes, isCancelled: false };
      sent.push(request);
      maxInflight = Math.max(maxInflight, inflight());
      const outcome = outcomeOf(request.index);
      const entry =
        outcome === 'stall' ? undefined : { request, atMs: nowMs + latencyOf(request.index), result: outcome, done };
      if (entry !== undefined) pending.push(entry);
      options.onSend?.(request.index);
      schedule();
      return {
        cancel() {
          if (request.completedAtMs !== undefined || request.isCancelled) return;
          request.isCancelled = true;
          const index = pending.findIndex((p) => p.request === request);
          if (index >= 0) pending.splice(index, 1);
          // Like grpc-js: a cancelled call still reports once, with CANCELLED, asynchronously.
          pending.push({ request, atMs: nowMs, result: CANCELLED, done });
          schedule();
        },
      };
    },
  };
}
