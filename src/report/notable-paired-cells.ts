/**
 * Which cells the paired Δ table lists (docs/answers.md#the-pr-comment): the comment leads with
 * the decision, so the table holds the cells whose verdict is not `same`, the `same` cells whose
 * change is significant but smaller than min-effect (`slower by < 5%`: a change across many cells
 * is worth a reviewer's look even when no cell fails), and the whole-matrix line; every cell's Δ
 * stays in the dps table and the raw numbers. Pure.
 */
import type { PairedCellResult, PairedComparison } from '../model/paired-comparison.js';

/** The cells the Δ table lists, in their order, and how many `same` cells it leaves to the dps table. */
export function notablePairedCells(paired: PairedComparison): {
  readonly listed: readonly PairedCellResult[];
  readonly sameCount: number;
} {
  const listed = paired.cells.filter((cell) => cell.verdict !== 'same' || cell.evidence.endsWith('-within'));
  return { listed, sameCount: paired.cells.length - listed.length };
}

/** The line under the Δ table naming the cells it leaves out; undefined when it lists every cell. */
export function sameCellsNote(sameCount: number, minEffect: string, table = 'dps'): string | undefined {
  if (sameCount === 0) return undefined;
  const cells = sameCount === 1 ? '1 cell is' : `${sameCount} cells are`;
  return `${cells} the same (no significant change, interval inside ±${minEffect}): not listed; the ${table} table shows every cell's Δ.`;
}
