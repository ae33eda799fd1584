/**
 * Models of every other kind on the real CPU Triton, through the unary closed loop and the
 * request builder (issue 19): max_batch_size 0, a two-step ensemble, BLS, an optional input (sent by default),
 * BYTES with a variable dimension, FP16 and BF16, a 3×224×224 FP32 image. For each, the
 * requests we count equal Triton's statistics (requests, inferences, and executions where they
 * are determined), and one decoded reply shows the model computed what it says. No timing is
 * asserted.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { sharedTriton } from '../support/shared-triton.js';
import type { InputOverride } from '../../src/config/config.js';
import { ModelInferResponseSchema, type ModelInferResponse } from '../../src/gen/grpc_service_pb.js';
import { buildInferRequest } from '../../src/load/build-infer-request.js';
import { runClosedLoop } from '../../src/load/closed-loop.js';
import type { StatsCounters } from '../../src/matrix/server-stats.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { countersNow, settledDelta, useLoadedModels } from './model-kinds-harness.js';

const MODELS = [
  'nobatch_identity',
  'ensemble_two_step',
  'bls_target',
  'bls_caller',
  'optional_input',
  'bytes_length',
  'half_types',
  'image_fp32',
];
const address = sharedTriton().grpcUrl;
const client = new TritonClient({ address, isTls: false });
const REQUESTS = 120;

useLoadedModels(client, MODELS, 300_000);

interface Built {
  readonly bytes: Buffer;
  readonly items: number;
  readonly description: readonly string[];
}

/** The request the matrix would send: 2 items per request when the model batches, 1 otherwise. */
async function build(
  model: string,
  overrides: readonly InputOverride[] = [],
  files: ReadonlyMap<string, unknown> = new Map(),
  items?: number,
): Promise<Built> {
  const config = await client.modelConfig(model);
  const itemsPerRequest = items ?? (config.maxBatchSize > 0 ? 2 : 1);
  const built = buildInferRequest({
    model,
    modelVersion: '',
    config,
    maxBatch: config.maxBatchSize,
    itemsPerRequest,
    overrides,
    defaultData: 'random',
    seed: 11,
    files,
  });
  return { bytes: built.bytes, items: itemsPerRequest, description: built.description };
}

/** Runs the closed loop and returns Triton's counters of `models` over it. */
async function load(request: Built, models: readonly string[]): Promise<StatsCounters[]> {
  const before = await Promise.all(models.map((m) => countersNow(client, m)));
  const result = await runClosedLoop(client.inferTransport(), {
    users: 4,
    requests: REQUESTS,
    request: request.bytes,
    timeoutMs: 30_000,
  });
  expect(result.failed, result.firstError).toBe(0);
  expect(result.ok).toBe(REQUESTS);
  return Promise.all(models.map((m, i) => settledDelta(client, m, before[i] as StatsCounters, REQUESTS)));
}

async function infer(request: Built): Promise<ModelInferResponse> {
  return fromBinary(ModelInferResponseSchema, await client.inferRaw(request.bytes));
}

function output(reply: ModelInferResponse, name: string, read: 'f32' | 'i32'): number[] {
  const index = reply.outputs.findIndex((o) => o.name === name);
  const raw = Buffer.from(reply.rawOutputContents[index] ?? new Uint8Array());
  return Array.from({ length: raw.length / 4 }, (_, i) =>
    read === 'f32' ? raw.readFloatLE(i * 4) : raw.readInt32LE(i * 4),
  );
}

