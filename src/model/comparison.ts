/**
 * The result of comparing a run with its baseline (docs/statistics.md): one verdict per cell plus the
 * figures behind it. Produced by the pure `compareRun`, consumed by `report/` and the gate.
 */
import type { Evidence, RegressionRule } from './evidence.js';
import type { PairedComparison } from './paired-comparison.js';
import type { RunResult } from './run-result.js';

export type { Evidence, RegressionRule } from './evidence.js';

/** Per-cell verdict (docs/architecture.md#vocabulary). */
export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'inconclusive' | 'new' | 'missing' | 'failed';

export const VERDICTS: readonly Verdict[] = [
  'regressed',
  'failed',
  'improved',
  'unchanged',
  'inconclusive',
  'new',
  'missing',
];

/** How the verdicts were decided, for the report's words. */
export interface AppliedPolicy {
  readonly rule: RegressionRule;
  /** The false-discovery level; intervals are at level `1 − 2·alpha`. */
  readonly alpha: number;
}

/** Summary of one side (current or baseline) of a cell. */
export interface SideSummary {
  /** Median dps over the successful trials used. */
  readonly dpsMedian: number;
  /** Number of trials used. */
  readonly trials: number;
  /** Coefficient of variation of the trials' dps (for a pooled baseline: over all its trials). */
  readonly cv: number;
  /** Stored runs pooled into this side (baseline only; the current side is one run). */
  readonly runs?: number;
}

/** One cell's comparison. */
export interface CellComparison {
  readonly maxBatch: number;
  readonly users: number;
  readonly verdict: Verdict;
  /** One line a person can read: why this verdict (e.g. "2 baseline trials, need 3"). */
  readonly reason: string;
  readonly current?: SideSummary;
  readonly baseline?: SideSummary;
  /** Relative change of the median, `(current − baseline) / baseline` (−0.12 = 12% slower). */
  readonly delta?: number;
  /**
   * Interval of `delta` at level `1 − 2·alpha`, the one `evidence` was read from: stored mode,
   * the between-run test inverted (docs/statistics.md §2.2); paired mode, the bootstrap interval
   * of the median ratio.
   */
  readonly deltaCi?: readonly [number, number];
  /** What the data establish (absent for cells that were not tested, and in older comparisons). */
  readonly evidence?: Evidence;
  /**
   * One-sided p-value of "current is slower" (or faster, when `delta > 0`), uncorrected: the
   * larger of the exact rank test on trials and the between-run test on medians (both must
   * reject; docs/statistics.md §2).
   */
  readonly pValue?: number;
  /** Benjamini-Hochberg adjusted p-value across all compared cells. */
  readonly qValue?: number;
  /** Effective minimum effect for this cell: `max(minEffect, 2 × baseline noise)`. */
  readonly threshold?: number;
  /**
   * Baseline noise behind `threshold`: the larger of the cell's pooled within-run CV and the
   * run-to-run noise of a median (measured from pooled baseline runs or history, else assumed;
   * docs/statistics.md §2.2).
   */
  readonly noise?: number;
  /** Set when the cell was re-measured to confirm a regression; the verdict uses pooled trials. */
  readonly confirmation?: 'confirmed' | 'not-confirmed';
  /**
   * Paired runs, failed cells: the base side could not be put at this row either (its own load
   * failed: a known broken row), so the failure is reported, not counted under `regression`.
   */
  readonly isPreexisting?: boolean;
}

/** One point of history: the best dps per max_batch of a stored run (for trend charts). */
export interface HistoryPoint {
  readonly runId: string;
  readonly sha?: string;
  readonly startedAt: string;
  /** Best cell dps per max_batch row, keyed by the max_batch as a string. */
  readonly bestDps: Readonly<Record<string, number>>;
  /**
   * `dpsMedian` of every cell that did not fail, keyed `"32x8"`: what run-to-run noise is
   * estimated from (between-run-noise.ts). Optional: points of older stores lack it, and then
   * history gives no noise estimate (row maxima understate a single cell's noise).
   */
  readonly cellDps?: Readonly<Record<string, number>>;
  /**
   * Per cell (keyed like `cellDps`), the median over its successful trials of each trial's
   * latency percentiles, ms: what the latency gate's run-to-run noise is estimated from
   * (compare-latency.ts). Absent in points stored before it existed.
   */
  readonly cellLatencyMs?: Readonly<Record<string, CellLatency>>;
  /**
   * Decoupled models: `responsesPerSecondMedian` per cell (keyed like `cellDps`), what the
   * `gate-metric: responses` gate's run-to-run noise is estimated from. Absent in points of other
   * models and stored before it existed.
   */
  readonly cellResponses?: Readonly<Record<string, number>>;
}

