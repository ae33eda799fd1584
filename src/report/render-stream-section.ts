/**
 * What a decoupled (streaming) model adds to the report (docs/models.md#decoupled-models):
 * responses/s per cell (tokens/s when each response carries one token), the time to the first
 * response and the time between responses, p50 / p99. Absent for runs without streaming cells.
 * With `gate-metric: responses` the main table is responses/s, so this section shows dps instead.
 */
import { formatNumber, NO_VALUE } from '../format-number.js';
import type { Cell, ResponseTimesMs } from '../model/run-result.js';
import { renderMarkdownTable, type Align } from './markdown-table.js';
import type { MatrixView } from './matrix-view.js';

/** True when some cell of the run has streaming figures. */
export function hasStreamCells(cells: readonly Cell[]): boolean {
  return cells.some((cell) => cell.responsesPerSecondMedian !== undefined);
}

/** `responses/s` of a cell, or a dash. */
export function responsesText(cell: Cell | undefined): string {
  return cell === undefined || cell.status === 'failed' ? NO_VALUE : formatNumber(cell.responsesPerSecondMedian, 'dps');
}

function timesText(times: ResponseTimesMs | undefined): string {
  return times === undefined ? NO_VALUE : `${formatNumber(times.p50, 'ms')} / ${formatNumber(times.p99, 'ms')}`;
}

/** `p50 / p99` time to first response of a cell, ms, or a dash. */
export function firstResponseText(cell: Cell | undefined): string {
  return timesText(cell?.status === 'failed' ? undefined : cell?.firstResponseMs);
}

/**
 * `p50 / p99` time between consecutive responses of one request, ms, or a dash (also when no
 * request of the cell had two responses).
 */
export function betweenResponsesText(cell: Cell | undefined): string {
  return timesText(cell?.status === 'failed' ? undefined : cell?.betweenResponsesMs);
}

/** The streaming tables as markdown, or undefined when no cell streamed. */
export function renderStreamSection(
  view: MatrixView,
  cells: readonly Cell[],
  options: { readonly isGatedOnResponses?: boolean } = {},
): string | undefined {
  if (!hasStreamCells(cells)) return undefined;
  const table = (text: (cell: Cell | undefined) => string): string =>
    renderMarkdownTable({
      header: ['max_batch', ...view.users.map(String)],
      rows: view.maxBatches.map((maxBatch) => [
        `**${maxBatch}**`,
        ...view.users.map((users) => text(view.cell(maxBatch, users))),
      ]),
      align: ['left', ...view.users.map((): Align => 'right')],
    });
  const rate = options.isGatedOnResponses
    ? [
        '#### Throughput (data items/s; the gate compares responses/s above)',
        table((cell) =>
          cell === undefined || cell.status === 'failed' ? NO_VALUE : formatNumber(cell.dpsMedian, 'dps'),
        ),
      ]
    : [
        '#### Responses/s (streaming: every non-empty response; tokens/s for one token per response)',
        table(responsesText),
      ];
  const between = cells.some((cell) => cell.betweenResponsesMs !== undefined)
    ? ['#### Time between responses (ms, p50 / p99; within one request)', table(betweenResponsesText)]
    : [];
  return [...rate, '#### Time to first response (ms, p50 / p99)', table(firstResponseText), ...between].join('\n\n');
}
