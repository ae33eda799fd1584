/**
 * Calls the page harness from Node and checks the shape of its answer, so tests get typed
 * values instead of `any`.
 */
import type { Page } from 'playwright-core';

/** What the harness reports about one rendered chart. */
export type ChartRender =
  | {
      readonly ok: true;
      readonly isSvg: boolean;
      readonly lines: readonly { readonly stroke: string | null; readonly points: number }[];
      readonly xLabels: readonly string[];
      readonly title: string;
    }
  | { readonly ok: false; readonly error: string };

let renderCount = 0;

/** Parses and renders Mermaid `code` in `page` (opened with `openMermaidPage`). */
export async function renderChart(page: Page, code: string): Promise<ChartRender> {
  renderCount += 1;
  const result: unknown = await page.evaluate(
    `window.renderMermaid(${JSON.stringify(`chart${renderCount}`)}, ${JSON.stringify(code)})`,
  );
  if (typeof result !== 'object' || result === null || !('ok' in result)) {
    throw new Error(`page harness returned ${JSON.stringify(result)}, expected { ok, ... }`);
  }
  return result as ChartRender;
}

/** The bodies of the ```mermaid fenced blocks of `markdown`, in order. */
export function extractMermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((match) => match[1] ?? '');
}
