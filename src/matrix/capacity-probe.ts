/**
 * The capacity probe (docs/real-triton.md, "Capacity probe"): proves a row really runs batches
 * of its max_batch, which the matrix alone cannot when users × items per request stays below
 * it. Once the server is at the row's max_batch: one request carrying max_batch items, then a
 * short closed loop at users × items = max_batch, with Triton's formed batch over that loop.
 */
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { CapacityProbe } from '../model/run-result.js';
import { errorMessage } from '../error-message.js';
import { measureTrial, type StatsReader } from './measure-trial.js';
import { serverStatsOf } from './server-stats.js';

/** Most users of the probe's loop; items per request make up the rest of max_batch. */
const PROBE_USERS = 8;
/** Requests per user in the probe's loop (short: it proves batches form, it is no measurement). */
const REQUESTS_PER_USER = 12;

/** What the probe needs once the server is at the row's max_batch. */
export interface ProbeDeps {
  readonly transport: InferTransport;
  readonly readStats: StatsReader;
  readonly signal: AbortSignal;
  readonly clock?: Clock;
  readonly timeoutMs: number;
  /** Encoded request of `items` items for the row's model. */
  readonly buildRequest: (items: number) => Uint8Array;
  /** Sends one request and resolves when it succeeded (rejects on failure). */
  readonly inferOnce: (request: Uint8Array) => Promise<void>;
}

/** Users and items per request of the probe's loop: users × items ≥ max_batch, items ≤ max_batch. */
export function probeShape(maxBatch: number): { users: number; itemsPerRequest: number } {
  const users = Math.max(1, Math.min(PROBE_USERS, maxBatch));
  return { users, itemsPerRequest: Math.ceil(maxBatch / users) };
}

/** Probes one row; never throws: a failure is the probe's answer (`status: 'failed'`). */
export async function probeCapacity(maxBatch: number, deps: ProbeDeps): Promise<CapacityProbe> {
  const clock = deps.clock ?? performance.now.bind(performance);
  let fullRequestMs: number;
  try {
    const full = deps.buildRequest(maxBatch);
    const startMs = clock();
    await deps.inferOnce(full);
    fullRequestMs = clock() - startMs;
  } catch (err: unknown) {
    return { maxBatch, status: 'failed', message: `a request of ${maxBatch} items failed: ${errorMessage(err)}` };
  }
  const shape = probeShape(maxBatch);
  const measured = await measureTrial(
    deps.transport,
    {
      users: shape.users,
      requests: shape.users * REQUESTS_PER_USER,
      warmupRequests: shape.users * 2,
      itemsPerRequest: shape.itemsPerRequest,
      request: deps.buildRequest(shape.itemsPerRequest),
      timeoutMs: deps.timeoutMs,
      order: 0,
    },
    { readStats: deps.readStats, signal: deps.signal, clock: deps.clock },
  );
  const { trial, serverDelta } = measured;
  const server = serverDelta === undefined ? undefined : serverStatsOf(serverDelta);
  const sizes = Object.keys(server?.batchExecutions ?? {}).map(Number);
  const loop = {
    ...shape,
    dps: trial.dps,
    p99Ms: trial.latencyMs.p99,
    errors: trial.errors,
    ...(server === undefined ? {} : { avgBatch: server.avgBatch }),
    ...(sizes.length === 0 ? {} : { largestBatch: Math.max(...sizes) }),
  };
  if (trial.errors > 0) {
    return {
      maxBatch,
      status: 'failed',
      fullRequestMs,
      loop,
      message: `the probe loop had ${trial.errors} errors (${trial.firstError ?? 'errors'})`,
    };
  }
  return { maxBatch, status: 'ok', fullRequestMs, loop };
}
