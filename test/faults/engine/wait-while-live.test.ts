// A load the run must not cancel is waited for, unless the run was aborted and the server
// stopped answering: then the wait ends after two missed ServerLive probes.
import { describe, expect, it } from 'vitest';
import { waitWhileLive } from '../../../src/control/wait-while-live.js';

const stalled = { address: 'h:1', serverLive: () => Promise.reject(new Error('DEADLINE_EXCEEDED')) };
const live = { address: 'h:1', serverLive: () => Promise.resolve(true) };

describe('waitWhileLive', () => {
  it('waits for the load however the server is, as long as the run is not aborted', async () => {
    const load = new Promise<string>((resolve) =>
      setTimeout(() => {
        resolve('loaded');
      }, 50),
    );
    await expect(waitWhileLive(load, stalled, new AbortController().signal)).resolves.toBe('loaded');
  });

  it('after an abort, still waits for a server that answers', async () => {
    const abort = new AbortController();
    abort.abort();
    const load = new Promise<string>((resolve) =>
      setTimeout(() => {
        resolve('loaded');
      }, 2500),
    );
    await expect(waitWhileLive(load, live, abort.signal)).resolves.toBe('loaded');
  });

  it('after an abort, gives up on a server that stopped answering', async () => {
    const abort = new AbortController();
    const never = new Promise<never>(() => undefined);
    setTimeout(() => {
      abort.abort();
    }, 10);
    await expect(waitWhileLive(never, stalled, abort.signal)).rejects.toThrow(
      'the server at h:1 stopped answering (DEADLINE_EXCEEDED)',
    );
  });
});
