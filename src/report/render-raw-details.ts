/**
 * Raw numbers of every cell in a collapsed block (docs/architecture.md#comparison-store-and-reports): the trials' dps, CV, the baseline
 * and the statistics behind each verdict, the reasons, then latency percentiles and Triton's
 * queue/compute split. Two tables rather than one wide one, so neither is squeezed into a tall column of
 * wrapped numbers. It is the first section dropped when the comment is too long.
 */
import type { Cell, Trial } from '../model/run-result.js';
import type { CellComparison } from '../model/comparison.js';
import { escapeMarkdown } from './escape-markdown.js';
import { formatNumber, NO_VALUE } from '../format-number.js';
import { renderMarkdownTable, type Align } from './markdown-table.js';
import type { MatrixView } from './matrix-view.js';
import { LEGEND_ORDER, VERDICT_MARKS } from './verdict-marks.js';
import { cellWords, type WordContext } from '../stats/evidence-words.js';
import { responsesTrial } from '../stats/gate-metric.js';

/** Longest verdict reason shown. */
const MAX_REASON_CHARS = 200;

/** A reason shared by more cells than this gives a count instead of the list of cells. */
const MAX_CELLS_LISTED = 6;

/** Keeps a list of trial figures on one line in a table cell. */
const NBSP_DOT = '&nbsp;·&nbsp;';

interface RawCell {
  readonly label: string;
  readonly cell: Cell | undefined;
  readonly comparison: CellComparison | undefined;
}

/**
 * The collapsed raw-numbers block over every cell of `view`, row-major; `fingerprint` (what the
 * run measured on, render-fingerprint.ts) closes it when given.
 */
/** How the comparison was made, for the verdicts' words and the interval's heading. */
export interface RawDetailsOptions {
  /** Present when the cells carry evidence: the verdict column shows its words. */
  readonly words?: WordContext;
  /** Level of `deltaCi` (0.9 for alpha 0.05); absent: comparisons that did not record it, 95%. */
  readonly intervalLevel?: number;
  /** `gate-metric: responses`: the trials' and the baseline's figures are responses/s. */
  readonly isGatedOnResponses?: boolean;
}

export function renderRawDetailsSection(
  view: MatrixView,
  fingerprint?: string,
  options: RawDetailsOptions = {},
): string {
  const cells: RawCell[] = [];
  for (const maxBatch of view.maxBatches) {
    for (const users of view.users) {
      const cell = view.cell(maxBatch, users);
      const comparison = view.comparison(maxBatch, users);
      if (cell === undefined && comparison === undefined) continue;
      cells.push({ label: `${maxBatch} × ${users}`, cell, comparison });
    }
  }
  const level =
    options.intervalLevel === undefined ? '95% CI' : `${formatNumber(options.intervalLevel, 'level')} interval`;
  const unit = options.isGatedOnResponses === true ? 'responses/s' : 'dps';
  const statistics = renderMarkdownTable({
    header: [
      'max_batch × users',
      'verdict',
      `${unit} of each trial`,
      'CV',
      `baseline ${unit} (n)`,
      `Δ [${level}]`,
      'q',
    ],
    rows: cells.map((cell) => statisticsRow(cell, options)),
    align: ['left', 'left', 'left', 'right', 'right', 'left', 'right'],
  });
  const timing = renderMarkdownTable({
    header: ['max_batch × users', 'p50 ms', 'p90 ms', 'p99 ms', 'queue µs', 'compute µs'],
    rows: cells.map(timingRow),
    align: ['left', ...Array<Align>(5).fill('right')],
  });
  return [
    `<details><summary>Raw numbers: ${cells.length} cells, every trial</summary>`,
    statistics,
    renderReasons(cells),
    timing,
    ...(fingerprint === undefined ? [] : [fingerprint]),
    '</details>',
  ].join('\n\n');
}

/**
 * Why each verdict, grouped by reason and listed regressions first: the same reason for 36
 * unchanged cells is one line, so the few cells that need explaining are not lost among repeats.
 */
