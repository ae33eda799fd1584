/**
 * Measures one row of a paired run (docs/statistics.md §11): both sides already sit at the
 * row's max_batch. In each round every active cell is measured once on each side, back to back;
 * cells are shuffled and which side goes first is drawn per cell and round (seeded), so neither
 * side systematically gets the warmer machine. After `minRounds`, only cells whose verdict is
 * still `unknown` (on the gate's metric) get more rounds, up to `maxRounds`; with the latency gate on, also cells whose
 * latency verdict is (docs/statistics.md, "Latency gate").
 */
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import { createLatencyHistogram, type LatencyHistogram } from '../load/latency-histogram.js';
import type { GateConfig, MatrixConfig, PairedConfig } from '../config/config.js';
import type { Cell, Trial } from '../model/run-result.js';
import { createRng, deriveSeed, nextInt, type Rng } from '../rng.js';
import { comparePaired } from '../stats/compare-paired.js';
import { responsesTrial } from '../stats/gate-metric.js';
import { latencyRateTrial, rateDropOf } from '../stats/compare-latency.js';
import type { StatsReader } from './measure-trial.js';
import {
  measureCellTrial,
  newResponseTimes,
  poolResponseTimes,
  responseTimesFields,
  type ResponseTimesState,
} from './measure-cell-trial.js';
import type { StreamRowPlan } from './measure-cell-trial.js';
import { pairedInputOf } from '../stats/paired-inputs.js';
import { warmupRequests } from './plan.js';
import { addCounters, serverStatsOf, ZERO_COUNTERS, type StatsCounters } from './server-stats.js';
import { summarizeCell } from './summarize-cell.js';

/** Names of the two sides. */
export type Side = 'head' | 'base';

/** One side of the row: where its requests go. */
export interface RowSide {
  readonly transport: InferTransport;
  readonly request: Uint8Array;
  /** An `input-data` file's requests, sent round-robin instead of `request`. */
  readonly steps?: readonly Uint8Array[];
  readonly readStats: StatsReader;
  /** Decoupled and sequence models: trials run the streaming loop, as in stored mode (docs/models.md). */
  readonly stream?: StreamRowPlan;
}

/** What a paired row measurement needs. */
export interface PairedRowDeps {
  readonly sides: Readonly<Record<Side, RowSide>>;
  readonly signal: AbortSignal;
  readonly clock?: Clock;
  /** Wall clock for each trial's `startedAt`. */
  readonly now: () => Date;
  readonly requestTimeoutMs: number;
  readonly onTrial: (users: number) => void;
  /**
   * After a trial with errors: the reason `side`'s server is gone, or `undefined` when it still
   * answers (server-loss.ts). A lost server ends the row.
   */
  readonly checkServer?: (side: Side) => Promise<string | undefined>;
}

interface SideState {
  readonly trials: Trial[];
  readonly histogram: LatencyHistogram;
  counters: StatsCounters | undefined;
  hasStats: boolean;
  readonly responseTimes: ResponseTimesState;
}

type RowState = Map<number, Record<Side, SideState>>;

/** The settings a row uses from the config. */
export interface PairedRowSettings {
  readonly matrix: MatrixConfig;
  readonly paired: Pick<PairedConfig, 'minRounds' | 'maxRounds'>;
  readonly gate: Pick<GateConfig, 'alpha' | 'minEffect'> & Partial<Pick<GateConfig, 'policy' | 'latency' | 'metric'>>;
}

/** Measures a row; head and base cells in users order. Stops early when aborted. */
export async function measurePairedRow(
  settings: PairedRowSettings,
  maxBatch: number,
  deps: PairedRowDeps,
  firstOrder: number,
): Promise<{ head: Cell[]; base: Cell[]; isAborted: boolean; nextOrder: number; lostServer?: string }> {
  const { matrix, paired } = settings;
  const states: RowState = new Map(matrix.users.map((u) => [u, { head: newState(), base: newState() }]));
  const rng = createRng(deriveSeed(matrix.seed, `paired-row:${maxBatch}`));
  let order = firstOrder;
  let active = [...matrix.users];
  let isAborted = false;
  let lostServer: string | undefined;
  const isStopped = (): boolean => isAborted || lostServer !== undefined;
  for (let round = 0; round < paired.maxRounds && active.length > 0 && !isStopped(); round++) {
    for (const users of shuffled(active, rng)) {
      const sides: Side[] = rng.next() < 0.5 ? ['head', 'base'] : ['base', 'head'];
      for (const side of sides) {
        const state = states.get(users)?.[side] ?? newState();
        const ok = await runOne(settings.matrix, deps, { side, users, round, order: order++ }, state);
        if (!ok) {
          isAborted = true;
          break;
        }
        // As in stored mode (measure-row.ts): errors may mean the server died; ask once.
        if ((state.trials.at(-1)?.errors ?? 0) > 0) lostServer = await deps.checkServer?.(side);
        if (lostServer !== undefined) break;
      }
      if (isStopped()) break;
    }
    if (round + 1 >= paired.minRounds && !isStopped()) active = undecided(settings, maxBatch, states);
  }
  const cellsOf = (side: Side): Cell[] =>
    matrix.users.map((users) => cellOf(matrix, maxBatch, users, states.get(users)?.[side] ?? newState()));
  return {
    head: cellsOf('head'),
    base: cellsOf('base'),
    isAborted,
    nextOrder: order,
    ...(lostServer === undefined ? {} : { lostServer }),
  };
}

