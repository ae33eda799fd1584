/**
 * The trend over stored history (docs/architecture.md#comparison-store-and-reports): a Mermaid `xychart-beta` of the best dps per
 * max_batch over the last runs, and the same numbers as a plain table for places where Mermaid
 * does not render. GitHub's Mermaid draws no legend for xychart (mermaid-js/mermaid#5292), so
 * the colours are pinned with an init directive and named in a caption of coloured squares.
 * Keep `xychart-beta`: GitHub bundles a Mermaid older than the plain `xychart` keyword.
 */
import type { HistoryPoint } from '../model/comparison.js';
import { escapeMarkdown, shortSha } from './escape-markdown.js';
import { formatNumber, NO_VALUE } from '../format-number.js';
import { renderMarkdownTable, type Align } from './markdown-table.js';

/** Runs shown: enough to see a trend, few enough for readable x labels. */
export const TREND_RUNS = 20;

/** Line colours and the emoji squares that name them in the caption (close in hue). */
export const SERIES_STYLES: readonly { readonly color: string; readonly swatch: string }[] = [
  { color: '#1f77b4', swatch: '🟦' },
  { color: '#f4900c', swatch: '🟧' },
  { color: '#2ca02c', swatch: '🟩' },
  { color: '#d62728', swatch: '🟥' },
  { color: '#9467bd', swatch: '🟪' },
  { color: '#8c564b', swatch: '🟫' },
  { color: '#d4a000', swatch: '🟨' },
  { color: '#333333', swatch: '⬛' },
];

/** The runs and series a trend shows. */
export interface TrendData {
  /** The last runs, oldest first; the last is the current run. */
  readonly points: readonly HistoryPoint[];
  /**
   * One x label per point: its 1-based position in the window. Positions, not shas: Mermaid
   * does not rotate band labels, so 20 seven-letter shas overlap; the table maps them.
   */
  readonly labels: readonly string[];
  /** max_batch values with a value in every point, ascending, at most one per style. */
  readonly charted: readonly number[];
  /** max_batch values seen in the window but not charted (gaps, or too many lines). */
  readonly notCharted: readonly number[];
}

/** Selects the window and series of the trend from `history` (oldest first). */
export function selectTrend(history: readonly HistoryPoint[]): TrendData {
  const points = history.slice(-TREND_RUNS);
  const seen = [...new Set(points.flatMap((point) => Object.keys(point.bestDps).map(Number)))]
    .filter((maxBatch) => Number.isFinite(maxBatch))
    .sort((a, b) => a - b);
  const complete = seen.filter((maxBatch) => points.every((point) => isFiniteNumber(point.bestDps[String(maxBatch)])));
  const charted = complete.slice(0, SERIES_STYLES.length);
  return {
    points,
    labels: points.map((_, index) => String(index + 1)),
    charted,
    notCharted: seen.filter((maxBatch) => !charted.includes(maxBatch)),
  };
}

/** The chart section, or a one-line note when there are fewer than two runs to draw. */
export function renderTrendChartSection(trend: TrendData): string {
  if (trend.points.length < 2 || trend.charted.length === 0) {
    return '_Trend: a chart of the best dps per max_batch appears once two runs are stored._';
  }
  const swatches = trend.charted
    .map((maxBatch, index) => `${SERIES_STYLES[index]?.swatch ?? ''} ${index === 0 ? 'max_batch ' : ''}${maxBatch}`)
    .join(' · ');
  const skipped = trend.notCharted.length > 0 ? ` Not drawn: ${describeNotCharted(trend)}.` : '';
  return [
    `#### Trend: best dps per max_batch, last ${trend.points.length} runs`,
    `${swatches} · x: run, 1 = oldest, ${trend.points.length} = this run (commits in the table below).${skipped}`,
    ['```mermaid', renderTrendChart(trend), '```'].join('\n'),
  ].join('\n\n');
}

