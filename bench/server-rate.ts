/**
 * The server's own inference rate while another tool drives it (docs/client-efficiency.md,
 * "Agreement"): ModelStatistics' cumulative inference count polled every ~100 ms during the
 * tool's run, then the rate over the span its figure covers. Pure except `pollDuring`.
 */
import { countersOf } from '../src/matrix/server-stats.js';
import type { TritonClient } from '../src/triton/triton-client.js';

/** One poll: when (ms, monotonic) and the model's cumulative inference count. */
export interface CountSample {
  readonly atMs: number;
  readonly items: number;
}

/** Polls `model`'s inference count every `everyMs` until `work` settles; returns both. */
export async function pollDuring<T>(
  client: TritonClient,
  model: string,
  work: Promise<T>,
  everyMs = 100,
): Promise<{ result: T; samples: CountSample[] }> {
  const samples: CountSample[] = [];
  let isDone = false;
  const settled = work.finally(() => {
    isDone = true;
  });
  const poll = async (): Promise<void> => {
    while (!isDone) {
      const items = countersOf(await client.modelStatistics(model)).inferenceCount;
      samples.push({ atMs: performance.now(), items });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  const [result] = await Promise.all([settled, poll()]);
  return { result, samples };
}

/**
 * Items per second over the last `spanMs` of activity: the span ends at the poll before the
 * last one that saw the count grow (so the tool's final drain, when fewer requests are in
 * flight, stays out) and starts at the last poll at least `spanMs` earlier. The rate uses the
 * polls' own times, so it is exact for that span; `undefined` when the run was too short.
 */
export function rateOverLastSpan(samples: readonly CountSample[], spanMs: number): number | undefined {
  let lastGrowth = -1;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i]?.items ?? 0) > (samples[i - 1]?.items ?? 0)) lastGrowth = i;
  }
  const end = samples[lastGrowth - 1];
  if (end === undefined) return undefined;
  let start: CountSample | undefined;
  for (let i = lastGrowth - 1; i >= 0; i--) {
    const sample = samples[i];
    if (sample !== undefined && end.atMs - sample.atMs >= spanMs) {
      start = sample;
      break;
    }
  }
  if (start === undefined) return undefined;
  return ((end.items - start.items) * 1000) / (end.atMs - start.atMs);
}