function renderReasons(cells: readonly RawCell[]): string {
  const groups = new Map<string, { verdict: CellComparison['verdict']; labels: string[] }>();
  for (const { label, comparison } of cells) {
    if (comparison === undefined) continue;
    const key = `${comparison.verdict}\n${comparison.reason}`;
    const group = groups.get(key) ?? { verdict: comparison.verdict, labels: [] };
    group.labels.push(label);
    groups.set(key, group);
  }
  const byAttention = [...groups.entries()].sort(
    ([, a], [, b]) => LEGEND_ORDER.indexOf(a.verdict) - LEGEND_ORDER.indexOf(b.verdict),
  );
  const lines = byAttention.map(([key, group]) => {
    const reason = escapeMarkdown(key.slice(key.indexOf('\n') + 1), MAX_REASON_CHARS);
    const count = group.labels.length;
    const where = count > MAX_CELLS_LISTED ? `${count} cells` : group.labels.join(', ');
    return `- ${VERDICT_MARKS[group.verdict].mark} ${where}: ${reason === '' ? NO_VALUE : reason}`;
  });
  return ['Why:', ...lines].join('\n');
}

function statisticsRow({ label, cell, comparison }: RawCell, options: RawDetailsOptions): string[] {
  const { words } = options;
  const said = comparison === undefined || words === undefined ? undefined : cellWords(comparison, words);
  const verdict =
    comparison === undefined
      ? NO_VALUE
      : `${VERDICT_MARKS[comparison.verdict].mark}&nbsp;${comparison.verdict}${said === undefined ? '' : `: ${said}`}`;
  return [
    label,
    cell?.status === 'noisy' ? `${verdict} (noisy)` : verdict,
    cell === undefined
      ? NO_VALUE
      : trialsText(options.isGatedOnResponses === true ? cell.trials.map(responsesTrial) : cell.trials),
    // On responses/s the compared side's CV is the responses/s one (stats/gate-metric.ts).
    isMeasured(cell)
      ? formatNumber(options.isGatedOnResponses === true ? (comparison?.current?.cv ?? cell.cv) : cell.cv, 'percent')
      : NO_VALUE,
    baselineText(comparison),
    deltaText(comparison),
    formatNumber(comparison?.qValue, 'pvalue'),
  ];
}

function timingRow({ label, cell }: RawCell): string[] {
  if (!isMeasured(cell)) return [label, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE, NO_VALUE];
  const { p50, p90, p99 } = cell.latencyMs;
  return [
    label,
    ...[p50, p90, p99].map((value) => formatNumber(value, 'ms')),
    formatNumber(cell.server?.queueUs, 'us'),
    formatNumber(cell.server?.computeUs, 'us'),
  ];
}

function isMeasured(cell: Cell | undefined): cell is Cell {
  return cell !== undefined && cell.status !== 'failed';
}

/** Every trial's dps; a trial with errors shows its error count instead (never averaged in). */
function trialsText(trials: readonly Trial[]): string {
  if (trials.length === 0) return NO_VALUE;
  return trials
    .map((trial) =>
      trial.errors > 0 ? `✗${formatNumber(trial.errors, 'count')}&nbsp;errors` : formatNumber(trial.dps, 'dps'),
    )
    .join(NBSP_DOT);
}

function baselineText(comparison: CellComparison | undefined): string {
  const baseline = comparison?.baseline;
  if (baseline === undefined) return NO_VALUE;
  return `${formatNumber(baseline.dpsMedian, 'dps')} (${baseline.trials})`;
}

function deltaText(comparison: CellComparison | undefined): string {
  if (comparison?.delta === undefined) return NO_VALUE;
  const delta = formatNumber(comparison.delta, 'delta');
  const ci = comparison.deltaCi;
  if (ci === undefined) return delta;
  return `${delta} [${formatNumber(ci[0], 'delta')},&nbsp;${formatNumber(ci[1], 'delta')}]`;
}
