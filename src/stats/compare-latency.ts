/**
 * The latency gate (docs/statistics.md, "Latency gate"): per cell, did a latency percentile rise
 * by more than `latency-min-effect`? Each trial's (each round's) percentile is compared as its
 * reciprocal, a rate (`1000 / ms`, higher is better), so the dps machinery applies unchanged and
 * with the same care: paired mode's signed-rank test per cell with Benjamini-Hochberg, the
 * bootstrap interval and `alpha / looks`; stored mode's rank test and between-run test with
 * outlier runs set aside, run-to-run noise from stored runs and history, the noise-widened
 * threshold and the calibrating state. A rise of `m` is a rate drop of `m / (1 + m)`. Pure.
 */
import { median } from 'simple-statistics';
import type { GateConfig, LatencyGateConfig } from '../config/config.js';
import type { BaselineLoad } from '../model/baseline-store.js';
import type { CellComparison, HistoryPoint, LatencyCellComparison, LatencyComparison } from '../model/comparison.js';
import type { PairedCellResult } from '../model/paired-comparison.js';
import type { Cell, RunResult, Trial } from '../model/run-result.js';
import { deriveSeed } from '../rng.js';
import { comparePaired } from './compare-paired.js';
import { compareRun } from './compare-run.js';
import { pairedInputsOf } from './paired-inputs.js';

/** Gate settings the latency comparison reads. */
export type LatencyGate = Pick<GateConfig, 'alpha'> &
  Partial<Pick<GateConfig, 'policy'>> & { readonly latency: LatencyGateConfig };

/** A latency rise of `rise` as the rate drop the comparisons test (`0.1` → `0.0909`). */
export function rateDropOf(rise: number): number {
  return rise / (1 + rise);
}

/** A relative change of the rate as the relative change of the latency (`−0.0909` → `+0.1`). */
function latencyChangeOf(rateChange: number): number {
  return 1 / (1 + rateChange) - 1;
}

/**
 * Paired mode: each round's head and base percentile, compared as rates with comparePaired's
 * rules (cells only: a latency change need not be uniform, so there is no whole-matrix line).
 */
export function comparePairedLatency(
  run: RunResult,
  gate: LatencyGate,
  options: { readonly seed: number; readonly looks: number },
): LatencyComparison {
  const { percentile, minEffect } = gate.latency;
  const rates = rateRunOf(run, percentile);
  const paired = comparePaired(pairedInputsOf(rates), {
    alpha: gate.alpha,
    minEffect: rateDropOf(minEffect),
    policy: gate.policy,
    figure: percentile,
    seed: deriveSeed(options.seed, `latency-${percentile}`),
    looks: options.looks,
    withOverall: false,
  });
  const byKey = new Map(paired.cells.map((cell) => [`${cell.maxBatch}x${cell.users}`, cell]));
  const cells = run.cells.map((cell): LatencyCellComparison => {
    const result = byKey.get(`${cell.maxBatch}x${cell.users}`);
    if (cell.status === 'failed' || result === undefined) {
      return { maxBatch: cell.maxBatch, users: cell.users, verdict: 'failed', reason: 'not measured on both sides' };
    }
    return pairedCellOf(result, rates, minEffect);
  });
  return { percentile, minEffect, cells, notes: [] };
}

const PAIRED_VERDICTS = {
  regressed: 'regressed',
  improved: 'improved',
  same: 'unchanged',
  unknown: 'inconclusive',
} as const;

function pairedCellOf(result: PairedCellResult, rates: RunResult, minEffect: number): LatencyCellComparison {
  const sideMs = (cells: readonly Cell[] | undefined): number | undefined => {
    const cell = cells?.find((c) => c.maxBatch === result.maxBatch && c.users === result.users);
    return cell === undefined || !(cell.dpsMedian > 0) ? undefined : 1000 / cell.dpsMedian;
  };
  const [low, high] = result.deltaCi;
  const isHigher = result.delta <= 0;
  return {
    maxBatch: result.maxBatch,
    users: result.users,
    verdict: PAIRED_VERDICTS[result.verdict],
    reason: `${result.reason} (${result.rounds} rounds)`,
    evidence: result.evidence,
    ...optional('currentMs', sideMs(rates.cells)),
    ...optional('baselineMs', sideMs(rates.base?.cells)),
    delta: latencyChangeOf(result.delta),
    deltaCi: [latencyChangeOf(high), latencyChangeOf(low)],
    qValue: isHigher ? result.qSlower : result.qFaster,
    threshold: minEffect,
    rounds: result.rounds,
  };
}

