/**
 * Sequence models on the real CPU Triton (issue 19): users run sequences (START on the first
 * request, END on the last, a new correlation ID each) over ModelStreamInfer and over unary
 * ModelInfer, through both transports. sequence_sum keeps a running sum per correlation ID and
 * fails any request that breaks the protocol as it sees it, so zero errors means every
 * sequence reached the model whole and in order; Triton's statistics count the requests we
 * sent. No timing is asserted.
 */
import { create } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTriton } from '../support/shared-triton.js';
import { ModelInferRequestSchema } from '../../src/gen/grpc_service_pb.js';
import { createSequenceIds, sequenceIdKindOf, type SequencePlan } from '../../src/load/sequence-plan.js';
import { runStreamLoop } from '../../src/load/stream-loop.js';
import { createUnaryStreamTransport } from '../../src/load/unary-stream-transport.js';
import { createRng } from '../../src/rng.js';
import { TritonClient, type InferTransportKind } from '../../src/triton/triton-client.js';
import { countersNow, encodeRequest, int32, settledDelta, useLoadedModels } from './model-kinds-harness.js';

const MODELS = ['sequence_sum', 'sequence_sum_str'];
const address = sharedTriton().grpcUrl;
const control = new TritonClient({ address, isTls: false });
/** IDs never repeat across the tests of this file (each sequence ends, but a clean slate reads better in logs). */
const ids = createSequenceIds(1_000);

const ones = (model: string, isStream: boolean): Buffer =>
  encodeRequest(model, [{ name: 'INPUT', datatype: 'INT32', shape: [1, 1], data: int32(1) }], isStream);
const plan = (idKind: 'int64' | 'string', length = 5, variationPct = 40, seed = 7): SequencePlan => ({
  length,
  variationPct,
  idKind,
  ids,
  rng: createRng(seed),
});

useLoadedModels(control, MODELS);

describe.each<[InferTransportKind, 'stream' | 'unary']>([
  ['h2', 'stream'],
  ['grpc-js', 'stream'],
  ['h2', 'unary'],
  ['grpc-js', 'unary'],
])('sequence_sum over %s, %s', (kind, protocol) => {
  let client: TritonClient;
  beforeAll(() => {
    client = new TritonClient({ address, isTls: false, transport: kind });
  });
  afterAll(() => {
    client.close();
  });

  it('runs whole sequences for more users than the model has slots, and Triton counts every request', async () => {
    const requests = 240;
    const isStream = protocol === 'stream';
    const transport = isStream ? client.streamTransport() : createUnaryStreamTransport(client.inferTransport(), 30_000);
    const before = await countersNow(control, 'sequence_sum');
    // 6 users on 4 sequence slots (max_batch_size 4, Direct): two sequences wait in Triton's backlog at a time.
    const result = await runStreamLoop(transport, {
      users: 6,
      requests,
      steps: [ones('sequence_sum', isStream)],
      timeoutMs: 30_000,
      sequences: plan(sequenceIdKindOf(await control.modelConfig('sequence_sum')) ?? 'int64'),
    });
    expect(result.failed, result.firstError).toBe(0);
    expect(result).toMatchObject({ sent: requests, ok: requests, responses: requests, emptyFinals: 0 });
    // Sequences of 3..7 requests (5 ± 40 %), each user's last one cut at its quota of 40.
    expect(result.sequences).toBeGreaterThanOrEqual(Math.ceil(requests / 7));
    expect(result.sequences).toBeLessThanOrEqual(Math.ceil(requests / 3) + 6);
    const delta = await settledDelta(control, 'sequence_sum', before, requests);
    expect(delta.successCount).toBe(requests);
    expect(delta.inferenceCount).toBe(requests);
    expect(delta.executionCount).toBeGreaterThanOrEqual(Math.ceil(requests / 4));
    expect(delta.executionCount).toBeLessThanOrEqual(requests);
  });
});

describe('sequence protocol', () => {
  it('sends string correlation IDs to a model that takes them (sequence_sum_str)', async () => {
    const client = new TritonClient({ address, isTls: false });
    try {
      const before = await countersNow(control, 'sequence_sum_str');
      const result = await runStreamLoop(client.streamTransport(), {
        users: 3,
        requests: 60,
        steps: [ones('sequence_sum_str', true)],
        timeoutMs: 30_000,
        sequences: plan('string', 4, 0),
      });
      expect(result.failed, result.firstError).toBe(0);
      expect(result.sequences).toBe(15);
      expect((await settledDelta(control, 'sequence_sum_str', before, 60)).successCount).toBe(60);
    } finally {
      client.close();
    }
  });

  it('the model answers the running sum of each sequence, and refuses a request without START', async () => {
    const step = (id: bigint, start: boolean, end: boolean) =>
      control.modelInfer(
        create(ModelInferRequestSchema, {
          modelName: 'sequence_sum',
          parameters: {
            sequence_id: { parameterChoice: { case: 'int64Param', value: id } },
            sequence_start: { parameterChoice: { case: 'boolParam', value: start } },
            sequence_end: { parameterChoice: { case: 'boolParam', value: end } },
          },
          inputs: [{ name: 'INPUT', datatype: 'INT32', shape: [1n, 1n] }],
          rawInputContents: [int32(1)],
        }),
      );
    const sums: number[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await step(99n, i === 0, i === 3);
      sums.push(Buffer.from(reply.rawOutputContents[0] ?? new Uint8Array(4)).readInt32LE(0));
    }
    expect(sums).toEqual([1, 2, 3, 4]);
    // The sequence ended: Triton itself refuses its ID without START.
    await expect(step(99n, false, false)).rejects.toThrow(/INVALID_ARGUMENT.*must specify the START flag/);
  });

  it('an error inside a stream (no START) is counted and the stream goes on', async () => {
    const client = new TritonClient({ address, isTls: false });
    try {
      const noStart = encodeRequest(
        'sequence_sum',
        [{ name: 'INPUT', datatype: 'INT32', shape: [1, 1], data: int32(1) }],
        true,
        { parameters: { sequence_id: { parameterChoice: { case: 'int64Param', value: 123_456n } } } },
      );
      const result = await runStreamLoop(client.streamTransport(), {
        users: 1,
        requests: 3,
        steps: [noStart],
        timeoutMs: 30_000,
      });
      expect(result).toMatchObject({ sent: 3, failed: 3, errorsByStatus: { IN_STREAM_ERROR: 3 }, isStopped: false });
      expect(result.firstError).toMatch(/sequence 123456 .* must specify the START flag/);
    } finally {
      client.close();
    }
  });
});
