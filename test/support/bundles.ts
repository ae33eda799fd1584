/**
 * The bundles (dist/index.js, the Action as GitHub runs it) for the end-to-end tests: the
 * integration setup (test/integration/global-setup.ts) starts building them beside the first
 * tests; an e2e file waits here, in its `beforeAll`, until the build has ended.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import type { BundlesOutcome } from '../integration/global-setup.js';

const POLL_MS = 200;
/** ncc takes about 20 s of CPU; a busy 2-core machine may take several times that. */
export const BUNDLES_TIMEOUT_MS = 300_000;

/** Resolves once the build has written dist/; throws with the build's error when it failed. */
export async function bundlesBuilt(): Promise<void> {
  const file = inject('bundlesOutcomeFile');
  for (let waitedMs = 0; waitedMs < BUNDLES_TIMEOUT_MS; waitedMs += POLL_MS) {
    const outcome = readOutcome(file);
    if (outcome !== undefined) {
      if (outcome.error !== undefined) throw new Error(outcome.error);
      return;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`the bundles' build did not end within ${String(BUNDLES_TIMEOUT_MS / 1000)} s`);
}

function readOutcome(file: string): BundlesOutcome | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BundlesOutcome;
  } catch {
    // Not written yet (or being written): the build is still running.
    return undefined;
  }
}