/**
 * Stored mode: the run, its baseline runs and their history as rates, through `compareRun`
 * (outlier runs, run-to-run noise, threshold `max(rate drop of min-effect, 2 × noise)`,
 * calibrating). History points stored before they carried latency give no latency noise.
 */
export function compareStoredLatency(
  run: RunResult,
  stored: BaselineLoad,
  gate: LatencyGate,
  options: { readonly confirmed?: ReadonlySet<string> } = {},
): LatencyComparison {
  const { percentile, minEffect } = gate.latency;
  const rates: BaselineLoad = {
    ...stored,
    runs: stored.runs.map((base) => rateRunOf(base, percentile)),
    history: stored.history.map((point) => rateHistoryOf(point, percentile)),
  };
  const comparison = compareRun(
    rateRunOf(run, percentile),
    rates,
    { alpha: gate.alpha, minEffect: rateDropOf(minEffect), policy: gate.policy },
    { ...(options.confirmed === undefined ? {} : { confirmed: options.confirmed }), figure: percentile },
  );
  const cells = comparison.cells.filter((cell) => cell.verdict !== 'missing').map(storedCellOf);
  return {
    percentile,
    minEffect,
    cells,
    ...(comparison.calibration === undefined ? {} : { calibration: comparison.calibration }),
    notes: comparison.calibration?.isCalibrating === true ? [calibratingNote(percentile)] : [],
  };
}

function calibratingNote(percentile: string): string {
  return `latency gate: ${percentile}'s run-to-run noise is not measured yet (stored runs with latency medians, or 3 runs of the base commit), so latency reports only`;
}

function storedCellOf(cell: CellComparison): LatencyCellComparison {
  const ms = (dps: number | undefined): number | undefined => (dps !== undefined && dps > 0 ? 1000 / dps : undefined);
  const ci = cell.deltaCi;
  return {
    maxBatch: cell.maxBatch,
    users: cell.users,
    verdict: cell.verdict,
    reason: cell.reason,
    ...optional('evidence', cell.evidence),
    ...optional('currentMs', ms(cell.current?.dpsMedian)),
    ...optional('baselineMs', ms(cell.baseline?.dpsMedian)),
    ...optional('delta', cell.delta === undefined ? undefined : latencyChangeOf(cell.delta)),
    ...(ci === undefined ? {} : { deltaCi: [latencyChangeOf(ci[1]), latencyChangeOf(ci[0])] as const }),
    ...optional('qValue', cell.qValue),
    // A rate threshold `t` is a latency rise of `t / (1 − t)`.
    ...optional('threshold', cell.threshold === undefined ? undefined : cell.threshold / (1 - cell.threshold)),
    ...optional('confirmation', cell.confirmation),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * `run` with every successful trial's `dps` replaced by `1000 / percentile` (its rate, per
 * second) and each cell's `dpsMedian` by their median; the base side likewise. Trials without a
 * positive percentile count as failed (they cannot come from a real measurement).
 */
export function rateRunOf(run: RunResult, percentile: LatencyGateConfig['percentile']): RunResult {
  const cellOf = (cell: Cell): Cell => {
    const trials = cell.trials.map((trial) => latencyRateTrial(trial, percentile));
    const good = trials.filter((trial) => trial.errors === 0).map((trial) => trial.dps);
    return { ...cell, trials, dpsMedian: good.length === 0 ? 0 : median(good) };
  };
  const base = run.base;
  return {
    ...run,
    cells: run.cells.map(cellOf),
    ...(base === undefined ? {} : { base: { ...base, cells: base.cells.map(cellOf) } }),
  };
}

/** `trial` with `dps` replaced by `1000 / percentile`; one without a positive percentile counts as failed. */
export function latencyRateTrial(trial: Trial, percentile: LatencyGateConfig['percentile']): Trial {
  const ms = trial.latencyMs[percentile];
  return ms > 0 && Number.isFinite(ms) ? { ...trial, dps: 1000 / ms } : { ...trial, errors: Math.max(1, trial.errors) };
}

/** A history point whose cell figures are the percentile's rates; none when it stored no latency. */
function rateHistoryOf(point: HistoryPoint, percentile: LatencyGateConfig['percentile']): HistoryPoint {
  const { cellDps: _dps, cellLatencyMs, ...rest } = point;
  if (cellLatencyMs === undefined) return rest;
  const cellDps = Object.fromEntries(
    Object.entries(cellLatencyMs).flatMap(([key, latency]) =>
      latency[percentile] > 0 ? [[key, 1000 / latency[percentile]] as const] : [],
    ),
  );
  return { ...rest, cellDps };
}
