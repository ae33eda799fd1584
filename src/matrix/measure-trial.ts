/**
 * One trial of a cell: warm-up at the cell's users (unmeasured), a ModelStatistics snapshot,
 * the measured closed loop, a second snapshot. Snapshots around the loop sit outside the timed
 * window and give the per-field server stats; two more, taken at the steady window's edges,
 * give the server's own inference rate over the same window (docs/statistics.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runClosedLoop, type Clock, type ClosedLoopResult } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { LatencyHistogram } from '../load/latency-histogram.js';
import type { WindowEdges } from '../load/steady-window.js';
import type { Trial } from '../model/run-result.js';
import { subtractCounters, type StatsCounters } from './server-stats.js';

/** Reads the row model's statistics counters; `undefined` when statistics are unavailable. */
export type StatsReader = () => Promise<StatsCounters | undefined>;

/** What one trial sends. */
export interface TrialSpec {
  readonly users: number;
  /** Requests of the trial (the window is measured inside them); ignored with `windowSeconds`. */
  readonly requests: number;
  /** Time mode: the steady window lasts this long (seconds) instead of a request count. */
  readonly windowSeconds?: number;
  readonly warmupRequests: number;
  readonly itemsPerRequest: number;
  readonly request: Uint8Array;
  /** Data steps sent round-robin instead of `request` (`ClosedLoopPlan.steps`). */
  readonly steps?: readonly Uint8Array[];
  readonly timeoutMs: number;
  /** Position in the run's order (stored in the Trial). */
  readonly order: number;
}

/** A measured trial with what the cell pools from it. */
export interface MeasuredTrial {
  readonly trial: Trial;
  readonly histogram: LatencyHistogram;
  /** Counters over the whole trial (snapshots around the loop). */
  readonly serverDelta?: StatsCounters;
  /**
   * Counters over the steady window (snapshots taken as it opened and closed, mid-load); absent
   * when the window did not form or statistics are unavailable. `bench:kinds` compares them
   * with the trial's own window counts (docs/models.md#our-counts-against-tritons).
   */
  readonly windowDelta?: StatsCounters;
  /** True when the run's abort signal stopped it: the trial is not a measurement. */
  readonly isAborted: boolean;
}

/**
 * Statistics snapshots at the steady window's edges: the loop's `windowEdges` hooks request them
 * as the window opens and closes, `delta()` reads the counts between them once the loop is over
 * (undefined when either is missing). Unary and streaming trials alike.
 */
export function windowSnapshots(readStats: StatsReader): {
  readonly windowEdges: WindowEdges;
  delta(): Promise<StatsCounters | undefined>;
} {
  let open: Promise<StatsCounters | undefined> | undefined;
  let close: Promise<StatsCounters | undefined> | undefined;
  return {
    windowEdges: {
      onOpen: () => {
        open = readStats();
      },
      onClose: () => {
        close = readStats();
      },
    },
    delta: async () => {
      const [opened, closed] = await Promise.all([open, close]);
      return opened !== undefined && closed !== undefined ? subtractCounters(closed, opened) : undefined;
    },
  };
}

/** Runs one trial. Never throws for request failures; they are counted in the Trial. */
export async function measureTrial(
  transport: InferTransport,
  spec: TrialSpec,
  deps: { readonly readStats: StatsReader; readonly signal: AbortSignal; readonly clock?: Clock },
): Promise<MeasuredTrial> {
  const loopOptions = { signal: deps.signal, clock: deps.clock };
  const plan = {
    users: spec.users,
    request: spec.request,
    ...(spec.steps === undefined ? {} : { steps: spec.steps }),
    timeoutMs: spec.timeoutMs,
  };
  const before = await warmUp(transport, spec, deps);
  const snapshots = windowSnapshots(deps.readStats);
  const retriedBefore = transport.retriedRequests?.();
  const result = await runClosedLoop(
    transport,
    {
      ...plan,
      requests: spec.requests,
      ...(spec.windowSeconds === undefined ? {} : { windowMs: spec.windowSeconds * 1000 }),
    },
    { ...loopOptions, windowEdges: snapshots.windowEdges },
  );
  const retriedAfter = transport.retriedRequests?.();
  const after = await readCounted(deps, successesAfter(before, result.ok));
  const windowDelta = await snapshots.delta();
  const measuredTrial = trialOf(result, spec, windowDelta);
  // Streams the server refused unprocessed and the transport re-sent once (h2 GOAWAY/REFUSED_STREAM).
  const trial: Trial =
    retriedBefore === undefined || retriedAfter === undefined
      ? measuredTrial
      : { ...measuredTrial, retried: retriedAfter - retriedBefore };
  const serverDelta = before !== undefined && after !== undefined ? subtractCounters(after, before) : undefined;
  return {
    trial,
    histogram: result.histogram,
    ...(serverDelta === undefined ? {} : { serverDelta }),
    ...(windowDelta === undefined || !trial.isSteady ? {} : { windowDelta }),
    isAborted: deps.signal.aborted,
  };
}

