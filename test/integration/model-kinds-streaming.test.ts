/**
 * Decoupled (streaming) models on the real CPU Triton over ModelStreamInfer, through both
 * transports (issue 19): the responses we count equal the responses the model sent (stream_tokens
 * sends exactly COUNT data responses, then an empty final), Triton's statistics count the
 * requests we sent, errors inside the stream are counted, and a measured trial carries the
 * streaming figures. No timing is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTriton } from '../support/shared-triton.js';
import { runStreamLoop } from '../../src/load/stream-loop.js';
import { measureStreamTrial } from '../../src/matrix/measure-stream-trial.js';
import { countersOf } from '../../src/matrix/server-stats.js';
import { TritonClient, type InferTransportKind } from '../../src/triton/triton-client.js';
import { countersNow, encodeRequest, fp32, int32, settledDelta, useLoadedModels } from './model-kinds-harness.js';

const MODELS = ['stream_tokens', 'stream_one'];
const address = sharedTriton().grpcUrl;
const control = new TritonClient({ address, isTls: false });
const COUNTS = [0, 1, 3, 7];

/** A stream_tokens request asking for `count` responses. */
const tokens = (count: number): Buffer =>
  encodeRequest('stream_tokens', [{ name: 'COUNT', datatype: 'INT32', shape: [1, 1], data: int32(count) }], true);

useLoadedModels(control, MODELS);

describe.each<InferTransportKind>(['h2', 'grpc-js'])('decoupled models over ModelStreamInfer (%s)', (kind) => {
  let client: TritonClient;
  beforeAll(() => {
    client = new TritonClient({ address, isTls: false, transport: kind });
  });
  afterAll(() => {
    client.close();
  });

  it('counts exactly the responses stream_tokens sent, its empty finals and zero-response requests', async () => {
    const requests = 200;
    const before = await countersNow(control, 'stream_tokens');
    const result = await runStreamLoop(client.streamTransport(), {
      users: 5,
      requests,
      steps: COUNTS.map(tokens),
      timeoutMs: 30_000,
    });
    expect(result.failed, result.firstError).toBe(0);
    // The steps go round-robin over all requests: each count is sent requests / 4 times.
    const sentCounts = Array.from({ length: requests }, (_, i) => COUNTS[i % COUNTS.length] as number);
    expect(result).toMatchObject({
      sent: requests,
      ok: requests,
      responses: sentCounts.reduce((a, b) => a + b, 0),
      emptyFinals: requests,
      zeroResponseRequests: sentCounts.filter((c) => c === 0).length,
      unmatchedResponses: 0,
    });
    expect(result.firstResponse.count).toBe(sentCounts.filter((c) => c > 0).length);
    expect(result.betweenResponses.count).toBe(sentCounts.reduce((a, c) => a + Math.max(0, c - 1), 0));
    // Triton counts requests, not responses (python backend: one report per request).
    const delta = await settledDelta(control, 'stream_tokens', before, requests);
    expect(delta.successCount).toBe(requests);
    expect(delta.inferenceCount).toBe(requests);
    expect(delta.executionCount).toBeGreaterThanOrEqual(Math.ceil(requests / 8));
    expect(delta.executionCount).toBeLessThanOrEqual(requests);
  });

  it('runs more users than streams (several requests in flight per stream) on stream_one', async () => {
    const requests = 400;
    const before = await countersNow(control, 'stream_one');
    const input = { name: 'INPUT0', datatype: 'FP32', shape: [1, 16], data: fp32(...Array<number>(16).fill(0.5)) };
    const result = await runStreamLoop(client.streamTransport(), {
      users: 20,
      requests,
      steps: [encodeRequest('stream_one', [input], true)],
      timeoutMs: 30_000,
    });
    expect(result.failed, result.firstError).toBe(0);
    expect(result).toMatchObject({ ok: requests, responses: requests, emptyFinals: 0, zeroResponseRequests: 0 });
    expect((await settledDelta(control, 'stream_one', before, requests)).successCount).toBe(requests);
  });

  it('counts an error the model sends inside the stream, and goes on', async () => {
    const result = await runStreamLoop(client.streamTransport(), {
      users: 2,
      requests: 20,
      steps: [tokens(-1), tokens(2)],
      timeoutMs: 30_000,
    });
    expect(result).toMatchObject({
      sent: 20,
      ok: 10,
      failed: 10,
      responses: 20,
      errorsByStatus: { IN_STREAM_ERROR: 10 },
    });
    expect(result.firstError).toBe('IN_STREAM_ERROR: COUNT is -1, expected 0..10000');
  });
});

describe('a measured streaming trial', () => {
  it('carries responses/s, responses per request and Triton rate over the same window', async () => {
    const client = new TritonClient({ address, isTls: false });
    try {
      const measured = await measureStreamTrial(
        client.streamTransport(),
        {
          users: 4,
          requests: 240,
          warmupRequests: 16,
          itemsPerRequest: 1,
          steps: [tokens(3), tokens(5)],
          timeoutMs: 30_000,
          order: 0,
          isStream: true,
        },
        {
          readStats: async () => countersOf(await control.modelStatistics('stream_tokens')),
          signal: new AbortController().signal,
        },
      );
      const { trial } = measured;
      expect(trial.errors, trial.firstError).toBe(0);
      expect(trial.requests).toBe(240);
      expect(trial.stream?.responsesPerRequest).toBe(4);
      expect(trial.stream?.emptyFinals).toBe(240);
      expect(trial.stream?.responsesPerSecond).toBeGreaterThan(trial.rps);
      expect(trial.serverDps).toBeGreaterThan(0);
      expect(measured.serverDelta?.successCount).toBeGreaterThanOrEqual(240 - 4);
    } finally {
      client.close();
    }
  });

  it('is needed: unary ModelInfer on a decoupled model is refused', async () => {
    const input = { name: 'INPUT0', datatype: 'FP32', shape: [1, 16], data: fp32(...Array<number>(16).fill(1)) };
    await expect(control.inferRaw(encodeRequest('stream_one', [input]))).rejects.toThrow(
      /UNIMPLEMENTED.*decoupled transaction policy/,
    );
  });
});