/** A cell's typical per-trial latency percentiles, ms. */
export interface CellLatency {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** What the baseline was, for the report. */
export interface BaselineInfo {
  /** Ids of the stored runs whose trials were pooled as the baseline. */
  readonly runIds: readonly string[];
  /** Commit the baseline was measured on, when known. */
  readonly sha?: string;
  /** How it was chosen: `merge-base`, `ancestor`, `latest`, `file`. */
  readonly selectedBy: string;
  /** ISO 8601 start of the newest pooled run: the report shows the baseline's age from it. */
  readonly measuredAt?: string;
}

/** Counts of verdicts and the worst regression. */
export interface ComparisonSummary {
  readonly counts: Readonly<Record<Verdict, number>>;
  /** Most negative `delta` among regressed cells. */
  readonly worst?: { readonly maxBatch: number; readonly users: number; readonly delta: number };
}

/** The whole comparison. */
export interface Comparison {
  readonly run: RunResult;
  /** Absent when no baseline was available; then every cell is `new` (or `failed`). */
  readonly baseline?: BaselineInfo;
  /** Row-major, in the run's cell order, then cells only the baseline had (`missing`). */
  readonly cells: readonly CellComparison[];
  readonly summary: ComparisonSummary;
  /** Stored history, oldest first, plus the current run last. */
  readonly history: readonly HistoryPoint[];
  /** Things the report should say (environment mismatch, too few trials, ...). */
  readonly notes: readonly string[];
  /** Paired runs only: the figures behind the cells' verdicts and the whole-matrix line. */
  readonly paired?: PairedComparison;
  /** Whether the gate may fail yet (absent without a baseline; gate-readiness.ts). */
  readonly calibration?: Calibration;
  /** The runner's noise and the smallest change the gate can see (absent without tests). */
  readonly sensitivity?: Sensitivity;
  /** Baseline runs set aside as outliers (outlier-runs.ts); their trials were not used. */
  readonly outlierRuns?: readonly OutlierRun[];
  /** Fingerprint fields in which the baseline differs from this run (absent when none). */
  readonly mismatches?: readonly FingerprintMismatch[];
  /** The rule and level the verdicts were decided by (absent in older comparisons). */
  readonly policy?: AppliedPolicy;
  /** The latency gate's comparison, when `latency-gate` is on. */
  readonly latency?: LatencyComparison;
  /**
   * `responses` when the verdicts compare responses/s (`gate-metric: responses`): the cells'
   * `current`, `baseline` and `delta` and the paired figures are then responses/s; absent: dps.
   */
  readonly gateMetric?: 'responses';
}

/**
 * What a fingerprint difference means for the verdicts (docs/baseline-store.md#fingerprint):
 * `untrusted` (not like-for-like: another GPU, Triton, model or runner label), `caveat` (compared
 * anyway: driver, transport, warm-up, method), `change` (usually what is under test: model
 * config, queue delay, preferred sizes), `note` (tool version).
 */
export type MismatchWeight = 'untrusted' | 'caveat' | 'change' | 'note';

/** One fingerprint field in which the baseline differs from this run. */
export interface FingerprintMismatch {
  /** The field as the report names it: `GPU`, `GPU driver`, `queue delay`, ... */
  readonly what: string;
  /** The baseline's value(s) as shown (pooled runs that differ: each value once, ` / `-joined). */
  readonly baseline: string;
  readonly current: string;
  readonly weight: MismatchWeight;
}

/** A stored baseline run set aside as an outlier against the others or history. */
export interface OutlierRun {
  readonly id: string;
  /** Its typical offset from the reference, as a relative change (−0.25 = 25% slower). */
  readonly offset: number;
}

/** Whether the stored-baseline gate may fail yet (docs/statistics.md §6). */
export interface Calibration {
  readonly isCalibrating: boolean;
  /** Stored runs of this key (same environment and method) with cell medians. */
  readonly historyRuns: number;
  readonly neededHistoryRuns: number;
  /** Runs of the base commit used (outliers set aside). */
  readonly baselineRuns: number;
  readonly neededBaselineRuns: number;
}

/** What the gate can see at the current settings (docs/statistics.md §5). */
export interface Sensitivity {
  /** Run-to-run noise of a cell median (measured or assumed). */
  readonly runToRunCv: number;
  readonly isNoiseAssumed: boolean;
  /** Median over cells of the baseline's within-run robust CV. */
  readonly trialCv: number;
  /** Smallest slowdown of every cell the gate flags in about half of the runs (0.08 = 8%). */
  readonly uniform: number;
  /** Same for a slowdown of one cell alone; undefined when no single cell can be significant. */
  readonly singleCell: number | undefined;
}

/** The run's verdict, as the `verdict` output states it. */
export type GateVerdict = 'pass' | 'regression' | 'failure' | 'cancelled' | 'calibrating';

/** The gate's decision (pure, from a Comparison and `fail-on`). */
export interface GateOutcome {
  /**
   * `pass`; `regression` (a counted regression); `failure` (a failed cell, an errored trial,
   * nothing measured, or a run failure: `runFailures`); `cancelled` (the run was stopped); `calibrating` (report-only: run-to-run
   * noise is not measured yet, docs/statistics.md §6). docs/reliability.md lists the exit codes.
   */
  readonly verdict: GateVerdict;
  readonly shouldFail: boolean;
  /** One line for logs and the headline. */
  readonly message: string;
  /**
   * `"32x8"` style keys (max_batch x users) of the regressed cells that count: with confirmation
   * on and a confirmation pass done, only the confirmed ones; otherwise every regressed cell.
   */
  readonly regressedCells: readonly string[];
  /** Keys of the cells whose latency regressed and counts (the latency gate; empty when off). */
  readonly latencyRegressedCells?: readonly string[];
  /** Keys of the failed cells and cells with errored trials that made (or would make) the gate fail. */
  readonly failedCells?: readonly string[];
  /**
   * What the run could not do besides its cells, each failing it (docs/reliability.md, "Exit
   * codes and verdicts"): a baseline store that could not be read, a save or a result file that
   * could not be written. Absent when there is none.
   */
  readonly runFailures?: readonly string[];
  /**
   * Regressed cells to re-measure before the decision is final: non-empty only when confirmation
   * is on and the comparison has no confirmation pass yet. The gate fails closed meanwhile (an
   * unconfirmed regression still fails), so a pipeline that skips the re-run never passes one.
   */
  readonly toConfirm: readonly string[];
}

/*
 * The latency gate's comparison (docs/statistics.md, "Latency gate"): per cell, the change of a
 * latency percentile between the current run (head) and its baseline (base side), judged with
 * the same tests, corrections and evidence words as dps.
 */

/** One cell's latency comparison. */
export interface LatencyCellComparison {
  readonly maxBatch: number;
  readonly users: number;
  /** `regressed` (the percentile rose and counts), `improved`, `unchanged`, `inconclusive`, `new`, `failed`. */
  readonly verdict: Verdict;
  /** One line a person can read: why this verdict. */
  readonly reason: string;
  /** What the data establish; `worse` is higher latency. Absent when not tested. */
  readonly evidence?: Evidence;
  /** Median of the current side's per-trial (per-round) percentile, ms. */
  readonly currentMs?: number;
  /** Median of the baseline's (base side's) per-trial percentile, ms. */
  readonly baselineMs?: number;
  /** Relative change of the percentile (+0.2 = 20% higher). */
  readonly delta?: number;
  /** Interval of `delta` at level `1 − 2·alpha`. */
  readonly deltaCi?: readonly [number, number];
  /** Benjamini-Hochberg adjusted p-value of "higher" (or "lower", when `delta < 0`). */
  readonly qValue?: number;
  /** Relative rise that counts: `latency-min-effect`, or stored mode's noise-widened threshold. */
  readonly threshold?: number;
  /** Rounds used (paired mode). */
  readonly rounds?: number;
  /** Stored mode: set when the cell was re-measured to confirm a regression. */
  readonly confirmation?: 'confirmed' | 'not-confirmed';
}

/** The whole latency comparison. */
export interface LatencyComparison {
  readonly percentile: 'p50' | 'p90' | 'p99';
  /** `latency-min-effect` (0.1 = 10% higher). */
  readonly minEffect: number;
  /** Row-major, in the run's cell order. */
  readonly cells: readonly LatencyCellComparison[];
  /** Stored mode: whether the latency gate may fail yet (its run-to-run noise measured). */
  readonly calibration?: Calibration;
  /** Things the report should say about the latency comparison. */
  readonly notes: readonly string[];
}
