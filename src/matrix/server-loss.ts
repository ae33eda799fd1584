/**
 * Tells a dead server from a failing row (docs/reliability.md): after a row fails or a trial
 * has errors, one short ServerLive asks whether the server is still there. When it is not, the
 * run stops measuring and every row not yet measured fails with the reason, so a server killed
 * mid-run fails the run within seconds instead of being retried row after row.
 */
import { errorMessage } from '../error-message.js';
import type { TritonClient } from '../triton/triton-client.js';

/** How long the liveness probe may take; a live server answers in milliseconds. */
const PROBE_TIMEOUT_MS = 3000;

/** The reason the server is gone, or `undefined` when it answers ServerLive with `live: true`. */
export async function serverLossOf(client: Pick<TritonClient, 'serverLive'>): Promise<string | undefined> {
  try {
    if (await client.serverLive({ timeoutMs: PROBE_TIMEOUT_MS })) return undefined;
    return 'the server stopped answering: ServerLive says it is not live';
  } catch (err: unknown) {
    return `the server stopped answering: ${errorMessage(err)}`;
  }
}
