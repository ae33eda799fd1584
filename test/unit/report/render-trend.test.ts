import { describe, expect, it } from 'vitest';
import {
  niceCeiling,
  niceFloor,
  renderTrendChart,
  renderTrendChartSection,
  renderTrendTableSection,
  selectTrend,
  TREND_RUNS,
} from '../../../src/report/render-trend.js';
import type { HistoryPoint } from '../../../src/model/comparison.js';

function point(index: number, bestDps: Record<string, number>, sha?: string): HistoryPoint {
  return {
    runId: `r${index}`,
    startedAt: `2026-04-${String(index + 1).padStart(2, '0')}T00:00:00Z`,
    bestDps,
    ...(sha && { sha }),
  };
}

describe('selectTrend', () => {
  it('keeps the last runs and charts only rows with a value in each of them', () => {
    const history = Array.from({ length: 30 }, (_, index) =>
      point(index, index === 29 ? { '8': 100, '16': 200 } : { '8': 100, '16': 200, '64': 300 }),
    );
    const trend = selectTrend(history);
    expect(trend.points).toHaveLength(TREND_RUNS);
    expect(trend.points.at(-1)?.runId).toBe('r29');
    expect(trend.charted).toEqual([8, 16]);
    expect(trend.notCharted).toEqual([64]);
    expect(trend.labels.slice(0, 3)).toEqual(['1', '2', '3']);
  });

  it('says why a row is not drawn', () => {
    const trend = selectTrend([point(0, { '8': 1, '64': 2 }), point(1, { '8': 1 })]);
    expect(renderTrendChartSection(trend)).toContain('Not drawn: max_batch 64 (no value in this run).');
  });
});

describe('renderTrendChart', () => {
  it('emits only numbers and fixed words, whatever the shas say', () => {
    const trend = selectTrend([point(0, { '8': 850.4 }, '"];alert(1)//'), point(1, { '8': 900 }, '@org/team')]);
    const chart = renderTrendChart(trend);
    expect(chart).toBe(
      [
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#1f77b4"}}}}%%',
        'xychart-beta',
        '  title "Best dps per max_batch"',
        '  x-axis "run" ["1", "2"]',
        '  y-axis "dps" 600 --> 1000',
        '  line "max_batch 8" [850, 900]',
      ].join('\n'),
    );
  });

  it('draws nothing but a note with a single run', () => {
    const trend = selectTrend([point(0, { '8': 1 })]);
    expect(renderTrendChartSection(trend)).toMatch(/^_Trend: .* once two runs are stored\._$/);
    expect(renderTrendTableSection(trend)).toBeUndefined();
  });

  it('lists hostile shas escaped in the table', () => {
    const trend = selectTrend([point(0, { '8': 1 }, '<b>x</b>'), point(1, { '8': 2 }, 'f541becdf3f486bc')]);
    const table = renderTrendTableSection(trend) ?? '';
    expect(table).toContain('| 1 | &lt;b&gt;x&lt;/b&gt; | 2026-04-01 | 1.00 |');
    expect(table).toContain('| **2** (this run) | `f541bec` | 2026-04-02 | 2.00 |');
  });
});

describe('round axis bounds', () => {
  it.each([
    [1167, 1200],
    [1000, 1000],
    [1001, 1200],
    [2.2, 2.5],
    [0, 1],
  ])('niceCeiling(%d) = %d', (value, expected) => {
    expect(niceCeiling(value)).toBe(expected);
  });

  it.each([
    [768, 600],
    [1000, 1000],
    [999, 800],
    [0.5, 0],
  ])('niceFloor(%d) = %d', (value, expected) => {
    expect(niceFloor(value)).toBe(expected);
  });
});
