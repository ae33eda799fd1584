/**
 * What a sequence model adds to the report (docs/models.md#sequence-models): sequences/s per
 * cell, the sequences that ended inside the steady window per second (perf_analyzer's
 * `Sequence count: n (s seq/sec)`), beside the dps and requests/s tables. Absent for runs
 * without sequence cells.
 */
import { formatNumber, NO_VALUE } from '../format-number.js';
import type { Cell } from '../model/run-result.js';
import { renderMarkdownTable, type Align } from './markdown-table.js';
import type { MatrixView } from './matrix-view.js';

/** Title of the table, without the markdown heading marks. */
export const SEQUENCES_TITLE = 'Sequences/s (sequences that ended per second';

/** True when some cell of the run was measured in sequences. */
export function hasSequenceCells(cells: readonly Cell[]): boolean {
  return cells.some((cell) => cell.sequencesPerSecondMedian !== undefined);
}

/** `sequences/s` of a cell, or a dash. */
export function sequencesText(cell: Cell | undefined): string {
  return cell === undefined || cell.status === 'failed' ? NO_VALUE : formatNumber(cell.sequencesPerSecondMedian, 'dps');
}

/** The sequences/s table as markdown, or undefined when no cell ran sequences. */
export function renderSequenceSection(view: MatrixView, cells: readonly Cell[]): string | undefined {
  if (!hasSequenceCells(cells)) return undefined;
  const table = renderMarkdownTable({
    header: ['max_batch', ...view.users.map(String)],
    rows: view.maxBatches.map((maxBatch) => [
      `**${maxBatch}**`,
      ...view.users.map((users) => sequencesText(view.cell(maxBatch, users))),
    ]),
    align: ['left', ...view.users.map((): Align => 'right')],
  });
  return `#### ${SEQUENCES_TITLE}; perf_analyzer's seq/sec)\n\n${table}`;
}
