/**
 * Value types of paired mode (docs/statistics.md, "Paired mode"): head and base measured in the
 * same job, round by round, compared through per-round ratios instead of stored runs.
 */

import type { Evidence, RegressionRule } from './evidence.js';

/** One round of one cell: both sides' dps, measured back to back. */
export interface PairedRound {
  /** 0-based round index. */
  readonly round: number;
  readonly head: number;
  readonly base: number;
}

/** Every complete round of one cell (rounds where a side failed are left out by the caller). */
export interface PairedCellInput {
  readonly maxBatch: number;
  readonly users: number;
  readonly rounds: readonly PairedRound[];
}

/**
 * `regressed`/`improved`: a significant change (after Benjamini-Hochberg for cells) that the gate
 * policy counts (by default: the interval reaching a change of min-effect and the estimate at
 * least half of it); `same`: the interval lies inside ±min-effect; `unknown`: neither yet (more
 * rounds may decide).
 */
export type PairedVerdict = 'regressed' | 'improved' | 'same' | 'unknown';

/** The figures behind one paired verdict (a cell's, or the whole matrix's). */
export interface PairedEstimate {
  /** Median head/base ratio minus 1 (−0.12 = head 12% slower). */
  readonly delta: number;
  /** Bootstrap interval of `delta` at level 1 − 2·alpha (the equivalence convention). */
  readonly deltaCi: readonly [number, number];
  /** One-sided exact signed-rank p-value of "head slower". */
  readonly pSlower: number;
  /** One-sided exact signed-rank p-value of "head faster". */
  readonly pFaster: number;
  readonly verdict: PairedVerdict;
  /** What the rounds establish (docs/statistics.md, "Verdict words and the gate policy"). */
  readonly evidence: Evidence;
  /** One line a person can read: why this verdict. */
  readonly reason: string;
}

/** One cell's paired comparison. */
export interface PairedCellResult extends PairedEstimate {
  readonly maxBatch: number;
  readonly users: number;
  /** Complete rounds used. */
  readonly rounds: number;
  /** Benjamini-Hochberg adjusted `pSlower` across cells. */
  readonly qSlower: number;
  /** Benjamini-Hochberg adjusted `pFaster` across cells. */
  readonly qFaster: number;
}

/**
 * The whole-matrix estimate: every cell's per-round ratios pooled, one precision-weighted value
 * per row and round (docs/statistics.md §11).
 */
export interface PairedOverall extends PairedEstimate {
  /** Distinct round indices that contributed. */
  readonly rounds: number;
  /** Independent units tested: a row's round (max_batch × round index) with a complete pair. */
  readonly units: number;
  /** Ratios pooled (cells × their rounds). */
  readonly pairs: number;
}

/** The result of {@link comparePaired}. */
export interface PairedComparison {
  readonly cells: readonly PairedCellResult[];
  /** Absent when no cell had enough rounds. */
  readonly overall?: PairedOverall;
  readonly alpha: number;
  /**
   * Looks at the rounds (max-rounds − min-rounds + 1): a q or p counts as significant at
   * `alpha / looks` (docs/statistics.md, "Paired mode"). Absent in comparisons stored before it: 1.
   */
  readonly looks?: number;
  readonly minEffect: number;
  /** The rule that decided `regressed` and `improved`. */
  readonly rule: RegressionRule;
}
