/**
 * Golden files of the PR comment (docs/architecture.md#comparison-store-and-reports) and of the CLI tables, one per scenario of
 * test/fixtures. Review a diff of these files like code: it is what users read.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CHARS, renderReport } from '../../src/report/render-report.js';
import { renderRunTables } from '../../src/report/render-run-tables.js';
import { loadScenario, type ScenarioName } from '../fixtures/scenarios.js';

const RUN_URL = 'https://github.com/acme/models/actions/runs/9876543210';

function render(name: ScenarioName, maxChars?: number): ReturnType<typeof renderReport> {
  const { comparison, gate } = loadScenario(name);
  return renderReport(comparison, {
    benchmarkKey: comparison.run.benchmarkKey,
    gate,
    runUrl: RUN_URL,
    ...(maxChars !== undefined && { maxChars }),
  });
}

describe('renderReport golden files', () => {
  it.each(['typical', 'failed-row', 'no-baseline', 'escaping'] as const)('%s', async (name) => {
    const report = render(name);
    expect(report.droppedSections).toEqual([]);
    await expect(report.markdown).toMatchFileSnapshot(`./${name}.md`);
  });

  it('oversize: drops the raw numbers and stays under the default limit', async () => {
    const report = render('oversize');
    expect(report.markdown.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    expect(report.droppedSections).toEqual(['raw']);
    // The 100 kB server message arrives truncated to 1,000 characters (about 32 repeats), not whole.
    expect(report.markdown.split('TensorRT says no').length - 1).toBeLessThan(40);
    await expect(report.markdown).toMatchFileSnapshot('./oversize.md');
  });

  it('oversize under a tight limit: drops sections in order, then whole dps rows', async () => {
    const report = render('oversize', 6_000);
    expect(report.markdown.length).toBeLessThanOrEqual(6_000);
    expect(report.droppedSections).toEqual([
      'raw',
      'trend-table',
      'trend-chart',
      'dps-chart',
      'latency',
      'batch',
      // A pull request's comment carries no conclusions section (conclusions: auto): nothing to drop there.
      'recommendation',
      'failures',
      'notes',
      'dps-rows',
    ]);
    await expect(report.markdown).toMatchFileSnapshot('./oversize-tight.md');
  });

  it('escaping: nothing user- or server-controlled becomes markup, a mention or a link', () => {
    const { markdown } = render('escaping');
    const html = marked.parse(markdown, { gfm: true, async: false });
    expect(html).not.toMatch(/<(img|script|b|del|em)[\s>]/);
    // The only links are ours: the workflow run.
    expect(html.match(/<a /g)).toHaveLength(1);
    // Code spans are ours too: the run's sha in the context line and the trend table (the
    // baseline's "sha" is not hex, so it is escaped text).
    expect(html.match(/<code>[^<]*<\/code>/g)).toEqual(['<code>a903c1f</code>', '<code>a903c1f</code>']);
    expect(markdown).not.toContain('@org/team');
    expect(markdown).toContain('@\u200Dorg/team');
    expect(markdown).not.toMatch(/(?<!&)#12\b/); // an issue reference, unlike our own `&#124;`
    expect(markdown).not.toMatch(/(?<!\\)\$x/); // GitHub math
    expect(html).toContain('demo|&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('renderRunTables golden files', () => {
  it.each(['typical', 'failed-row'] as const)('%s', async (name) => {
    const text = renderRunTables(loadScenario(name).comparison.run);
    await expect(`${text}\n`).toMatchFileSnapshot(`./run-tables-${name}.txt`);
  });
});