/**
 * Users of the row's cells whose paired verdict is still `unknown` (BH across the row), for dps
 * or, with the latency gate on, for its percentile (compared as a rate, compare-latency.ts).
 */
function undecided(settings: PairedRowSettings, maxBatch: number, states: RowState): number[] {
  const users = [...states.keys()];
  // The rounds go on until the figure the gate compares is decided (gate-metric).
  const judged = (trials: readonly Trial[] = []): readonly Trial[] =>
    settings.gate.metric === 'responses' ? trials.map(responsesTrial) : trials;
  const inputs = users.map((u) => {
    const state = states.get(u);
    return pairedInputOf(maxBatch, u, judged(state?.head.trials), judged(state?.base.trials));
  });
  // Few resamples suffice here: the interval only decides whether to measure again.
  const looks = settings.paired.maxRounds - settings.paired.minRounds + 1;
  const options = { ...settings.gate, seed: settings.matrix.seed, resamples: 500, looks, withOverall: false };
  const dps = comparePaired(inputs, options);
  const latency = settings.gate.latency;
  const percentile = latency?.percentile;
  const rates =
    latency === undefined || percentile === undefined
      ? undefined
      : comparePaired(
          users.map((u) => {
            const state = states.get(u);
            const rate = (trials: readonly Trial[]): Trial[] => trials.map((t) => latencyRateTrial(t, percentile));
            return pairedInputOf(maxBatch, u, rate(state?.head.trials ?? []), rate(state?.base.trials ?? []));
          }),
          { ...options, minEffect: rateDropOf(latency.minEffect) },
        );
  return users.filter(
    (_, index) => dps.cells[index]?.verdict === 'unknown' || rates?.cells[index]?.verdict === 'unknown',
  );
}

interface TrialSlot {
  readonly side: Side;
  readonly users: number;
  readonly round: number;
  readonly order: number;
}

async function runOne(matrix: MatrixConfig, deps: PairedRowDeps, slot: TrialSlot, state: SideState): Promise<boolean> {
  const side = deps.sides[slot.side];
  const startedAt = deps.now().toISOString();
  const measured = await measureCellTrial(
    side,
    {
      users: slot.users,
      requests: matrix.requests,
      // Time mode as in stored mode (measure-row.ts): each side's window lasts `trial-seconds`.
      ...(matrix.trialSeconds === undefined ? {} : { windowSeconds: matrix.trialSeconds }),
      warmupRequests: warmupRequests(matrix.warmupRequests, slot.users),
      itemsPerRequest: matrix.itemsPerRequest,
      timeoutMs: deps.requestTimeoutMs,
      order: slot.order,
    },
    { readStats: side.readStats, signal: deps.signal, clock: deps.clock },
    matrix.seed,
  );
  if (measured.isAborted) return false;
  poolResponseTimes(state.responseTimes, measured);
  state.trials.push({ ...measured.trial, round: slot.round, startedAt });
  if (measured.trial.errors === 0) state.histogram.add(measured.histogram);
  if (measured.serverDelta === undefined) state.hasStats = false;
  else state.counters = addCounters(state.counters ?? ZERO_COUNTERS, measured.serverDelta);
  deps.onTrial(slot.users);
  return true;
}

function newState(): SideState {
  return {
    trials: [],
    histogram: createLatencyHistogram(),
    counters: undefined,
    hasStats: true,
    responseTimes: newResponseTimes(),
  };
}

function cellOf(matrix: MatrixConfig, maxBatch: number, users: number, state: SideState): Cell {
  const cell = summarizeCell({
    maxBatch,
    users,
    trials: state.trials,
    latencyMs: state.histogram.toLatencyMs(),
    ...(state.hasStats && state.counters !== undefined ? { server: serverStatsOf(state.counters) } : {}),
    reruns: 0,
    maxCv: matrix.maxCv,
  });
  return { ...cell, ...responseTimesFields(state.responseTimes) };
}

/** Fisher-Yates copy of `values`. */
function shuffled(values: readonly number[], rng: Rng): number[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = nextInt(rng, i + 1);
    [copy[i], copy[j]] = [copy[j] as number, copy[i] as number];
  }
  return copy;
}
