/**
 * Measures every cell of one row once the server is at the row's max_batch: the row's trials
 * in shuffled order, with re-runs of unstable cells shuffled among the remaining trials
 * (perf_analyzer's stability idea, without stopping the sweep: a cell still unstable after
 * `maxReruns` extra trials is `noisy`; docs/statistics.md).
 */
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import type { MetricsReading } from '../metrics/read-triton-metrics.js';
import { summarizeMetrics } from '../metrics/summarize-metrics.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from '../load/latency-histogram.js';
import type { MatrixConfig } from '../config/config.js';
import { measureTrial, type StatsReader } from './measure-trial.js';
import { planRow, warmupRequests } from './plan.js';
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
}

interface CellState {
  readonly trials: Trial[];
  readonly histogram: LatencyHistogram;
  counters: StatsCounters | undefined;
  hasStats: boolean;
  reruns: number;
  /** Planned trials not yet run. */
  plannedLeft: number;
  hasPendingRerun: boolean;
  readings: MetricsReading[];
}

/** Runs one trial of `users` and records it; false when the run was aborted. */
async function runOne(
  matrix: MatrixConfig,
  deps: RowDeps,
  request: Uint8Array,
  users: number,
  state: CellState,
  order: number,
): Promise<boolean> {
  const recording = deps.metrics?.start();
  const measured = await measureTrial(
    deps.transport,
    {
      users,
      requests: matrix.requests,
      ...(matrix.trialSeconds === undefined ? {} : { windowSeconds: matrix.trialSeconds }),
      warmupRequests: warmupRequests(matrix.warmupRequests, users),
      itemsPerRequest: matrix.itemsPerRequest,
      request,
      timeoutMs: deps.requestTimeoutMs,
      order,
    },
    { readStats: deps.readStats, signal: deps.signal, clock: deps.clock },
  );
  state.readings.push(...((await recording?.stop()) ?? []));
  if (measured.isAborted) return false;
  state.trials.push(measured.trial);
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
function queueRerun(matrix: MatrixConfig, state: CellState, users: number, queue: number[], rng: Rng): void {
  if (state.plannedLeft > 0 || state.hasPendingRerun || state.reruns >= matrix.maxReruns) return;
  if (!isUnstable(state.trials, matrix.maxCv)) return;
  state.hasPendingRerun = true;
  queue.splice(nextInt(rng, queue.length + 1), 0, users);
}

/**
 * Measures a row; returns its cells in users order. Stops early (returning what it has) when
 * the run is aborted; the caller marks the run incomplete.
 */
export async function measureRow(
  matrix: MatrixConfig,
  maxBatch: number,
  request: Uint8Array,
  deps: RowDeps,
  firstOrder: number,
): Promise<{ cells: Cell[]; isAborted: boolean; nextOrder: number; lostServer?: string }> {
  const states = new Map<number, CellState>(
    matrix.users.map((u) => [
      u,
      {
        trials: [],
        histogram: createLatencyHistogram(),
        counters: undefined,
        hasStats: true,
        reruns: 0,
        plannedLeft: matrix.trials,
        hasPendingRerun: false,
        readings: [],
      },
    ]),
  );
  const queue = planRow(maxBatch, matrix.users, matrix.trials, matrix.seed).map((p) => p.users);
  const rng = createRng(deriveSeed(matrix.seed, `reruns:${maxBatch}`));
  let order = firstOrder;
  let isAborted = false;
  let lostServer: string | undefined;
  for (let users = queue.shift(); users !== undefined; users = queue.shift()) {
    const state = states.get(users) as CellState;
    if (state.plannedLeft > 0) state.plannedLeft--;
    else {
      state.hasPendingRerun = false;
      state.reruns++;
    }
    if (!(await runOne(matrix, deps, request, users, state, order++))) {
      isAborted = true;
      break;
    }
    if ((state.trials.at(-1)?.errors ?? 0) > 0) lostServer = await deps.checkServer?.();
    if (lostServer !== undefined) break;
    queueRerun(matrix, state, users, queue, rng);
  }
  const cells = matrix.users.map((users) => {
    const state = states.get(users) as CellState;
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
    return metrics === undefined ? cell : { ...cell, metrics };
  });
  return { cells, isAborted, nextOrder: order, ...(lostServer === undefined ? {} : { lostServer }) };
}
