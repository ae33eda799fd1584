/**
 * The server cross-check (docs/statistics.md, "The server's own rate over the same window"):
 * per cell, the client's median dps against Triton's own inference rate over the same windows;
 * a cell whose two figures differ by more than 2 % disagrees. Pure.
 */
import type { Cell } from '../model/run-result.js';

/** Largest |server / client − 1| that still counts as agreement. */
export const CROSS_CHECK_TOLERANCE = 0.02;

/** `server / client − 1` of a cell, when both figures exist. */
export function serverGap(cell: Cell): number | undefined {
  if (cell.serverDpsMedian === undefined || !(cell.dpsMedian > 0)) return undefined;
  return cell.serverDpsMedian / cell.dpsMedian - 1;
}

/** A cell whose client and server rates disagree. */
export interface GapCell {
  readonly maxBatch: number;
  readonly users: number;
  /** `server / client − 1`. */
  readonly gap: number;
}

/** The cross-check over the cells that have both figures. */
export interface CrossCheck {
  /** Cells with both figures. */
  readonly checked: number;
  /** Largest |gap| among them. */
  readonly worstGap: number;
  /** Cells beyond the tolerance, in the cells' order. */
  readonly disagreeing: readonly GapCell[];
}

/** The cross-check, or undefined when no cell has both figures. */
export function findCrossCheck(cells: readonly Cell[]): CrossCheck | undefined {
  const checked = cells.flatMap((cell) => {
    const gap = serverGap(cell);
    return gap === undefined ? [] : [{ maxBatch: cell.maxBatch, users: cell.users, gap }];
  });
  if (checked.length === 0) return undefined;
  return {
    checked: checked.length,
    worstGap: Math.max(...checked.map(({ gap }) => Math.abs(gap))),
    disagreeing: checked.filter(({ gap }) => Math.abs(gap) > CROSS_CHECK_TOLERANCE),
  };
}
