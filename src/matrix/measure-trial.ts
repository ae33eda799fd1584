/**
 * One trial of a cell: warm-up at the cell's users (unmeasured), a ModelStatistics snapshot,
 * the measured closed loop, a second snapshot. Snapshots sit outside the timed window.
 */
import { runClosedLoop, type Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { LatencyHistogram } from '../load/latency-histogram.js';
import type { Trial } from '../model/run-result.js';
import { subtractCounters, type StatsCounters } from './server-stats.js';

/** Reads the row model's statistics counters; `undefined` when statistics are unavailable. */
export type StatsReader = () => Promise<StatsCounters | undefined>;

/** What one trial sends. */
export interface TrialSpec {
  readonly users: number;
  readonly requests: number;
  readonly warmupRequests: number;
  readonly itemsPerRequest: number;
  readonly request: Uint8Array;
  readonly timeoutMs: number;
  /** Position in the run's order (stored in the Trial). */
  readonly order: number;
}

/** A measured trial with what the cell pools from it. */
export interface MeasuredTrial {
  readonly trial: Trial;
  readonly histogram: LatencyHistogram;
  readonly serverDelta?: StatsCounters;
  /** True when the run's abort signal stopped it: the trial is not a measurement. */
  readonly isAborted: boolean;
}

/** Runs one trial. Never throws for request failures; they are counted in the Trial. */
export async function measureTrial(
  transport: InferTransport,
  spec: TrialSpec,
  deps: { readonly readStats: StatsReader; readonly signal: AbortSignal; readonly clock?: Clock },
): Promise<MeasuredTrial> {
  const loopOptions = { signal: deps.signal, ...(deps.clock === undefined ? {} : { clock: deps.clock }) };
  const plan = { users: spec.users, request: spec.request, timeoutMs: spec.timeoutMs };
  if (spec.warmupRequests > 0) {
    await runClosedLoop(transport, { ...plan, requests: Math.max(spec.warmupRequests, spec.users) }, loopOptions);
  }
  const before = await deps.readStats();
  const result = await runClosedLoop(transport, { ...plan, requests: spec.requests }, loopOptions);
  const after = await deps.readStats();
  const seconds = result.durationMs / 1000;
  const items = result.ok * spec.itemsPerRequest;
  const trial: Trial = {
    requests: result.sent,
    items,
    seconds,
    dps: seconds > 0 ? items / seconds : 0,
    rps: seconds > 0 ? result.ok / seconds : 0,
    // A trial stopped early by a fatal error has failed > 0, so it is never summarised.
    errors: result.failed,
    errorsByStatus: result.errorsByStatus,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
    latencyMs: result.histogram.toLatencyMs(),
    order: spec.order,
  };
  const serverDelta = before !== undefined && after !== undefined ? subtractCounters(after, before) : undefined;
  return {
    trial,
    histogram: result.histogram,
    ...(serverDelta === undefined ? {} : { serverDelta }),
    isAborted: deps.signal.aborted,
  };
}
