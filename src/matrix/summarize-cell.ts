/**
 * Pure summary of a measured cell: medians and CV over the successful trials, status and
 * message. A trial with errors is kept in `trials` but never enters a summary (docs/architecture.md#measurement).
 */
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { formatNumber } from '../format-number.js';
import { robustSpreadOfValues } from '../stats/robust-spread.js';
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
  /** Robust spread (stats/robust-spread.ts) above which the cell is `noisy` once re-runs are spent. */
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

/** True when a cell's successful trials spread more than `maxSpread` (stats/robust-spread.ts). */
export function isUnstable(trials: readonly Trial[], maxSpread: number): boolean {
  const ok = okTrials(trials);
  return ok.length >= 2 && robustSpreadOfValues(ok.map((t) => t.dps)) > maxSpread;
}

function messageOf(trials: readonly Trial[], status: CellStatus, spread: number, maxCv: number): string | undefined {
  const failed = trials.filter((t) => t.errors > 0);
  if (failed.length > 0) {
    const first = failed.find((t) => t.firstError !== undefined)?.firstError ?? 'errors';
    const tooFew =
      status === 'failed' && failed.length < trials.length
        ? `; ${trials.length - failed.length} good, need ${minGoodTrials(trials.length)}`
        : '';
    return `${failed.length} of ${trials.length} trials had errors (${first})${tooFew}`;
  }
  if (status === 'noisy')
    return `spread ${formatNumber(spread, 'percent')} (1.4826·MAD/median) above ${formatNumber(maxCv, 'percent')} after re-runs`;
  return undefined;
}

/**
 * Good trials a cell needs to be summarised as measured: 3 (the fewest a rank test can use),
 * or every trial when fewer were planned. A cell with 1 good trial of 5 is `failed`, not an
 * `ok` cell with CV 0 (docs/reliability.md).
 */
export function minGoodTrials(trialCount: number): number {
  return Math.min(MIN_GOOD_TRIALS, trialCount);
}

const MIN_GOOD_TRIALS = 3;

/** Builds the Cell record; `failed` when fewer than `minGoodTrials` trials succeeded. */
export function summarizeCell(measured: MeasuredCell): Cell {
  const ok = okTrials(measured.trials);
  const dps = ok.map((t) => t.dps);
  const cv = coefficientOfVariation(dps);
  const spread = robustSpreadOfValues(dps);
  const isTooFew = ok.length === 0 || ok.length < minGoodTrials(measured.trials.length);
  const status: CellStatus = isTooFew ? 'failed' : spread > measured.maxCv ? 'noisy' : 'ok';
  const message = messageOf(measured.trials, status, spread, measured.maxCv);
  return {
    maxBatch: measured.maxBatch,
    users: measured.users,
    status,
    ...(message === undefined ? {} : { message }),
    trials: measured.trials,
    latencyMs: measured.latencyMs,
    dpsMedian: ok.length === 0 ? 0 : median(dps),
    rpsMedian: ok.length === 0 ? 0 : median(ok.map((t) => t.rps)),
    ...serverDpsMedianOf(ok),
    ...streamMediansOf(ok),
    cv,
    spread,
    reruns: measured.reruns,
    ...(measured.server === undefined ? {} : { server: measured.server }),
  };
}

/** The median server rate over the trials that have one (docs/statistics.md, cross-check). */
function serverDpsMedianOf(ok: readonly Trial[]): { serverDpsMedian?: number } {
  const rates = ok.flatMap((t) => (t.serverDps === undefined ? [] : [t.serverDps]));
  return rates.length === 0 ? {} : { serverDpsMedian: median(rates) };
}

/** Medians of responses/s and sequences/s over the trials that have them (decoupled and sequence models). */
function streamMediansOf(ok: readonly Trial[]): {
  responsesPerSecondMedian?: number;
  sequencesPerSecondMedian?: number;
} {
  const responses = ok.flatMap((t) => (t.stream === undefined ? [] : [t.stream.responsesPerSecond]));
  const sequences = ok.flatMap((t) => (t.sequences === undefined ? [] : [t.sequences.perSecond]));
  return {
    ...(responses.length === 0 ? {} : { responsesPerSecondMedian: median(responses) }),
    ...(sequences.length === 0 ? {} : { sequencesPerSecondMedian: median(sequences) }),
  };
}

/** A cell of a row that could not be put at its max_batch. */
export function failedCell(maxBatch: number, users: number, message: string): Cell {
  return {
    maxBatch,
    users,
    status: 'failed',
    message,
    trials: [],
    latencyMs: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
    dpsMedian: 0,
    rpsMedian: 0,
    cv: 0,
    spread: 0,
    reruns: 0,
  };
}
