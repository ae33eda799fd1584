/**
 * Measures every cell of one row once the server is at the row's max_batch: the row's trials
 * in shuffled order, with re-runs of unstable cells shuffled among the remaining trials
 * (perf_analyzer's stability idea, without stopping the sweep: a cell still unstable after
 * `maxReruns` extra trials is `noisy`; docs/statistics.md). With row rounds a call measures one
 * visit's share (`RowVisitPlan`) into fresh states the caller merges once the visit stands.
 */
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import type { MetricsReading } from '../metrics/read-triton-metrics.js';
import { summarizeMetrics } from '../metrics/summarize-metrics.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from '../load/latency-histogram.js';
import type { MatrixConfig } from '../config/config.js';
import type { StatsReader } from './measure-trial.js';
import {
  measureCellTrial,
  newResponseTimes,
  poolResponseTimes,
  responseTimesFields,
  type ResponseTimesState,
  type StreamRowPlan,
} from './measure-cell-trial.js';
import { planRow, warmupRequests, type VisitTrial } from './plan.js';
import type { Cell, Trial } from '../model/run-result.js';
import { addCounters, serverStatsOf, ZERO_COUNTERS, type StatsCounters } from './server-stats.js';
import { isUnstable, summarizeCell } from './summarize-cell.js';
import { createRng, deriveSeed, nextInt, type Rng } from '../rng.js';

/** Progress of the run, for the CLI's stderr line. */
export interface Progress {
  readonly maxBatch: number;
  readonly users: number;
  /** Trials finished so far in the whole run, and planned in total. */
  readonly done: number;
  readonly total: number;
}

/** What a row measurement needs. */
export interface RowDeps {
  readonly transport: InferTransport;
  readonly readStats: StatsReader;
  readonly signal: AbortSignal;
  readonly clock?: Clock;
  readonly requestTimeoutMs: number;
  /** Samples Triton's metrics during each trial; absent: not sampled. */
  readonly metrics?: MetricsSampler;
  /** Called after every trial. */
  readonly onTrial: (users: number) => void;
  /** After a trial with errors: the reason the server is gone, if it is (server-loss.ts). */
  readonly checkServer?: () => Promise<string | undefined>;
  /** Decoupled and sequence models: trials run the streaming loop (docs/models.md); absent: unary. */
  readonly stream?: StreamRowPlan;
  /** Unary trials: an `input-data` file's requests, sent round-robin instead of the row's request. */
  readonly steps?: readonly Uint8Array[];
}

/** What a row has measured of one cell so far (merged over visits with row rounds). */
export interface CellState {
  readonly trials: Trial[];
  readonly histogram: LatencyHistogram;
  counters: StatsCounters | undefined;
  hasStats: boolean;
  reruns: number;
  /** Planned trials not yet run. */
  plannedLeft: number;
  hasPendingRerun: boolean;
  readings: MetricsReading[];
  /** Streaming trials: response times pooled over successful trials. */
  readonly responseTimes: ResponseTimesState;
}

/**
 * One visit of a row in row rounds (plan.ts `planRowRounds`): its trials, what the row measured
 * on earlier visits (re-runs are decided on every trial of a cell) and whether it is the row's
 * last visit (the only one that re-runs).
 */
export interface RowVisitPlan {
  readonly trials: readonly VisitTrial[];
  readonly prior: ReadonlyMap<number, CellState>;
  readonly isLast: boolean;
}

/** A fresh state for a cell with `planned` trials to run. */
function newCellState(planned: number): CellState {
  return {
    trials: [],
    histogram: createLatencyHistogram(),
    counters: undefined,
    hasStats: true,
    reruns: 0,
    plannedLeft: planned,
    hasPendingRerun: false,
    readings: [],
    responseTimes: newResponseTimes(),
  };
}

/** Adds what `from` measured (a visit that stands) to `into`. */
export function mergeCellState(into: CellState, from: CellState): void {
  into.trials.push(...from.trials);
  into.histogram.add(from.histogram);
  into.hasStats &&= from.hasStats;
  if (from.counters !== undefined) into.counters = addCounters(into.counters ?? ZERO_COUNTERS, from.counters);
  into.reruns += from.reruns;
  into.readings.push(...from.readings);
  into.responseTimes.firstResponse.add(from.responseTimes.firstResponse);
  into.responseTimes.betweenResponses.add(from.responseTimes.betweenResponses);
}

/** An empty state to merge visits into. */
export function emptyCellState(): CellState {
  return newCellState(0);
}

