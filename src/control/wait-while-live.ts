/**
 * Waiting for a load that must not be cancelled (the zero-config base: Triton goes on loading
 * after a cancelled call, docs/paired.md), but not for a server that stopped answering: once
 * the run is aborted, ServerLive is asked every 2 s, and two misses in a row end the wait
 * (docs/reliability.md, "Signals"). Without an abort the load has its own deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../error-message.js';
import type { TritonClient } from '../triton/triton-client.js';

const PROBE_EVERY_MS = 2000;
const PROBE_TIMEOUT_MS = 3000;

/** `work`'s outcome; after `signal` aborts, rejects early when the server stops answering. */
export async function waitWhileLive<T>(
  work: Promise<T>,
  client: Pick<TritonClient, 'serverLive' | 'address'>,
  signal: AbortSignal,
): Promise<T> {
  const state = { isSettled: false };
  const isSettled = (): boolean => state.isSettled;
  const settled = work.finally(() => {
    state.isSettled = true;
  });
  const stalled = (async (): Promise<never> => {
    if (!signal.aborted) {
      await new Promise((resolve) => {
        signal.addEventListener('abort', resolve, { once: true });
      });
    }
    let misses = 0;
    for (;;) {
      await sleep(PROBE_EVERY_MS, undefined, { ref: false });
      if (isSettled()) return new Promise<never>(() => undefined);
      let why = 'ServerLive says it is not live';
      try {
        if (await client.serverLive({ timeoutMs: PROBE_TIMEOUT_MS })) {
          misses = 0;
          continue;
        }
      } catch (err: unknown) {
        why = errorMessage(err);
      }
      if (++misses >= 2 && !isSettled()) throw new Error(`the server at ${client.address} stopped answering (${why})`);
    }
  })();
  // The loser of the race settles later: never an unhandled rejection.
  settled.catch(() => undefined);
  stalled.catch(() => undefined);
  return await Promise.race([settled, stalled]);
}
