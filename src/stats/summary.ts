/**
 * Per-side summaries of a cell's trials (docs/architecture.md#measurement, docs/statistics.md): what the verdicts are computed from.
 * Only trials without errors count — a trial with errors is recorded but never averaged in.
 * Every statistic is computed on values sorted ascending, so summaries (and hence verdicts) do
 * not depend on the order in which trials were measured or baseline runs were stored. Run-to-run
 * noise needs the whole matrix and lives in between-run-noise.ts.
 */
import { mean, medianSorted, sampleStandardDeviation } from 'simple-statistics';
import type { Trial } from '../model/run-result.js';
import { medianOf, robustCvOfLogs } from './robust-spread.js';

/** Summary of one sample of trial dps. */
export interface SampleSummary {
  /** dps of the trials used, ascending. */
  readonly values: readonly number[];
  /** Number of trials used (`values.length`, >= 1). */
  readonly count: number;
  /** Median dps. */
  readonly median: number;
  /** Mean dps. */
  readonly mean: number;
  /**
   * Coefficient of variation: sample standard deviation / mean; 0 with fewer than 2 trials.
   * Shown in reports only: one outlier trial inflates it, so no threshold uses it.
   */
  readonly cv: number;
  /** Robust CV, `1.4826 · MAD(ln dps)` (robust-spread.ts): what thresholds use. */
  readonly robustCv: number;
}

/** Summary of a baseline: trials pooled over one or more stored runs. */
export interface BaselineSummary extends SampleSummary {
  /** Stored runs that contributed at least one successful trial. */
  readonly runs: number;
  /** Median dps of each contributing run, ascending. */
  readonly runMedians: readonly number[];
  /**
   * Within-run noise: the median over runs (with >= 2 trials) of each run's robust CV; 0 when no
   * run has 2 trials. A median, not a pooled variance, so one run with a bad trial cannot widen it.
   */
  readonly withinRunCv: number;
}

/**
 * dps of the trials that had no errors, ascending. Non-finite values are dropped too: they can
 * only come from a corrupt file and would poison every statistic.
 */
export function successfulDps(trials: readonly Trial[]): number[] {
  return trials
    .filter((trial) => trial.errors === 0 && Number.isFinite(trial.dps))
    .map((trial) => trial.dps)
    .sort((a, b) => a - b);
}

/**
 * Summarises a sample of dps values (any order); `undefined` when it is empty.
 */
export function summarizeSample(values: readonly number[]): SampleSummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const sampleMean = mean(sorted);
  return {
    values: sorted,
    count: sorted.length,
    median: medianSorted(sorted),
    mean: sampleMean,
    cv: coefficientOfVariation(sorted, sampleMean),
    robustCv: robustCvOfLogs(sorted),
  };
}

/**
 * Summarises a baseline given the successful dps of each stored run (runs in any order, values
 * in any order); `undefined` when no run has a successful trial.
 */
export function summarizeBaseline(perRun: readonly (readonly number[])[]): BaselineSummary | undefined {
  // Sorted so every summary (and the run medians) does not depend on the order runs were stored in.
  const runs = perRun
    .map((values) => summarizeSample(values))
    .filter((run): run is SampleSummary => run !== undefined)
    .sort((a, b) => a.median - b.median || a.count - b.count || a.robustCv - b.robustCv);
  const pooled = summarizeSample(runs.flatMap((run) => run.values));
  if (pooled === undefined) return undefined;
  return {
    ...pooled,
    runs: runs.length,
    runMedians: runs.map((run) => run.median).sort((a, b) => a - b),
    withinRunCv: medianRobustCv(runs),
  };
}

function coefficientOfVariation(values: readonly number[], sampleMean: number): number {
  // A zero or negative mean cannot come from a real trial; 0 keeps the value finite.
  if (values.length < 2 || sampleMean <= 0) return 0;
  return sampleStandardDeviation(values) / sampleMean;
}

function medianRobustCv(runs: readonly SampleSummary[]): number {
  const cvs = runs.filter((run) => run.count >= 2).map((run) => run.robustCv);
  return cvs.length === 0 ? 0 : medianOf(cvs);
}