describe('models of every kind, unary', () => {
  it('max_batch_size 0: one execution per request, no batch dimension', async () => {
    const request = await build('nobatch_identity');
    expect(request.description).toEqual(['INPUT0:FP32[16]:random']);
    const [delta] = await load(request, ['nobatch_identity']);
    expect(delta).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS, executionCount: REQUESTS });
  });

  it('ensemble of two steps: the ensemble and both steps count every request, the answer is 2x + 1', async () => {
    const request = await build('ensemble_two_step');
    const [ensemble, scale, offset] = await load(request, ['ensemble_two_step', 'ensemble_scale', 'ensemble_offset']);
    expect(ensemble).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS * 2, executionCount: REQUESTS });
    for (const step of [scale, offset]) {
      expect(step).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS * 2 });
      expect(step?.executionCount).toBeLessThanOrEqual(REQUESTS);
    }
    const zeros = await build('ensemble_two_step', [{ name: 'INPUT0', data: 'zeros' }], new Map(), 1);
    expect(output(await infer(zeros), 'OUTPUT0', 'f32')).toEqual(Array<number>(16).fill(1));
  });

  it('BLS: each request of bls_caller makes one request of bls_target', async () => {
    const request = await build('bls_caller', [{ name: 'INPUT0', data: 'zeros' }]);
    const [caller, target] = await load(request, ['bls_caller', 'bls_target']);
    expect(caller).toMatchObject({ successCount: REQUESTS, executionCount: REQUESTS });
    expect(target).toMatchObject({ successCount: REQUESTS, executionCount: REQUESTS });
    expect(output(await infer(request), 'OUTPUT0', 'f32')).toEqual(Array<number>(16).fill(1));
  });

  it('an optional input: sent with generated data unless its data is none, sent as given', async () => {
    const sent = await build('optional_input');
    expect(sent.description).toEqual(['INPUT0:FP32[16]:random', 'OPTIONAL0:FP32[16]:random']);
    const [delta] = await load(sent, ['optional_input']);
    expect(delta).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS * 2 });
    expect(output(await infer(sent), 'HAS_OPTIONAL', 'i32')).toEqual([1, 1]);
    const without = await build('optional_input', [{ name: 'OPTIONAL0', data: 'none' }]);
    expect(without.description).toEqual(['INPUT0:FP32[16]:random']);
    expect(output(await infer(without), 'HAS_OPTIONAL', 'i32')).toEqual([0, 0]);
    const given = await build(
      'optional_input',
      [
        { name: 'INPUT0', data: 'zeros' },
        { name: 'OPTIONAL0', data: { file: 'twos.json' } },
      ],
      new Map([['twos.json', Array<number>(16).fill(2)]]),
      1,
    );
    const reply = await infer(given);
    expect(output(reply, 'HAS_OPTIONAL', 'i32')).toEqual([1]);
    expect(output(reply, 'OUTPUT0', 'f32')).toEqual(Array<number>(16).fill(2));
  });

  it('BYTES with a variable dimension, given a shape and strings', async () => {
    const request = await build(
      'bytes_length',
      [{ name: 'TEXT', shape: [3], data: { file: 'words.json' } }],
      new Map([['words.json', ['a', 'bb', 'ünï']]]),
    );
    expect(request.description).toEqual(['TEXT:BYTES[3]:file:words.json']);
    const [delta] = await load(request, ['bytes_length']);
    expect(delta).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS * 2 });
    expect(output(await infer(request), 'LENGTH', 'i32')).toEqual([1, 2, 5, 1, 2, 5]);
  });

  it('FP16 and BF16 inputs (random data)', async () => {
    const request = await build('half_types');
    expect(request.description).toEqual(['INPUT_FP16:FP16[16]:random', 'INPUT_BF16:BF16[16]:random']);
    const [delta] = await load(request, ['half_types']);
    expect(delta).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS * 2 });
    const values = output(await infer(request), 'OUTPUT0', 'f32');
    expect(values).toHaveLength(32);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('a 3×224×224 FP32 image (588 KiB per item, far larger than an HTTP/2 frame or window)', async () => {
    const request = await build('image_fp32');
    expect(request.bytes.length).toBeGreaterThan(2 * 3 * 224 * 224 * 4);
    const [delta] = await load(request, ['image_fp32']);
    expect(delta).toMatchObject({ successCount: REQUESTS, inferenceCount: REQUESTS * 2 });
    const zeros = await build('image_fp32', [{ name: 'INPUT', data: 'zeros' }], new Map(), 1);
    expect(output(await infer(zeros), 'MEAN', 'f32')).toEqual([0, 0, 0]);
  });
});
