/**
 * dps against users, one line per max_batch (the study's first question as a picture): a
 * Mermaid `xychart-beta` line chart, checked in headless Chromium like the trend chart
 * (test/render/). GitHub draws no legend for xychart, so a caption names each line's colour.
 * Under `gate-metric: responses` it plots responses/s instead, the figure of the table above it
 * (docs/statistics.md, "Gate metric"). Only numbers and fixed words reach the chart.
 */
import type { Cell, RunResult } from '../model/run-result.js';
import { formatNumber } from '../format-number.js';
import { niceCeiling, SERIES_STYLES } from './render-trend.js';

/** The chart's title, as mermaid renders it. */
export const DPS_CHART_TITLE = 'dps vs users per max_batch';
/** The chart's title under `gate-metric: responses`. */
export const RESPONSES_CHART_TITLE = 'responses/s vs users per max_batch';

/** What the chart plots: the words it uses and each cell's figure. */
interface ChartedMetric {
  readonly title: string;
  readonly heading: string;
  /** The y axis title and the caption's name of the figure. */
  readonly unit: string;
  readonly note: string;
  readonly valueOf: (cell: Cell) => number | undefined;
}

const METRICS: Readonly<Record<'dps' | 'responses', ChartedMetric>> = {
  dps: { title: DPS_CHART_TITLE, heading: 'dps vs users', unit: 'dps', note: '', valueOf: (cell) => cell.dpsMedian },
  responses: {
    title: RESPONSES_CHART_TITLE,
    heading: 'Responses/s vs users',
    unit: 'responses/s',
    note: " (the gate's metric)",
    valueOf: (cell) => cell.responsesPerSecondMedian,
  },
};

/** Rows drawn: loaded rows whose every users column has a measured figure, at most one per colour. */
function chartedRows(
  run: RunResult,
  users: readonly number[],
  metric: ChartedMetric,
): { maxBatch: number; values: number[] }[] {
  const rows = [...new Set(run.rows.filter((row) => row.status === 'ok').map((row) => row.maxBatch))];
  return rows
    .map((maxBatch) => ({
      maxBatch,
      values: users.map((u) => {
        const cell = run.cells.find((c) => c.maxBatch === maxBatch && c.users === u);
        return cell === undefined ? 0 : (metric.valueOf(cell) ?? 0);
      }),
    }))
    .filter((row) => row.values.every((value) => value > 0))
    .slice(0, SERIES_STYLES.length);
}

/** The Mermaid source (without fences), or undefined with fewer than two users columns. */
function renderDpsChart(run: RunResult, metric: ChartedMetric): string | undefined {
  const users = [...new Set(run.cells.map((cell) => cell.users))].sort((a, b) => a - b);
  const rows = chartedRows(run, users, metric);
  if (users.length < 2 || rows.length === 0) return undefined;
  const yMax = niceCeiling(Math.max(...rows.flatMap((row) => row.values)) * 1.05);
  const palette = rows.map((_, index) => SERIES_STYLES[index]?.color).join(', ');
  return [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title "${metric.title}"`,
    `  x-axis "users" [${users.map((u) => `"${u}"`).join(', ')}]`,
    `  y-axis "${metric.unit}" 0 --> ${formatNumber(yMax, 'chart')}`,
    ...rows.map(
      (row) =>
        `  line "max_batch ${row.maxBatch}" [${row.values.map((value) => formatNumber(value, 'chart')).join(', ')}]`,
    ),
  ].join('\n');
}

/**
 * The chart section with its colour caption, or undefined when there is nothing to draw. With
 * `isGatedOnResponses` (`gate-metric: responses`) it plots each cell's median responses/s.
 */
export function renderDpsChartSection(
  run: RunResult,
  options: { readonly isGatedOnResponses?: boolean } = {},
): string | undefined {
  const metric = METRICS[options.isGatedOnResponses === true ? 'responses' : 'dps'];
  const chart = renderDpsChart(run, metric);
  if (chart === undefined) return undefined;
  const users = [...new Set(run.cells.map((cell) => cell.users))].sort((a, b) => a - b);
  const rows = chartedRows(run, users, metric);
  const swatches = rows
    .map((row, index) => `${SERIES_STYLES[index]?.swatch ?? ''} ${index === 0 ? 'max_batch ' : ''}${row.maxBatch}`)
    .join(' · ');
  return [
    `#### ${metric.heading}`,
    `${swatches} · median ${metric.unit} per cell${metric.note}; y from 0.`,
    ['```mermaid', chart, '```'].join('\n'),
  ].join('\n\n');
}
