// Keeps the fake honest: the real TritonClient against it shows Triton's behaviour as
// docs/real-triton.md measured it (health, metadata, index states, explicit load with
// a config override and its normalisation, unload, ModelInfer validation and statistics), so
// the fault tests built on it exercise the engine against something Triton-shaped.
import { create, toBinary } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configOverrideJson, overrideConfig } from '../../../src/control/override-config.js';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';
import { TritonClient } from '../../../src/triton/triton-client.js';
import { TritonError } from '../../../src/triton/triton-error.js';
import { eventText, fakeModelConfig, startFakeTriton, type FakeTriton } from '../../support/fake-triton.js';

let fake: FakeTriton;
let client: TritonClient;

beforeEach(async () => {
  fake = await startFakeTriton([
    { config: fakeModelConfig('m', 16) },
    { config: fakeModelConfig('m_mb8', 8), isLoaded: false },
  ]);
  client = new TritonClient({ address: fake.address, isTls: false, defaultTimeoutMs: 5000 });
});

afterEach(async () => {
  client.close();
  await fake.close();
});

const inferBytes = (model: string, batch: number, elements = 16) =>
  toBinary(
    ModelInferRequestSchema,
    create(ModelInferRequestSchema, {
      modelName: model,
      inputs: [{ name: 'INPUT0', datatype: 'FP32', shape: [BigInt(batch), BigInt(elements)] }],
      rawInputContents: [new Uint8Array(batch * elements * 4)],
    }),
  );

async function tritonError(promise: Promise<unknown>): Promise<TritonError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TritonError);
  return err as TritonError;
}

describe('fake Triton', () => {
  it('answers health, metadata and config like Triton 2.51', async () => {
    expect(await client.serverLive()).toBe(true);
    expect((await client.serverMetadata()).version).toBe('2.51.0');
    expect(await client.modelReady('m')).toBe(true);
    const metadata = await client.modelMetadata('m');
    expect(metadata.inputs.map((t) => [t.name, t.datatype, t.shape.map(Number)])).toEqual([
      ['INPUT0', 'FP32', [-1, 16]],
    ]);
    expect((await client.modelConfig('m')).maxBatchSize).toBe(16);
  });

  it('errors for unknown and unloaded models, and lists both in the index', async () => {
    expect((await tritonError(client.modelReady('nope'))).status).toBe('NOT_FOUND');
    const unloaded = await tritonError(client.modelConfig('m_mb8'));
    expect(unloaded.status).toBe('UNAVAILABLE');
    expect(unloaded.details).toBe("Request for unknown model: 'm_mb8' has no available versions");
    expect((await client.repositoryIndex()).map((m) => [m.name, m.state])).toEqual([
      ['m', 'READY'],
      ['m_mb8', ''],
    ]);
    expect((await client.repositoryIndex(true)).map((m) => m.name)).toEqual(['m']);
  });

  it('reloads with a config override, filling preferred sizes, and back from disk', async () => {
    const original = await client.modelConfig('m');
    await client.repositoryModelUnload('m');
    expect((await client.repositoryIndex()).find((m) => m.name === 'm')).toMatchObject({
      state: 'UNAVAILABLE',
      reason: 'unloaded',
    });
    await client.repositoryModelLoad(
      'm',
      configOverrideJson(overrideConfig(original, { maxBatch: 4, originalMaxBatch: 16 })),
    );
    const reloaded = await client.modelConfig('m');
    expect(reloaded.maxBatchSize).toBe(4);
    expect(
      reloaded.schedulingChoice.case === 'dynamicBatching' && reloaded.schedulingChoice.value.preferredBatchSize,
    ).toEqual([4]);
    await client.repositoryModelLoad('m');
    expect((await client.modelConfig('m')).maxBatchSize).toBe(16);
    expect(fake.events.map(eventText)).toEqual([
      'unload m',
      'load m max_batch=4 -> ready',
      'load m from disk -> ready',
    ]);
  });

  it('refuses overrides Triton refuses: unknown keys, stale preferred sizes, a foreign name', async () => {
    const original = await client.modelConfig('m');
    const unknownKey = await tritonError(
      client.repositoryModelLoad('m', '{"max_batch_size": 4, "scheduling_choice": {}}'),
    );
    expect(unknownKey.details).toMatch(/Invalid config override/);
    const stale = JSON.stringify({ ...(JSON.parse(configOverrideJson(original)) as object), max_batch_size: 4 });
    expect((await tritonError(client.repositoryModelLoad('m', stale))).details).toMatch(
      /preferred size must be <= max batch size/,
    );
    const renamed = configOverrideJson(
      overrideConfig({ ...original, name: 'other' }, { maxBatch: 4, originalMaxBatch: 16 }),
    );
    expect((await tritonError(client.repositoryModelLoad('m', renamed))).details).toMatch(/must match the model name/);
    expect((await client.modelConfig('m')).maxBatchSize).toBe(16);
  });

  it('refuses loads above maxLoadableBatch with a TensorRT-like message', async () => {
    fake.faults.maxLoadableBatch = 8;
    const original = await client.modelConfig('m');
    const err = await tritonError(
      client.repositoryModelLoad(
        'm',
        configOverrideJson(overrideConfig(original, { maxBatch: 16, originalMaxBatch: 16 })),
      ),
    );
    expect(err.status).toBe('INVALID_ARGUMENT');
    expect(err.details).toBe(
      "load failed for model 'm': version 1 is at UNAVAILABLE state: Invalid argument: configuration specified max-batch 16 but TensorRT engine only supports max-batch 8;",
    );
  });

  it('validates ModelInfer like Triton and counts served requests in ModelStatistics', async () => {
    await client.inferRaw(inferBytes('m', 4));
    await client.inferRaw(inferBytes('m', 1));
    expect((await tritonError(client.inferRaw(inferBytes('m', 17)))).details).toBe(
      "inference request batch-size must be <= 16 for 'm'",
    );
    expect((await tritonError(client.inferRaw(inferBytes('m', 1, 15)))).details).toMatch(
      /unexpected shape for input 'INPUT0' for model 'm'. Expected \[-1,16\], got \[1,15\]/,
    );
    expect((await tritonError(client.inferRaw(inferBytes('m_mb8', 1)))).status).toBe('UNAVAILABLE');
    const [stats] = await client.modelStatistics('m');
    expect(stats).toMatchObject({ inferenceCount: 5n, executionCount: 2n });
    expect(stats?.batchStats.map((b) => [Number(b.batchSize), Number(b.computeInfer?.count)])).toEqual([
      [1, 1],
      [4, 1],
    ]);
    expect(fake.inferCount()).toBe(5);
  });

  it('fails the next N inferences with the status asked for', async () => {
    fake.failNextInfers(2, status.RESOURCE_EXHAUSTED, 'Exceeds maximum queue size');
    expect((await tritonError(client.inferRaw(inferBytes('m', 1)))).status).toBe('RESOURCE_EXHAUSTED');
    expect((await tritonError(client.inferRaw(inferBytes('m', 1)))).details).toBe('Exceeds maximum queue size');
    await client.inferRaw(inferBytes('m', 1));
  });
});
