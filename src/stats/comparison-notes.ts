/**
 * What the report should say about a comparison besides the per-cell verdicts: where the
 * baseline came from, fingerprint mismatches named with both values (docs/baseline-store.md#fingerprint:
 * reported, never silently compared), what the trial counts can and cannot detect, and confirmation results.
 */
import type { BaselineLoad } from '../model/baseline-store.js';
import type { RunResult } from '../model/run-result.js';
import type { BetweenRunNoise } from './between-run-noise.js';
import { cellKey } from '../model/cell-key.js';
import type { TestedCell } from './compare-cell.js';
import type { CellComparison, FingerprintMismatch } from '../model/comparison.js';
import { mismatchNote } from './fingerprint-mismatches.js';
import { formatNumber } from '../format-number.js';
import { minOneSidedPValue } from './mann-whitney.js';

/** Everything the notes are drawn from. */
export interface NotesInput {
  readonly run: RunResult;
  readonly baseline: BaselineLoad;
  /** The gate's false-discovery level. */
  readonly alpha: number;
  readonly tested: readonly TestedCell[];
  readonly cells: readonly CellComparison[];
  /** Run-to-run noise used by the between-run test and the thresholds. */
  readonly noise: BetweenRunNoise;
  /** Fingerprint differences from the baseline (fingerprint-mismatches.ts), most serious first. */
  readonly mismatches: readonly FingerprintMismatch[];
}

/**
 * The notes, in reading order: baseline, run-to-run noise, store notes, mismatches, resolution,
 * confirmation, noisy cells.
 */
export function comparisonNotes(input: NotesInput): string[] {
  return [
    ...baselineNotes(input.baseline),
    ...noiseNotes(input.baseline, input.noise),
    ...input.baseline.notes,
    ...input.mismatches.map(mismatchNote),
    ...resolutionNotes(input.tested, input.alpha),
    ...confirmationNotes(input.cells),
    ...noisyNotes(input.run),
  ];
}

function baselineNotes(baseline: BaselineLoad): string[] {
  const count = baseline.runs.length;
  if (count === 0) {
    return [`no baseline (selected by: ${baseline.selectedBy}): cells are new, none can regress`];
  }
  return [`baseline: ${count} stored run${count === 1 ? '' : 's'} pooled, selected by ${baseline.selectedBy}`];
}

function noiseNotes(baseline: BaselineLoad, noise: BetweenRunNoise): string[] {
  if (baseline.runs.length === 0) return [];
  if (noise.isAssumed) {
    return [
      `run-to-run noise not measured yet (one baseline run, fewer than 5 stored runs with cell ` +
        `medians): assumed ${formatNumber(noise.cv, 'percent')}, the larger of the trial CV and half of ` +
        'min-effect; pooled baseline runs or history replace the assumption (docs/statistics.md)',
    ];
  }
  const { fromRuns, fromHistory } = noise;
  const sources = [
    ...(fromRuns === undefined
      ? []
      : [`${formatNumber(fromRuns.cv, 'percent')} across ${fromRuns.runs} baseline runs`]),
    ...(fromHistory === undefined
      ? []
      : [`${formatNumber(fromHistory.cv, 'percent')} over ${fromHistory.points} stored runs`]),
  ];
  return [`run-to-run noise ${formatNumber(noise.cv, 'percent')} (${sources.join('; ')})`];
}

/**
 * The exact test cannot go below p = 1/C(n+m, n); BH across M cells flags k cells only when
 * their p-values are <= k·alpha/M. So with too few trials a change confined to a few cells can
 * never be significant, however large: say so, with the numbers of the worst-resolved cell.
 */
function resolutionNotes(tested: readonly TestedCell[], alpha: number): string[] {
  const cellCount = tested.length;
  let worst: { need: number; minP: number; n: number; m: number } | undefined;
  for (const cell of tested) {
    const n = cell.current.count;
    const m = cell.baseline.count;
    const minP = minOneSidedPValue(n, m);
    // The small tolerance keeps an exact boundary (minP·M = alpha·k) on the achievable side.
    const need = Math.max(1, Math.ceil((minP * cellCount) / alpha - 1e-9));
    if (worst === undefined || need > worst.need) worst = { need, minP, n, m };
  }
  if (worst === undefined || worst.need <= 1) return [];
  const lead =
    `with ${worst.n} current and ${worst.m} baseline trials the smallest possible p-value is ` +
    formatNumber(worst.minP, 'pvalue');
  const consequence =
    worst.need > cellCount
      ? `no cell can be significant after Benjamini-Hochberg across ${cellCount} cells`
      : `a change must show in at least ${worst.need} of ${cellCount} cells to be significant`;
  return [`${lead}: ${consequence}; pool more baseline runs or raise trials (docs/statistics.md)`];
}

function confirmationNotes(cells: readonly CellComparison[]): string[] {
  const remeasured = cells.filter((cell) => cell.confirmation !== undefined);
  if (remeasured.length === 0) return [];
  const list = remeasured.map((cell) => `${cellKey(cell.maxBatch, cell.users)} ${cell.confirmation ?? ''}`).join(', ');
  return [`re-measured ${remeasured.length} flagged cell${remeasured.length === 1 ? '' : 's'}: ${list}`];
}

function noisyNotes(run: RunResult): string[] {
  const noisy = run.cells.filter((cell) => cell.status === 'noisy');
  if (noisy.length === 0) return [];
  const keys = noisy.map((cell) => cellKey(cell.maxBatch, cell.users)).join(', ');
  const count = `${noisy.length} cell${noisy.length === 1 ? '' : 's'}`;
  return [`${count} stayed noisy after re-runs (${keys}): their verdicts are less certain`];
}
