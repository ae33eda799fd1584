/**
 * Pure summary of a measured cell: medians and CV over the successful trials, status and
 * message. A trial with errors is kept in `trials` but never enters a summary (docs/architecture.md#measurement).
 */
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import type { Cell, CellStatus, LatencyMs, ServerStats, Trial } from '../model/run-result.js';

/** What the runner measured for one cell. */
export interface MeasuredCell {
  readonly maxBatch: number;
  readonly users: number;
  readonly trials: readonly Trial[];
  /** Latency pooled over the successful trials. */
  readonly latencyMs: LatencyMs;
  readonly server?: ServerStats;
  readonly reruns: number;
  /** CV above which the cell is `noisy` once re-runs are spent. */
  readonly maxCv: number;
}

/** Coefficient of variation (sample SD / mean) of positive values; 0 with fewer than 2. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return m === 0 ? 0 : sampleStandardDeviation(values) / m;
}

/** Successful trials only. */
export function okTrials(trials: readonly Trial[]): Trial[] {
  return trials.filter((t) => t.errors === 0);
}

function messageOf(trials: readonly Trial[], status: CellStatus, cv: number, maxCv: number): string | undefined {
  const failed = trials.filter((t) => t.errors > 0);
  if (failed.length > 0) {
    const first = failed.find((t) => t.firstError !== undefined)?.firstError ?? 'errors';
    return `${failed.length} of ${trials.length} trials had errors (${first})`;
  }
  if (status === 'noisy') return `CV ${(cv * 100).toFixed(1)}% above ${(maxCv * 100).toFixed(1)}% after re-runs`;
  return undefined;
}

/** Builds the Cell record; `failed` when no trial succeeded. */
export function summarizeCell(measured: MeasuredCell): Cell {
  const ok = okTrials(measured.trials);
  const dps = ok.map((t) => t.dps);
  const cv = coefficientOfVariation(dps);
  const status: CellStatus = ok.length === 0 ? 'failed' : cv > measured.maxCv ? 'noisy' : 'ok';
  const message = messageOf(measured.trials, status, cv, measured.maxCv);
  return {
    maxBatch: measured.maxBatch,
    users: measured.users,
    status,
    ...(message === undefined ? {} : { message }),
    trials: measured.trials,
    latencyMs: measured.latencyMs,
    dpsMedian: ok.length === 0 ? 0 : median(dps),
    rpsMedian: ok.length === 0 ? 0 : median(ok.map((t) => t.rps)),
    cv,
    reruns: measured.reruns,
    ...(measured.server === undefined ? {} : { server: measured.server }),
  };
}

/** A cell of a row that could not be put at its max_batch. */
export function failedCell(maxBatch: number, users: number, message: string): Cell {
  return {
    maxBatch, users, status: 'failed', message, trials: [],
    latencyMs: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
    dpsMedian: 0, rpsMedian: 0, cv: 0, reruns: 0,
  };
}
