/**
 * Failed rows and cells with Triton's own message (docs/architecture.md#measurement: a row that cannot be loaded is
 * reported `failed` with Triton's message). Messages are untrusted: escaped and truncated.
 */
import type { Row, RunResult } from '../model/run-result.js';
import { escapeMarkdown, escapeMarkdownLines } from './escape-markdown.js';
import { usersRange } from './matrix-view.js';

/** Longest server message shown: enough for a TensorRT build error's few telling lines. */
export const MAX_MESSAGE_CHARS = 1_000;

/** Most distinct failed-cell messages listed; the rest are counted. */
const MAX_CELL_GROUPS = 10;

/** What happened to a failed row, in words: a load, a request and a stream error read differently. */
export function rowFailureWords(row: Pick<Row, 'failure'>): string {
  switch (row.failure) {
    case 'request':
      return 'failed its first request';
    case 'stream':
      return 'failed its first request on the stream';
    default:
      // Runs stored before `failure` existed: every failed row was reported this way.
      return 'did not load';
  }
}

/**
 * The failures section, or `undefined` when nothing failed. Rows that did not load come first;
 * failed cells of loaded rows are grouped by row and message.
 */
export function renderFailuresSection(run: RunResult): string | undefined {
  const failedRows = run.rows.filter((row) => row.status === 'failed');
  const rowLines = failedRows.map((row) => {
    const model = escapeMarkdown(row.model, 100);
    return `- **max_batch ${row.maxBatch}** ${rowFailureWords(row)} (model **${model}**):<br>${message(row.message)}`;
  });
  const failedRowSet = new Set(failedRows.map((row) => row.maxBatch));
  const groups = groupFailedCells(run, failedRowSet);
  const cellLines = groups
    .slice(0, MAX_CELL_GROUPS)
    .map((group) => `- **max_batch ${group.maxBatch}**, ${usersRange(group.users)}:<br>${message(group.message)}`);
  if (groups.length > MAX_CELL_GROUPS) {
    cellLines.push(`- … and ${groups.length - MAX_CELL_GROUPS} more groups of failed cells`);
  }
  const lines = [...rowLines, ...cellLines];
  return lines.length === 0 ? undefined : ['#### Failures', lines.join('\n')].join('\n\n');
}

interface FailedCellGroup {
  readonly maxBatch: number;
  readonly message: string;
  readonly users: number[];
}

function groupFailedCells(run: RunResult, failedRows: ReadonlySet<number>): FailedCellGroup[] {
  const groups = new Map<string, FailedCellGroup>();
  for (const cell of run.cells) {
    // A cell that still measured but had errored trials is named too: its message carries the
    // gRPC status and the server's text, which the dps table's error count alone does not.
    const hasErrors = cell.trials.some((trial) => trial.errors > 0);
    if ((cell.status !== 'failed' && !hasErrors) || failedRows.has(cell.maxBatch)) continue;
    const text = cell.message ?? cell.trials.find((trial) => trial.firstError !== undefined)?.firstError ?? '';
    const key = `${cell.maxBatch}\n${text}`;
    const group = groups.get(key) ?? { maxBatch: cell.maxBatch, message: text, users: [] };
    group.users.push(cell.users);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function message(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '_no message from the server_';
  return escapeMarkdownLines(text, MAX_MESSAGE_CHARS);
}
