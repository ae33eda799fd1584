/**
 * What the CLI prints after a run (README.md: the classic max_batch × users study, plus what it
 * lacked): dps, requests/s, p99 latency and formed-batch tables with rows max_batch and columns
 * users, then the recommendation, the conclusions and the failures. Plain text for a terminal: no markdown, no
 * colour, server text stripped of control characters.
 */
import { recommendationOf } from '../analysis/recommend.js';
import type { Cell, RunResult } from '../model/run-result.js';
import { toPlainLines, toPlainText } from './escape-markdown.js';
import { conclusionLines } from './conclusion-lines.js';
import { recommendationLines } from './recommendation-lines.js';
import { formatNumber, NO_VALUE } from '../format-number.js';
import { buildRunView, type MatrixView } from './matrix-view.js';
import { MAX_MESSAGE_CHARS, rowFailureWords } from './render-failures.js';
import { renderTextTable } from './text-table.js';
import { hasSequenceCells, SEQUENCES_TITLE, sequencesText } from './render-sequence-section.js';
import { betweenResponsesText, firstResponseText, hasStreamCells, responsesText } from './render-stream-section.js';

/** Marks a noisy cell's figure in the terminal tables (robust spread above max-cv after re-runs). */
const NOISY_MARK = '~';
const FAILED_TEXT = 'failed';

/** The tables, recommendation, conclusions and failures of `run` as plain text, without a trailing newline. */
export function renderRunTables(run: RunResult): string {
  const view = buildRunView(run);
  const size =
    run.method.trialSeconds === undefined ? `${run.method.requests} requests` : `${run.method.trialSeconds} s windows`;
  const trials = `${medianOf(run)} × ${size}`;
  const items = run.method.itemsPerRequest;
  const rpsTitle =
    items === 1 ? 'Requests/s (1 item per request: equal to dps)' : `Requests/s (${items} items per request)`;
  const blocks = [
    table(view, `Throughput (data items/s), ${trials}`, (cell) => formatNumber(cell.dpsMedian, 'dps')),
    table(view, rpsTitle, (cell) => formatNumber(cell.rpsMedian, 'dps')),
    table(view, 'p99 latency (ms)', (cell) => formatNumber(cell.latencyMs.p99, 'ms')),
    table(view, 'Formed batch (Triton: inferences per execution)', (cell) =>
      formatNumber(cell.server?.avgBatch, 'batch'),
    ),
  ];
  if (hasSequenceCells(run.cells)) blocks.push(table(view, `${SEQUENCES_TITLE})`, sequencesText));
  if (hasStreamCells(run.cells)) {
    blocks.push(
      table(view, 'Responses/s (streaming; tokens/s for one token per response)', responsesText),
      table(view, 'Time to first response (ms, p50 / p99)', firstResponseText),
    );
    if (run.cells.some((cell) => cell.betweenResponsesMs !== undefined)) {
      blocks.push(table(view, 'Time between responses (ms, p50 / p99; within one request)', betweenResponsesText));
    }
  }
  // What the model's config decided (docs/models.md), first, as in the markdown header.
  const kind = run.method.modelKind;
  if (kind !== undefined) blocks.unshift(`Model: ${toPlainText(kind.reason, MAX_MESSAGE_CHARS)}`);
  if (run.cells.some((cell) => cell.status === 'noisy')) {
    blocks.push(`${NOISY_MARK} noisy: robust spread (1.4826·MAD/median) still above max-cv after re-runs`);
  }
  const recommended = recommendationLines(recommendationOf(run)).map(
    (line) => `Recommendation, ${line.topic}: ${line.text}`,
  );
  if (recommended.length > 0) blocks.push(recommended.join('\n'));
  const conclusions = conclusionLines(run).map((line) => `${line.topic}: ${line.text}`);
  if (conclusions.length > 0) blocks.push(conclusions.join('\n'));
  const failures = failureLines(run);
  if (failures.length > 0) blocks.push(['Failures', ...failures].join('\n'));
  const notes = run.notes.map((note) => `Note: ${toPlainText(note, MAX_MESSAGE_CHARS)}`);
  if (notes.length > 0) blocks.push(notes.join('\n'));
  return blocks.join('\n\n');
}

function table(view: MatrixView, title: string, value: (cell: Cell) => string): string {
  // Every figure gets a one-character suffix when any cell is noisy, so the digits stay aligned.
  const hasNoisy = view.maxBatches.some((maxBatch) =>
    view.users.some((users) => view.cell(maxBatch, users)?.status === 'noisy'),
  );
  const spacer = hasNoisy ? ' ' : '';
  return renderTextTable({
    title,
    header: ['max_batch \\ users', ...view.users.map((users) => `${users}${spacer}`)],
    rows: view.maxBatches.map((maxBatch) => [
      String(maxBatch),
      ...view.users.map((users) => {
        const cell = view.cell(maxBatch, users);
        if (cell === undefined) return NO_VALUE;
        if (cell.status === 'failed') return FAILED_TEXT;
        return `${value(cell)}${cell.status === 'noisy' ? NOISY_MARK : spacer}`;
      }),
    ]),
  });
}

function failureLines(run: RunResult): string[] {
  const failedRows = run.rows.filter((row) => row.status === 'failed');
  const failedSet = new Set(failedRows.map((row) => row.maxBatch));
  const rows = failedRows.map((row) => [
    `  max_batch ${row.maxBatch} ${rowFailureWords(row)}:`,
    ...messageLines(row.message),
  ]);
  const cells = run.cells
    .filter(
      (cell) =>
        (cell.status === 'failed' || cell.trials.some((trial) => trial.errors > 0)) && !failedSet.has(cell.maxBatch),
    )
    .map((cell) => [
      `  max_batch ${cell.maxBatch} / ${cell.users} ${cell.users === 1 ? 'user' : 'users'}:`,
      ...messageLines(cell.message),
    ]);
  return [...rows, ...cells].flat();
}

function messageLines(message: string | undefined): string[] {
  return toPlainLines(message ?? 'no message from the server', MAX_MESSAGE_CHARS).map((line) => `    ${line}`);
}

/** What each figure is the median of: trials, or a paired run's rounds (docs/statistics.md §11). */
function medianOf(run: RunResult): string {
  const rounds = run.cells.filter((cell) => cell.trials.length > 0).map((cell) => cell.trials.length);
  const { trials } = run.method;
  if (run.base === undefined || rounds.length === 0)
    return trials === 1 ? 'a single trial' : `median of ${trials} trials`;
  const [min, max] = [Math.min(...rounds), Math.max(...rounds)];
  return `head's median of ${min === max ? String(min) : `${min}–${max}`} paired rounds`;
}
