/**
 * Measures every cell of one row once the server is at the row's max_batch: the row's trials
 * in shuffled order, then re-runs of unstable cells (perf_analyzer's stability idea, without
 * stopping the sweep: a cell still unstable after `maxReruns` extra trials is `noisy`).
 */
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from '../load/latency-histogram.js';
import type { MatrixConfig } from '../config/config.js';
import { measureTrial, type StatsReader } from './measure-trial.js';
import { planRow, warmupRequests } from './plan.js';
import type { Cell, Trial } from '../model/run-result.js';
import { addCounters, serverStatsOf, ZERO_COUNTERS, type StatsCounters } from './server-stats.js';
import { coefficientOfVariation, okTrials, summarizeCell } from './summarize-cell.js';

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
  /** Called after every trial. */
  readonly onTrial: (users: number) => void;
}

interface CellState {
  readonly trials: Trial[];
  readonly histogram: LatencyHistogram;
  counters: StatsCounters | undefined;
  hasStats: boolean;
  reruns: number;
}

/** Runs one trial of `users` and records it; false when the run was aborted. */
async function runOne(matrix: MatrixConfig, deps: RowDeps, request: Uint8Array, users: number, state: CellState, order: number): Promise<boolean> {
  const measured = await measureTrial(
    deps.transport,
    {
      users,
      requests: matrix.requests,
      warmupRequests: warmupRequests(matrix.warmupRequests, users),
      itemsPerRequest: matrix.itemsPerRequest,
      request,
      timeoutMs: deps.requestTimeoutMs,
      order,
    },
    { readStats: deps.readStats, signal: deps.signal, ...(deps.clock === undefined ? {} : { clock: deps.clock }) },
  );
  if (measured.isAborted) return false;
  state.trials.push(measured.trial);
  if (measured.trial.errors === 0) state.histogram.add(measured.histogram);
  if (measured.serverDelta === undefined) state.hasStats = false;
  else state.counters = addCounters(state.counters ?? ZERO_COUNTERS, measured.serverDelta);
  deps.onTrial(users);
  return true;
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
): Promise<{ cells: Cell[]; isAborted: boolean; nextOrder: number }> {
  const states = new Map<number, CellState>(
    matrix.users.map((u) => [u, { trials: [], histogram: createLatencyHistogram(), counters: undefined, hasStats: true, reruns: 0 }]),
  );
  let order = firstOrder;
  let isAborted = false;
  const plan = planRow(maxBatch, matrix.users, matrix.trials, matrix.seed);
  for (const planned of plan) {
    const state = states.get(planned.users) as CellState;
    if (!(await runOne(matrix, deps, request, planned.users, state, order++))) {
      isAborted = true;
      break;
    }
  }
  for (let round = 0; round < matrix.maxReruns && !isAborted; round++) {
    const noisy = matrix.users.filter((u) => {
      const ok = okTrials((states.get(u) as CellState).trials);
      return ok.length >= 2 && coefficientOfVariation(ok.map((t) => t.dps)) > matrix.maxCv;
    });
    for (const users of noisy) {
      const state = states.get(users) as CellState;
      state.reruns++;
      if (!(await runOne(matrix, deps, request, users, state, order++))) {
        isAborted = true;
        break;
      }
    }
  }
  const cells = matrix.users.map((users) => {
    const state = states.get(users) as CellState;
    return summarizeCell({
      maxBatch,
      users,
      trials: state.trials,
      latencyMs: state.histogram.toLatencyMs(),
      ...(state.hasStats && state.counters !== undefined ? { server: serverStatsOf(state.counters) } : {}),
      reruns: state.reruns,
      maxCv: matrix.maxCv,
    });
  });
  return { cells, isAborted, nextOrder: order };
}
