/**
 * The server cross-check (docs/statistics.md, "The server's own rate over the same window"):
 * per cell, the client's median dps against Triton's own inference rate over the same windows;
 * a cell whose two figures differ by more than 2 % is named. Pure.
 */
import type { Cell } from '../model/run-result.js';
import type { ConclusionLine } from './find-conclusions.js';
import { formatNumber } from '../format-number.js';
import { cellLabel } from './matrix-view.js';

/** Largest |server / client − 1| that still counts as agreement. */
export const CROSS_CHECK_TOLERANCE = 0.02;

/** Most disagreeing cells named in one sentence; the rest are counted. */
const MAX_NAMED = 6;

/** `server / client − 1` of a cell, when both figures exist. */
export function serverGap(cell: Cell): number | undefined {
  if (cell.serverDpsMedian === undefined || !(cell.dpsMedian > 0)) return undefined;
  return cell.serverDpsMedian / cell.dpsMedian - 1;
}

/** One line: agreement in every checked cell, or the cells that disagree; none without data. */
export function crossCheckLines(cells: readonly Cell[]): ConclusionLine[] {
  const checked = cells.flatMap((cell) => {
    const gap = serverGap(cell);
    return gap === undefined ? [] : [{ cell, gap }];
  });
  if (checked.length === 0) return [];
  const off = checked.filter(({ gap }) => Math.abs(gap) > CROSS_CHECK_TOLERANCE);
  const worst = Math.max(...checked.map(({ gap }) => Math.abs(gap)));
  const tolerance = formatNumber(CROSS_CHECK_TOLERANCE, 'level');
  if (off.length === 0) {
    return [
      {
        topic: 'Server cross-check',
        text: `client dps and Triton's own rate over the same windows agree within ${tolerance} in all ${checked.length} cells (largest gap ${formatNumber(worst, 'percent')}).`,
      },
    ];
  }
  const named = off
    .slice(0, MAX_NAMED)
    .map(({ cell, gap }) => `${cellLabel(cell.maxBatch, cell.users)} (server ${formatNumber(gap, 'delta')})`);
  const more = off.length > MAX_NAMED ? ` and ${off.length - MAX_NAMED} more` : '';
  return [
    {
      topic: 'Server cross-check',
      text: `⚠️ ${off.length} of ${checked.length} cells differ from Triton's own rate by more than ${tolerance}: ${named.join(', ')}${more}.`,
    },
  ];
}
