/**
 * What a run recommends (docs/answers.md#recommendations), as plain data: per users level the
 * smallest max_batch whose dps is within noise of the column's best, and with a latency budget
 * the best cell that meets it. Computed by `analysis/recommend.ts` from the cells and the
 * budget of the invocation; written into the result JSON and the `recommendation` output, never
 * compared between runs.
 */

/** Latency percentiles a budget can be set on (the ones every cell records). */
export const LATENCY_PERCENTILES = ['p50', 'p90', 'p99'] as const;
/** One of {@link LATENCY_PERCENTILES}. */
export type LatencyPercentile = (typeof LATENCY_PERCENTILES)[number];

/** `latency-budget-ms` and `latency-budget-percentile`: a cell meets it when its pooled percentile is at most `ms`. */
export interface LatencyBudget {
  readonly ms: number;
  readonly percentile: LatencyPercentile;
}

/**
 * How "within noise of the best" was judged: `measured` when both cells have two or more trials
 * (their trial ranges overlap), `single-trial` when one of them has a single trial (within the
 * single-trial tolerance of the best as observed; the spread is unknown).
 */
export type NoiseBasis = 'measured' | 'single-trial';

/** The throughput answer for one users level. */
export interface UsersChoice {
  readonly users: number;
  /** The smallest max_batch whose dps is within noise of the column's best. */
  readonly maxBatch: number;
  /** Its median dps. */
  readonly dps: number;
  /** The column's best cell (may be the chosen one). */
  readonly bestMaxBatch: number;
  readonly bestDps: number;
  readonly basis: NoiseBasis;
}

/** A cell that meets the latency budget. */
export interface BudgetCell {
  readonly maxBatch: number;
  readonly users: number;
  readonly dps: number;
  /** The cell's pooled latency at the budget's percentile, ms. */
  readonly latencyMs: number;
}

/** The answer under a latency budget. */
export interface BudgetAnswer {
  readonly budget: LatencyBudget;
  /** Per users level, ascending: the highest-dps cell within the budget, or undefined when none meets it. */
  readonly perUsers: readonly { readonly users: number; readonly cell: BudgetCell | undefined }[];
  /** The highest-dps cell within the budget over the whole matrix, or undefined when none meets it. */
  readonly overall: BudgetCell | undefined;
  /** Rows (max_batch, run order) none of whose considered cells meets the budget. */
  readonly rowsNeverWithin: readonly number[];
}

/** Everything a run recommends; cells that are failed or noisy are never recommended. */
export interface Recommendation {
  /** Per users level with at least one `ok` cell, ascending. */
  readonly perUsers: readonly UsersChoice[];
  /** Present when a latency budget was set. */
  readonly budget?: BudgetAnswer;
  /** Noisy cells left out (their medians are not to build on). */
  readonly noisyLeftOut: number;
}
