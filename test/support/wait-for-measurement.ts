/**
 * Polls a real Triton until the CLI under test is measuring: the signal and server-loss tests
 * (test/integration/) act only once the run is mid-measurement, never during setup.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TritonClient } from '../../src/triton/triton-client.js';

/** Successful inferences of `model` so far, over all its versions. */
export async function successCount(client: TritonClient, model: string): Promise<number> {
  const stats = await client.modelStatistics(model);
  return stats.reduce((sum, s) => sum + Number(s.inferenceStats?.success?.count ?? 0n), 0);
}

/**
 * Resolves once `model` is served at `maxBatch` and has answered `requests` more requests;
 * rejects when `isRunning` turns false first (the CLI ended before measuring).
 */
export async function waitForMeasurement(
  client: TritonClient,
  target: { readonly model: string; readonly maxBatch: number; readonly requests: number },
  isRunning: () => boolean,
): Promise<void> {
  let first: number | undefined;
  while (isRunning()) {
    try {
      if ((await client.modelConfig(target.model, '', { timeoutMs: 2000 })).maxBatchSize === target.maxBatch) {
        const count = await successCount(client, target.model);
        first ??= count;
        if (count - first >= target.requests) return;
      }
    } catch {
      // Between unload and load the model answers errors: keep polling.
    }
    await sleep(100);
  }
  throw new Error('the CLI ended before the measurement began');
}
