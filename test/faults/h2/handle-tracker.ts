/**
 * Leak checks for the fault tests: timers and sockets created while a test runs must all be
 * gone after it closed everything. async_hooks sees unref'd timers too, which
 * `process.getActiveResourcesInfo()` does not list.
 */
import { createHook } from 'node:async_hooks';

const SOCKETS = new Set(['TCPWRAP', 'TCPSERVERWRAP', 'TCPCONNECTWRAP', 'TLSWRAP']);
// Timers are tracked only when our transport created them: node:http2's server keeps an
// unref'd Date-header cache timer of its own.
const OUR_CODE = '/src/triton/h2/';

/** Tracks handles created from now on. */
export interface HandleTracker {
  /** Resolves once every tracked handle is released; rejects after `limitMs` listing the rest. */
  released(limitMs?: number): Promise<void>;
  stop(): void;
}

/** Starts tracking; call `stop()` in cleanup. */
export function trackHandles(): HandleTracker {
  const alive = new Map<number, string>();
  const hook = createHook({
    init(asyncId, type) {
      if (SOCKETS.has(type) || (type === 'Timeout' && (new Error().stack ?? '').includes(OUR_CODE)))
        alive.set(asyncId, type);
    },
    destroy(asyncId) {
      alive.delete(asyncId);
    },
  });
  hook.enable();
  return {
    async released(limitMs = 3_000) {
      const deadline = Date.now() + limitMs;
      while (alive.size > 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      if (alive.size > 0) throw new Error(`handles still alive: ${[...alive.values()].join(', ')}`);
    },
    stop() {
      hook.disable();
    },
  };
}

/**
 * Socket resources in `process.getActiveResourcesInfo()` (timers are left out: vitest owns
 * some, and ours are unref'd so they are not listed; the async hook above checks them).
 */
export function activeIoResources(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((name) => /TCP|TLS|Connect/.test(name))
    .sort();
}

/** Rejects with `what` when `promise` takes longer than `limitMs` (so no test can hang). */
export async function within<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no result within ${limitMs} ms`));
    }, limitMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}
