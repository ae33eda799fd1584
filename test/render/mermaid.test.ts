/**
 * docs/architecture.md#comparison-store-and-reports: every chart the report emits is parsed and rendered by the real `mermaid` package in
 * headless Chromium, so a syntax slip never reaches a user's PR. Renders the trend chart of each
 * scenario and checks the SVG has the lines and points the data call for; a broken chart must
 * be rejected, or this test could never fail.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { renderReport } from '../../src/report/render-report.js';
import { DPS_CHART_TITLE, RESPONSES_CHART_TITLE } from '../../src/report/render-dps-chart.js';
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

function allChartsOf(name: ScenarioName): string[] {
  const { comparison, gate } = loadScenario(name);
  return extractMermaidBlocks(renderReport(comparison, { benchmarkKey: comparison.run.benchmarkKey, gate }).markdown);
}

/** The trend charts of a scenario's report (the dps-vs-users chart is checked on its own). */
function chartsOf(name: ScenarioName): string[] {
  return allChartsOf(name).filter((chart) => chart.includes('"Best dps per max_batch"'));
}

function dpsChartsOf(name: ScenarioName): string[] {
  return allChartsOf(name).filter((chart) => chart.includes(`"${DPS_CHART_TITLE}"`));
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

describe('dps-vs-users charts in real mermaid', () => {
  // One line per loaded row with every users column measured: failed-row's 64 did not load.
  it.each([
    { name: 'typical', lines: 4, points: 10 },
    { name: 'failed-row', lines: 3, points: 10 },
    { name: 'no-baseline', lines: 4, points: 10 },
  ] as const)('$name: $lines lines of $points points', async ({ name, lines, points }) => {
    const charts = dpsChartsOf(name);
    expect(charts).toHaveLength(1);
    const result = await renderChart(page, charts[0] ?? '');
    if (!result.ok) throw new Error(`mermaid rejected the ${name} dps chart: ${result.error}`);
    expect(result.title).toBe(DPS_CHART_TITLE);
    expect(result.lines.map((line) => line.points)).toEqual(Array<number>(lines).fill(points));
    expect(result.lines.map((line) => line.stroke)).toEqual(SERIES_STYLES.slice(0, lines).map((style) => style.color));
    expect(result.xLabels).toEqual(Array.from({ length: points }, (_, i) => String(i + 1)));
  });
});

describe('the responses/s-vs-users chart in real mermaid', () => {
  // Under gate-metric: responses the users chart plots responses/s (the golden file is the
  // report as test/golden/paired-report.test.ts renders it): 2 rows of 10 users columns.
  it('paired-responses: 2 lines of 10 points, titled responses/s', async () => {
    const markdown = readFileSync(new URL('../golden/paired-responses.md', import.meta.url), 'utf8');
    const charts = extractMermaidBlocks(markdown);
    expect(charts.filter((chart) => chart.includes(`"${DPS_CHART_TITLE}"`))).toEqual([]);
    const responses = charts.filter((chart) => chart.includes(`"${RESPONSES_CHART_TITLE}"`));
    expect(responses).toHaveLength(1);
    expect(responses[0]).toContain('y-axis "responses/s" 0 -->');
    const result = await renderChart(page, responses[0] ?? '');
    if (!result.ok) throw new Error(`mermaid rejected the responses/s chart: ${result.error}`);
    expect(result.title).toBe(RESPONSES_CHART_TITLE);
    expect(result.lines.map((line) => line.points)).toEqual([10, 10]);
    expect(result.lines.map((line) => line.stroke)).toEqual(SERIES_STYLES.slice(0, 2).map((style) => style.color));
  });
});