/** Runs one trial of `users` and records it (with its round, if any); false when the run was aborted. */
async function runOne(
  matrix: MatrixConfig,
  deps: RowDeps,
  request: Uint8Array,
  planned: { readonly users: number; readonly round?: number },
  state: CellState,
  order: number,
): Promise<boolean> {
  const { users } = planned;
  const recording = deps.metrics?.start();
  const spec = {
    users,
    requests: matrix.requests,
    ...(matrix.trialSeconds === undefined ? {} : { windowSeconds: matrix.trialSeconds }),
    warmupRequests: warmupRequests(matrix.warmupRequests, users),
    itemsPerRequest: matrix.itemsPerRequest,
    timeoutMs: deps.requestTimeoutMs,
    order,
  };
  const target = {
    transport: deps.transport,
    request,
    ...(deps.steps === undefined ? {} : { steps: deps.steps }),
    ...(deps.stream === undefined ? {} : { stream: deps.stream }),
  };
  const measured = await measureCellTrial(target, spec, deps, matrix.seed);
  poolResponseTimes(state.responseTimes, measured);
  state.readings.push(...((await recording?.stop()) ?? []));
  if (measured.isAborted) return false;
  state.trials.push(planned.round === undefined ? measured.trial : { ...measured.trial, round: planned.round });
  if (measured.trial.errors === 0) state.histogram.add(measured.histogram);
  if (measured.serverDelta === undefined) state.hasStats = false;
  else state.counters = addCounters(state.counters ?? ZERO_COUNTERS, measured.serverDelta);
  deps.onTrial(users);
  return true;
}

/**
 * Queues a re-run of `users` at a seeded random place among the row's remaining trials, when its
 * planned trials are done, it is unstable, no re-run of it is pending and it has re-runs left.
 * Spreading re-runs in time keeps a slow spell late in the row from landing only on them.
 */
function queueRerun(
  matrix: MatrixConfig,
  cell: { readonly state: CellState; readonly prior: CellState | undefined; readonly next: QueuedTrial },
  queue: QueuedTrial[],
  rng: Rng,
): void {
  const { state, prior } = cell;
  const reruns = state.reruns + (prior?.reruns ?? 0);
  if (state.plannedLeft > 0 || state.hasPendingRerun || reruns >= matrix.maxReruns) return;
  if (!isUnstable([...(prior?.trials ?? []), ...state.trials], matrix.maxCv)) return;
  state.hasPendingRerun = true;
  queue.splice(nextInt(rng, queue.length + 1), 0, cell.next);
}

/** A trial waiting in a row's queue. */
interface QueuedTrial {
  readonly users: number;
  readonly round?: number;
}

/**
 * Measures a row, or with `visit` one visit of it; returns its cells in users order (a visit's:
 * of the visit's trials alone) and the states behind them. Stops early (returning what it has)
 * when the run is aborted; the caller marks the run incomplete.
 */
export async function measureRow(
  matrix: MatrixConfig,
  maxBatch: number,
  request: Uint8Array,
  deps: RowDeps,
  firstOrder: number,
  visit?: RowVisitPlan,
): Promise<{
  cells: Cell[];
  states: Map<number, CellState>;
  isAborted: boolean;
  nextOrder: number;
  lostServer?: string;
}> {
  const queue: QueuedTrial[] =
    visit === undefined
      ? planRow(maxBatch, matrix.users, matrix.trials, matrix.seed).map((p) => ({ users: p.users }))
      : [...visit.trials];
  const planned = (users: number): number => queue.filter((trial) => trial.users === users).length;
  const states = new Map<number, CellState>(matrix.users.map((u) => [u, newCellState(planned(u))]));
  const rng = createRng(deriveSeed(matrix.seed, `reruns:${maxBatch}`));
  // A re-run belongs to the visit's last round; only a row's last visit re-runs.
  const rerunRound = visit === undefined ? undefined : Math.max(...visit.trials.map((trial) => trial.round));
  const mayRerun = visit === undefined || visit.isLast;
  let order = firstOrder;
  let isAborted = false;
  let lostServer: string | undefined;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const state = states.get(next.users) as CellState;
    if (state.plannedLeft > 0) state.plannedLeft--;
    else {
      state.hasPendingRerun = false;
      state.reruns++;
    }
    if (!(await runOne(matrix, deps, request, next, state, order++))) {
      isAborted = true;
      break;
    }
    if ((state.trials.at(-1)?.errors ?? 0) > 0) lostServer = await deps.checkServer?.();
    if (lostServer !== undefined) break;
    if (mayRerun) {
      const rerun = rerunRound === undefined ? { users: next.users } : { users: next.users, round: rerunRound };
      queueRerun(matrix, { state, prior: visit?.prior.get(next.users), next: rerun }, queue, rng);
    }
  }
  const cells = summarizeRowCells(matrix, maxBatch, states);
  return { cells, states, isAborted, nextOrder: order, ...(lostServer === undefined ? {} : { lostServer }) };
}

/** The cells of a row from what it measured, in users order. */
export function summarizeRowCells(
  matrix: MatrixConfig,
  maxBatch: number,
  states: ReadonlyMap<number, CellState>,
): Cell[] {
  return matrix.users.map((users) => {
    const state = states.get(users) ?? emptyCellState();
    const metrics = summarizeMetrics(state.readings);
    const cell = summarizeCell({
      maxBatch,
      users,
      trials: state.trials,
      latencyMs: state.histogram.toLatencyMs(),
      ...(state.hasStats && state.counters !== undefined ? { server: serverStatsOf(state.counters) } : {}),
      reruns: state.reruns,
      maxCv: matrix.maxCv,
    });
    return { ...cell, ...(metrics === undefined ? {} : { metrics }), ...responseTimesFields(state.responseTimes) };
  });
}