/** Why rows are missing from the chart: no value in this run, gaps in history, too many lines. */
function describeNotCharted(trend: TrendData): string {
  const last = trend.points.at(-1)?.bestDps ?? {};
  const reasons: [string, number[]][] = [
    ['no value in this run', []],
    ['no value in some earlier runs', []],
    ['more lines than colours', []],
  ];
  for (const maxBatch of trend.notCharted) {
    const isComplete = trend.points.every((point) => isFiniteNumber(point.bestDps[String(maxBatch)]));
    const index = isComplete ? 2 : isFiniteNumber(last[String(maxBatch)]) ? 1 : 0;
    reasons[index]?.[1].push(maxBatch);
  }
  return reasons
    .filter(([, rows]) => rows.length > 0)
    .map(([reason, rows]) => `max_batch ${rows.join(', ')} (${reason})`)
    .join('; ');
}

/** The Mermaid source of the chart (without fences). Only numbers and sanitised labels. */
export function renderTrendChart(trend: TrendData): string {
  const values = trend.charted.map((maxBatch) => trend.points.map((point) => point.bestDps[String(maxBatch)] ?? 0));
  // Not from 0: a 10% dip must be visible, and the axis is labelled, so nothing is hidden.
  const yMin = niceFloor(Math.min(...values.flat()) * 0.9);
  const yMax = niceCeiling(Math.max(...values.flat()) * 1.05);
  const palette = trend.charted.map((_, index) => SERIES_STYLES[index]?.color).join(', ');
  return [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    '  title "Best dps per max_batch"',
    `  x-axis "run" [${trend.labels.map((label) => `"${label}"`).join(', ')}]`,
    `  y-axis "dps" ${formatNumber(yMin, 'chart')} --> ${formatNumber(yMax, 'chart')}`,
    ...trend.charted.map((maxBatch, index) => {
      const data = (values[index] ?? []).map((value) => formatNumber(value, 'chart')).join(', ');
      return `  line "max_batch ${maxBatch}" [${data}]`;
    }),
  ].join('\n');
}

/** The same numbers as a table in a collapsed block, or `undefined` with fewer than two runs. */
export function renderTrendTableSection(trend: TrendData): string | undefined {
  if (trend.points.length < 2) return undefined;
  const columns = [...trend.charted, ...trend.notCharted].sort((a, b) => a - b);
  const lastIndex = trend.points.length - 1;
  const table = renderMarkdownTable({
    header: ['run', 'commit', 'date', ...columns.map((maxBatch) => `max_batch ${maxBatch}`)],
    rows: trend.points.map((point, index) => [
      index === lastIndex ? `**${trend.labels[index] ?? ''}** (this run)` : (trend.labels[index] ?? ''),
      commitLabel(point),
      isoDate(point.startedAt),
      ...columns.map((maxBatch) => formatNumber(point.bestDps[String(maxBatch)], 'dps')),
    ]),
    align: ['right', 'left', 'left', ...columns.map((): Align => 'right')],
  });
  return ['<details><summary>Trend as a table</summary>', table, '</details>'].join('\n\n');
}

function commitLabel(point: HistoryPoint): string {
  const sha = shortSha(point.sha);
  if (sha !== undefined) return `\`${sha}\``;
  return point.sha === undefined ? NO_VALUE : escapeMarkdown(point.sha, 12);
}

function isoDate(text: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : NO_VALUE;
}

const ROUND_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) ≥ `value`: the y axis top. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = ROUND_STEPS.find((factor) => factor * magnitude >= value) ?? 10;
  return step * magnitude;
}

/** The largest round number (same steps as {@link niceCeiling}) ≤ `value`; 0 for `value` < 1. */
export function niceFloor(value: number): number {
  if (!(value >= 1)) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [...ROUND_STEPS].reverse().find((factor) => factor * magnitude <= value) ?? 1;
  return step * magnitude;
}

function isFiniteNumber(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}
