/**
 * The load generator's error accounting is exact under load (issue 6; `npm run bench:soak` is
 * the 60 s, 256-user version with heap figures): trials back to back at 64 users on the real
 * server's identity model (a copy of this file's own, so only its requests are counted,
 * test/support/shared-triton.ts), through the default h2 transport. Per trial `sent === ok + failed`
 * and every success is in the latency histogram; in total, Triton's own success count
 * (ModelStatistics delta) equals our `ok`. No timing is asserted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInferRequest } from '../../src/load/build-infer-request.js';
import { runClosedLoop } from '../../src/load/closed-loop.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

const USERS = 64;
const TRIALS = 6;
const REQUESTS = USERS * 20;
const MODEL = 'identity_accounting';
useModelCopies({ [MODEL]: { from: 'identity' } });

let client: TritonClient;

beforeAll(() => {
  client = new TritonClient({ address: sharedTriton().grpcUrl, isTls: false });
});

afterAll(() => {
  client.close();
});

async function successCount(): Promise<number> {
  const stats = await client.modelStatistics(MODEL);
  return stats.reduce((sum, s) => sum + Number(s.inferenceStats?.success?.count ?? 0n), 0);
}

/** Triton counts a request just after replying to it: poll until the count reaches `expected`. */
async function settledSuccessCount(expected: number): Promise<number> {
  let count = await successCount();
  for (let i = 0; i < 50 && count < expected; i++) {
    await sleep(100);
    count = await successCount();
  }
  return count;
}

describe('error accounting under load', () => {
  it(`is exact over ${TRIALS} back-to-back trials at ${USERS} users`, async () => {
    const config = await client.modelConfig(MODEL);
    const request = buildInferRequest({
      model: MODEL,
      modelVersion: '',
      config,
      maxBatch: config.maxBatchSize,
      itemsPerRequest: 1,
      overrides: [],
      defaultData: 'random',
      seed: 1,
      files: new Map(),
    }).bytes;
    const transport = client.inferTransport();
    const before = await successCount();
    let ok = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const result = await runClosedLoop(transport, { users: USERS, requests: REQUESTS, request, timeoutMs: 30_000 });
      expect(result.sent, `trial ${trial}`).toBe(REQUESTS);
      expect(result.sent).toBe(result.ok + result.failed);
      expect(result.failed, result.firstError).toBe(0);
      expect(result.histogram.count).toBe(result.ok);
      ok += result.ok;
    }
    expect(await settledSuccessCount(before + ok)).toBe(before + ok);
  });
});
