/**
 * docs/architecture.md#comparison-store-and-reports: every chart the report emits is parsed and rendered by the real `mermaid` package in
 * headless Chromium, so a syntax slip never reaches a user's PR. Renders the trend chart of each
 * scenario and checks the SVG has the lines and points the data call for; a broken chart must
 * be rejected, or this test could never fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { renderReport } from '../../src/report/render-report.js';
import { SERIES_STYLES } from '../../src/report/render-trend.js';
import { loadScenario, type ScenarioName } from '../fixtures/scenarios.js';
import { launchChromium, openMermaidPage, type Chromium } from './launch-chromium.js';
import { extractMermaidBlocks, renderChart } from './render-chart.js';

let browser: Chromium | undefined;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openMermaidPage(browser);
});

afterAll(async () => {
  await browser?.close();
});

function chartsOf(name: ScenarioName): string[] {
  const { comparison, gate } = loadScenario(name);
  return extractMermaidBlocks(renderReport(comparison, { benchmarkKey: comparison.run.benchmarkKey, gate }).markdown);
}

describe('trend charts in real mermaid', () => {
  // Expected from the fixtures: typical has 12 stored runs + this one and 4 rows; failed-row's
  // max_batch 64 did not load in this run, so it is not drawn; escaping's history has hostile
  // shas, so the x axis falls back to positions; oversize shows the last 20 of 40 runs.
  it.each([
    { name: 'typical', lines: 4, points: 13 },
    { name: 'failed-row', lines: 3, points: 9 },
    { name: 'escaping', lines: 1, points: 3, labels: ['1', '2', '3'] },
    { name: 'oversize', lines: 4, points: 20 },
  ] as const)('$name: $lines lines of $points points', async ({ name, lines, points, ...expected }) => {
    const charts = chartsOf(name);
    expect(charts).toHaveLength(1);
    const result = await renderChart(page, charts[0] ?? '');
    if (!result.ok) throw new Error(`mermaid rejected the ${name} chart: ${result.error}`);
    expect(result.isSvg).toBe(true);
    expect(result.title).toBe('Best dps per max_batch');
    expect(result.lines.map((line) => line.points)).toEqual(Array<number>(lines).fill(points));
    // The caption names colours, so the palette in the init directive must be the one drawn.
    expect(result.lines.map((line) => line.stroke)).toEqual(SERIES_STYLES.slice(0, lines).map((style) => style.color));
    expect(result.xLabels).toHaveLength(points);
    if ('labels' in expected) expect(result.xLabels).toEqual(expected.labels);
  });

  it('no-baseline: a single run draws no chart', () => {
    expect(chartsOf('no-baseline')).toEqual([]);
  });

  it('rejects a broken chart', async () => {
    const chart = chartsOf('typical')[0] ?? '';
    const broken = chart.replace(/\]$/m, ',]');
    expect(broken).not.toBe(chart);
    const result = await renderChart(page, broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/Parse error/);
  });
});
