/**
 * Headless Debian Chromium for the render test and `scripts/render-comment.ts` (docs/architecture.md#comparison-store-and-reports: every
 * chart we emit is parsed and rendered by the real mermaid). The machine has no internet: the
 * page gets mermaid's bundle from node_modules, and every network request is refused so a
 * render can never depend on a CDN.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; `CHROMIUM_PATH` overrides it on other machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const require = createRequire(import.meta.url);

/** mermaid's self-contained browser bundle (defines `window.mermaid`). */
export const MERMAID_BUNDLE = require.resolve('mermaid/dist/mermaid.min.js');

/** In-page helpers that call mermaid and measure the SVG (plain JS, see the file). */
export const PAGE_HARNESS = new URL('./page-harness.js', import.meta.url).pathname;

/** A running browser with its own fresh profile; `close()` removes the profile too. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh user-data dir; the caller must `close()` it (in `afterAll`). */
export async function launchChromium(): Promise<Chromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'ttg-chromium-'));
  const removeProfile = (): Promise<void> => rm(userDataDir, { recursive: true, force: true });
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    await context.route('**/*', (route) => route.abort());
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          await removeProfile();
        }
      },
    };
  } catch (error: unknown) {
    await removeProfile();
    throw error;
  }
}

/** A blank page with mermaid and the harness loaded (`window.renderMermaid` ready). */
export async function openMermaidPage(
  browser: Chromium,
  html = '<!doctype html><html><body></body></html>',
): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setContent(html);
  await page.addScriptTag({ path: MERMAID_BUNDLE });
  await page.addScriptTag({ path: PAGE_HARNESS });
  return page;
}