/**
 * The warm-up at the cell's users (none with `warmupRequests` 0), then the snapshot the trial
 * starts from, once the warm-up's replies are all counted.
 */
async function warmUp(
  transport: InferTransport,
  spec: TrialSpec,
  deps: { readonly readStats: StatsReader; readonly signal: AbortSignal; readonly clock?: Clock },
): Promise<StatsCounters | undefined> {
  if (spec.warmupRequests <= 0) return deps.readStats();
  const beforeWarmup = await deps.readStats();
  const warmup = await runClosedLoop(
    transport,
    {
      users: spec.users,
      request: spec.request,
      ...(spec.steps === undefined ? {} : { steps: spec.steps }),
      timeoutMs: spec.timeoutMs,
      requests: Math.max(spec.warmupRequests, spec.users),
    },
    { signal: deps.signal, clock: deps.clock },
  );
  return readCounted(deps, successesAfter(beforeWarmup, warmup.ok));
}

/** Polls of {@link readCounted}: every 5 ms, for up to 1 s. */
const COUNT_POLL_MS = 5;
const COUNT_POLLS = 200;

/** The success count once `ok` more replies are counted; undefined without statistics. */
export function successesAfter(counters: StatsCounters | undefined, ok: number): number | undefined {
  return counters === undefined ? undefined : counters.successCount + ok;
}

/**
 * Reads the counters once they hold at least `successes` successful requests. Triton counts a
 * request just after it replies, so a snapshot right after the last reply can miss it (seen on
 * Triton 2.51: 143 of 144 in a cell; 3001 of 3000 when a warm-up reply was counted inside the
 * trial). Every OK reply is a success Triton will count, so the wait ends at once unless a count
 * is late; another client's requests only make it end sooner. Bounded: after COUNT_POLLS polls
 * (a server that counts differently), the last read is used. Also used by streaming trials:
 * Triton counts a decoupled request once, after its final response (measure-stream-trial.ts).
 */
export async function readCounted(
  deps: { readonly readStats: StatsReader; readonly signal: AbortSignal },
  successes: number | undefined,
): Promise<StatsCounters | undefined> {
  let counters = await deps.readStats();
  for (let poll = 0; poll < COUNT_POLLS && successes !== undefined && !deps.signal.aborted; poll++) {
    if (counters === undefined || counters.successCount >= successes) break;
    await sleep(COUNT_POLL_MS);
    counters = await deps.readStats();
  }
  return counters;
}

/**
 * The Trial record: figures over the steady window, or over the whole trial when the window
 * could not form (`isSteady: false`, e.g. a user with a single request).
 */
function trialOf(result: ClosedLoopResult, spec: TrialSpec, windowDelta: StatsCounters | undefined): Trial {
  const { window } = result;
  const wallSeconds = result.durationMs / 1000;
  const seconds = window.isSteady ? (window.endMs - window.startMs) / 1000 : wallSeconds;
  const ok = window.isSteady ? window.ok : result.ok;
  const items = ok * spec.itemsPerRequest;
  const hasServerRate = window.isSteady && windowDelta !== undefined && seconds > 0;
  return {
    requests: result.sent,
    items,
    seconds,
    dps: seconds > 0 ? items / seconds : 0,
    rps: seconds > 0 ? ok / seconds : 0,
    // A trial stopped early by a fatal error has failed > 0, so it is never summarised.
    errors: result.failed,
    errorsByStatus: result.errorsByStatus,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
    latencyMs: result.histogram.toLatencyMs(),
    order: spec.order,
    wallSeconds,
    isSteady: window.isSteady,
    ...(hasServerRate ? { serverDps: windowDelta.inferenceCount / seconds } : {}),
  };
}
