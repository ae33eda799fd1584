/**
 * Renders a scenario's PR comment the way a reviewer sees it: markdown → HTML with `marked`
 * (GFM), a page styled roughly like a GitHub comment (bordered tables that scroll when too wide,
 * as on github.com), Mermaid blocks drawn by the real mermaid, then a PNG screenshot from
 * headless Chromium. A developer tool for reviewing report changes; never run in CI.
 *
 * Usage: npx tsx scripts/render-comment.ts [scenario] [out.png] [--open-details]
 *        npx tsx scripts/render-comment.ts --file <comment.md> [out.png] [--open-details]
 *   scenario: typical (default), failed-row, no-baseline, escaping, oversize
 *   --file:   a comment body as posted (e.g. kept by the e2e test with TTG_E2E_KEEP_DIR=<dir>)
 *   out.png:  default /tmp/comment.png
 * Colour emoji need a font with them (Debian: fonts-noto-color-emoji).
 */
import { readFileSync } from 'node:fs';
import { marked } from 'marked';
import { renderReport, type RenderedReport } from '../src/report/render-report.js';
import { loadScenario, SCENARIO_NAMES, type ScenarioName } from '../test/fixtures/scenarios.js';
import { launchChromium, openMermaidPage } from '../test/render/launch-chromium.js';

/** Width of a comment box on github.com's PR page (window ≥ 1280 px, sidebar shown), roughly. */
const COMMENT_WIDTH_PX = 832;

const CSS = `
  body { margin: 0; padding: 16px; background: #fff; color: #1f2328;
    font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif,
      "Apple Color Emoji", "Noto Color Emoji"; }
  .comment { width: ${COMMENT_WIDTH_PX}px; border: 1px solid #d0d7de; border-radius: 6px; }
  .comment-header { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px;
    color: #59636e; border-radius: 6px 6px 0 0; }
  .comment-body { padding: 16px; overflow-wrap: break-word; }
  h3 { font-size: 1.25em; margin: 0 0 16px; } h4 { font-size: 1em; margin: 24px 0 16px; }
  p, ul, table, pre, details { margin: 0 0 16px; } ul { padding-left: 2em; }
  table { display: block; width: max-content; max-width: 100%; overflow: auto; border-spacing: 0;
    border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { padding: 6px 13px; border: 1px solid #d0d7de; } th { font-weight: 600; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code { padding: .2em .4em; font-size: 85%; background: rgba(175,184,194,.2); border-radius: 6px;
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  pre.mermaid { background: none; text-align: center; }
  summary { cursor: pointer; }
  a { color: #0969da; text-decoration: none; }
`;

interface Args {
  readonly scenario: ScenarioName;
  /** A markdown file to render instead of a scenario. */
  readonly file?: string;
  readonly out: string;
  readonly shouldOpenDetails: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const fileAt = argv.indexOf('--file');
  const file = fileAt < 0 ? undefined : argv[fileAt + 1];
  if (fileAt >= 0 && file === undefined) throw new Error('--file: expected a markdown file after it');
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !(fileAt >= 0 && i === fileAt + 1));
  if (file !== undefined) {
    return {
      scenario: 'typical',
      file,
      out: positional[0] ?? '/tmp/comment.png',
      shouldOpenDetails: argv.includes('--open-details'),
    };
  }
  const scenario = positional[0] ?? 'typical';
  if (!SCENARIO_NAMES.includes(scenario as ScenarioName)) {
    throw new Error(`scenario: got '${scenario}', expected one of ${SCENARIO_NAMES.join(', ')}`);
  }
  return {
    scenario: scenario as ScenarioName,
    out: positional[1] ?? '/tmp/comment.png',
    shouldOpenDetails: argv.includes('--open-details'),
  };
}

/** The comment as a standalone page; Mermaid fences become `pre.mermaid` for mermaid.run(). */
function commentPage(markdown: string, shouldOpenDetails: boolean): string {
  let body = marked.parse(markdown, { gfm: true, async: false });
  body = body.replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    '<pre class="mermaid">$1</pre>',
  );
  if (shouldOpenDetails) body = body.replaceAll('<details>', '<details open>');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body>
    <div class="comment"><div class="comment-header"><b>github-actions</b> bot commented</div>
    <div class="comment-body">${body}</div></div></body></html>`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const report =
    args.file === undefined
      ? renderScenario(args.scenario)
      : { markdown: readFileSync(args.file, 'utf8'), droppedSections: [] };
  const browser = await launchChromium();
  try {
    const page = await openMermaidPage(browser, commentPage(report.markdown, args.shouldOpenDetails));
    await page.setViewportSize({ width: COMMENT_WIDTH_PX + 40, height: 800 });
    await page.evaluate('window.renderMermaidBlocks()');
    await page.locator('.comment').screenshot({ path: args.out });
  } finally {
    await browser.close();
  }
  process.stdout.write(
    `${args.out}: ${args.file ?? args.scenario}, ${report.markdown.length} chars, dropped [${report.droppedSections.join(', ')}]\n`,
  );
}

function renderScenario(scenario: ScenarioName): RenderedReport {
  const { comparison, gate } = loadScenario(scenario);
  return renderReport(comparison, {
    benchmarkKey: comparison.run.benchmarkKey,
    gate,
    runUrl: 'https://github.com/acme/models/actions/runs/9876543210',
  });
}

await main();
