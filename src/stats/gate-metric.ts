/**
 * `gate-metric: responses` (docs/statistics.md, "Gate metric"): a decoupled model's verdicts on
 * responses/s instead of dps. Every trial's `dps` is replaced by its responses/s and every
 * cell's `dpsMedian` by its `responsesPerSecondMedian`, in the run, its base side, the stored
 * baseline runs and their history, so that the dps machinery (paired rounds, stored-mode tests,
 * run-to-run noise, calibration) applies unchanged, as the latency gate does with its rates. Pure.
 */
import type { GateMetric } from '../config/config.js';
import type { BaselineLoad } from '../model/baseline-store.js';
import type { HistoryPoint } from '../model/comparison.js';
import type { Cell, RunResult, Trial } from '../model/run-result.js';
import { successfulDps, summarizeSample } from './summary.js';

/** What the report and the outputs call each metric. */
export const GATE_METRIC_UNITS: Readonly<Record<GateMetric, string>> = { dps: 'dps', responses: 'responses/s' };

/** `trial` with `dps` replaced by its responses/s; one without stream figures counts as failed. */
export function responsesTrial(trial: Trial): Trial {
  const rate = trial.stream?.responsesPerSecond;
  return rate !== undefined && Number.isFinite(rate)
    ? { ...trial, dps: rate }
    : { ...trial, errors: Math.max(1, trial.errors) };
}

/** `run` (and its base side) as responses/s, medians and CVs included: what `gate-metric: responses` compares. */
export function responsesRunOf(run: RunResult): RunResult {
  const cellOf = (cell: Cell): Cell => {
    const trials = cell.trials.map(responsesTrial);
    const summary = summarizeSample(successfulDps(trials));
    return { ...cell, trials, dpsMedian: summary?.median ?? 0, cv: summary?.cv ?? 0 };
  };
  const base = run.base;
  return {
    ...run,
    cells: run.cells.map(cellOf),
    ...(base === undefined ? {} : { base: { ...base, cells: base.cells.map(cellOf) } }),
  };
}

/**
 * The stored baseline as responses/s: its runs, and history points whose cell figures are their
 * responses/s medians. A point stored without them gives no noise estimate (it keeps its trend).
 */
export function responsesBaselineOf(stored: BaselineLoad): BaselineLoad {
  return { ...stored, runs: stored.runs.map(responsesRunOf), history: stored.history.map(responsesHistoryOf) };
}

function responsesHistoryOf(point: HistoryPoint): HistoryPoint {
  const { cellDps: _dps, cellResponses, ...rest } = point;
  return cellResponses === undefined ? rest : { ...rest, cellDps: cellResponses, cellResponses };
}
