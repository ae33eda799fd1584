/**
 * dps against users, one line per max_batch (the study's first question as a picture): a
 * Mermaid `xychart-beta` line chart, checked in headless Chromium like the trend chart
 * (test/render/). GitHub draws no legend for xychart, so a caption names each line's colour.
 * Only numbers and fixed words reach the chart.
 */
import type { RunResult } from '../model/run-result.js';
import { formatNumber } from '../format-number.js';
import { niceCeiling, SERIES_STYLES } from './render-trend.js';

/** The chart's title, as mermaid renders it. */
export const DPS_CHART_TITLE = 'dps vs users per max_batch';

/** Rows drawn: loaded rows whose every users column has a measured dps, at most one per colour. */
function chartedRows(run: RunResult, users: readonly number[]): { maxBatch: number; dps: number[] }[] {
  const rows = [...new Set(run.rows.filter((row) => row.status === 'ok').map((row) => row.maxBatch))];
  return rows
    .map((maxBatch) => ({
      maxBatch,
      dps: users.map((u) => run.cells.find((cell) => cell.maxBatch === maxBatch && cell.users === u)?.dpsMedian ?? 0),
    }))
    .filter((row) => row.dps.every((value) => value > 0))
    .slice(0, SERIES_STYLES.length);
}

/** The Mermaid source (without fences), or undefined with fewer than two users columns. */
function renderDpsChart(run: RunResult): string | undefined {
  const users = [...new Set(run.cells.map((cell) => cell.users))].sort((a, b) => a - b);
  const rows = chartedRows(run, users);
  if (users.length < 2 || rows.length === 0) return undefined;
  const yMax = niceCeiling(Math.max(...rows.flatMap((row) => row.dps)) * 1.05);
  const palette = rows.map((_, index) => SERIES_STYLES[index]?.color).join(', ');
  return [
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title "${DPS_CHART_TITLE}"`,
    `  x-axis "users" [${users.map((u) => `"${u}"`).join(', ')}]`,
    `  y-axis "dps" 0 --> ${formatNumber(yMax, 'chart')}`,
    ...rows.map(
      (row) =>
        `  line "max_batch ${row.maxBatch}" [${row.dps.map((value) => formatNumber(value, 'chart')).join(', ')}]`,
    ),
  ].join('\n');
}

/** The chart section with its colour caption, or undefined when there is nothing to draw. */
export function renderDpsChartSection(run: RunResult): string | undefined {
  const chart = renderDpsChart(run);
  if (chart === undefined) return undefined;
  const users = [...new Set(run.cells.map((cell) => cell.users))].sort((a, b) => a - b);
  const rows = chartedRows(run, users);
  const swatches = rows
    .map((row, index) => `${SERIES_STYLES[index]?.swatch ?? ''} ${index === 0 ? 'max_batch ' : ''}${row.maxBatch}`)
    .join(' · ');
  return [
    '#### dps vs users',
    `${swatches} · median dps per cell; y from 0.`,
    ['```mermaid', chart, '```'].join('\n'),
  ].join('\n\n');
}
