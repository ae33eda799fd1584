/**
 * Foundation: every client method against the real CPU Triton, the config-override reload of
 * demo_onnx (max_batch 8 then 64), output values checked against the model's own weights, and
 * each error mapping (unreachable port, HTTP port, TLS to plaintext, unknown model, wrong shape).
 * The reload and the request counts use copies of demo_onnx and identity of this file's own
 * (test/support/shared-triton.ts), so demo_onnx stays as the files after it expect it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configOverrideJson, overrideConfig } from '../../src/control/override-config.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { TritonError } from '../../src/triton/triton-error.js';
import { inspectModel, waitForModelReady } from '../../src/triton/inspect-model.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

const address = sharedTriton().grpcUrl;
const client = new TritonClient({ address, isTls: false });
afterAll(() => {
  client.close();
});
/** This file's own models: reloaded, and counted in ModelStatistics. */
const RELOADED = 'demo_onnx_client';
const COUNTED = 'identity_client';
/** Sleeps 200 ms per batch: a deadline far below that is missed however fast the machine. */
const SLOW = 'demo_onnx_slow_client';
useModelCopies({ [RELOADED]: {}, [COUNTED]: { from: 'identity' }, [SLOW]: { parameters: { slowdown_us: '200000' } } });

interface Weights {
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

/** y = relu(x·W1 + b1)·W2 + b2, computed here from the weights the model was built with. */
function referenceMlp(weights: Weights, x: readonly number[]): number[] {
  const hidden = weights.b1.map((b, j) =>
    Math.max(
      0,
      x.reduce((sum, xi, i) => sum + xi * (weights.w1[i]?.[j] ?? 0), b),
    ),
  );
  return weights.b2.map((b, k) => hidden.reduce((sum, h, j) => sum + h * (weights.w2[j]?.[k] ?? 0), b));
}

function floatsLE(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function inputBatch(rows: number): { values: number[][]; bytes: Buffer } {
  const values = Array.from({ length: rows }, (_, r) => Array.from({ length: 64 }, (_, i) => Math.sin(r * 64 + i) / 2));
  const bytes = Buffer.alloc(rows * 64 * 4);
  values.flat().forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return { values, bytes };
}

async function expectTritonError(promise: Promise<unknown>): Promise<TritonError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TritonError);
  return err as TritonError;
}

describe('health and metadata', () => {
  it('reports live, ready and Triton 2.5x with the extensions we rely on', async () => {
    expect(await client.serverLive()).toBe(true);
    // Triton's strict readiness stays false once any load on this server has failed, even after that
    // model is gone (docs/real-triton.md), and earlier files on the shared server load models Triton
    // refuses: so gRPC's answer is checked against the same server's HTTP health endpoint.
    const http = await fetch(`${sharedTriton().httpUrl}/v2/health/ready`);
    expect(await client.serverReady()).toBe(http.status === 200);
    const metadata = await client.serverMetadata();
    expect(metadata.version).toMatch(/^2\.5\d\.\d+$/);
    expect(metadata.extensions).toEqual(
      expect.arrayContaining(['model_repository', 'statistics', 'model_configuration']),
    );
  });

  it('reads model metadata and config of demo_onnx', async () => {
    expect(await client.modelReady('demo_onnx')).toBe(true);
    const { metadata, config } = await inspectModel(client, 'demo_onnx');
    expect(metadata.inputs.map((t) => [t.name, t.datatype, t.shape.map(Number)])).toEqual([
      ['input', 'FP32', [-1, 64]],
    ]);
    expect(metadata.outputs.map((t) => [t.name, t.datatype, t.shape.map(Number)])).toEqual([
      ['output', 'FP32', [-1, 10]],
    ]);
    expect(config.backend).toBe('python');
    expect(config.maxBatchSize).toBe(64);
    expect(config.schedulingChoice.case).toBe('dynamicBatching');
  });

  it('lists the repository, with unloaded models', async () => {
    const index = await client.repositoryIndex(false);
    const byName = new Map(index.map((m) => [m.name, m.state]));
    expect(byName.get('demo_onnx')).toBe('READY');
    expect(byName.get('identity')).toBe('READY');
    expect(byName.has('demo_onnx_mb8')).toBe(true);
    expect(byName.get('demo_onnx_mb8')).not.toBe('READY');
    const ready = await client.repositoryIndex(true);
    expect(ready.every((m) => m.state === 'READY')).toBe(true);
  });
});

describe('inference', () => {
  const weights = JSON.parse(
    readFileSync(join(sharedTriton().repoDir, 'demo_onnx', 'weights.json'), 'utf8'),
  ) as Weights;

  it('returns the MLP of the model weights for a batch of 3 (typed request)', async () => {
    const { values, bytes } = inputBatch(3);
    const response = await client.modelInfer({
      modelName: 'demo_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [3n, 64n] }],
      rawInputContents: [bytes],
    });
    expect(response.outputs[0]?.shape.map(Number)).toEqual([3, 10]);
    const got = floatsLE(response.rawOutputContents[0] ?? new Uint8Array());
    const expected = values.flatMap((x) => referenceMlp(weights, x));
    expect(got).toHaveLength(30);
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] ?? NaN, 4);
    });
  });

  it('sends pre-encoded bytes with inferRaw and counts them in ModelStatistics', async () => {
    const before = (await client.modelStatistics(COUNTED))[0];
    const { create, toBinary } = await import('@bufbuild/protobuf');
    const { ModelInferRequestSchema, ModelInferResponseSchema } = await import('../../src/gen/grpc_service_pb.js');
    const { fromBinary } = await import('@bufbuild/protobuf');
    const bytes = toBinary(
      ModelInferRequestSchema,
      create(ModelInferRequestSchema, {
        modelName: COUNTED,
        inputs: [{ name: 'INPUT0', datatype: 'FP32', shape: [2n, 16n] }],
        rawInputContents: [Buffer.alloc(2 * 16 * 4, 1)],
      }),
    );
    for (let i = 0; i < 3; i++) {
      const reply = fromBinary(ModelInferResponseSchema, await client.inferRaw(bytes));
      expect(Buffer.from(reply.rawOutputContents[0] ?? [])).toEqual(Buffer.alloc(128, 1));
    }
    const after = (await client.modelStatistics(COUNTED))[0];
    expect(Number((after?.inferenceCount ?? 0n) - (before?.inferenceCount ?? 0n))).toBe(6);
    expect(Number((after?.inferenceStats?.success?.count ?? 0n) - (before?.inferenceStats?.success?.count ?? 0n))).toBe(
      3,
    );
  });
});

describe('config-override reload', () => {
  it('reloads a demo_onnx copy at max_batch 8, then 64, then restores the file config', async () => {
    const original = await client.modelConfig(RELOADED);
    for (const maxBatch of [8, 64]) {
      const json = configOverrideJson(overrideConfig(original, { maxBatch, originalMaxBatch: original.maxBatchSize }));
      await client.repositoryModelUnload(RELOADED);
      await client.repositoryModelLoad(RELOADED, json, { timeoutMs: 120_000 });
      await waitForModelReady(client, RELOADED, { timeoutMs: 60_000 });
      const config = await client.modelConfig(RELOADED);
      expect(config.maxBatchSize).toBe(maxBatch);
      // Triton fills preferred sizes again for the new max_batch: ours were cleared, not kept stale.
      expect(
        config.schedulingChoice.case === 'dynamicBatching' && config.schedulingChoice.value.preferredBatchSize,
      ).toEqual([maxBatch]);
    }
    await client.repositoryModelUnload(RELOADED);
    await client.repositoryModelLoad(RELOADED, undefined, { timeoutMs: 120_000 });
    await waitForModelReady(client, RELOADED, { timeoutMs: 60_000 });
    expect((await client.modelConfig(RELOADED)).maxBatchSize).toBe(original.maxBatchSize);
  });

  it("passes Triton's reason through when a load is refused (max_batch_limit)", async () => {
    const original = await client.modelConfig(RELOADED);
    const limited = overrideConfig(original, { maxBatch: 64, originalMaxBatch: 64 });
    limited.parameters['max_batch_limit'] = { $typeName: 'inference.ModelParameter', stringValue: '32' };
    const err = await expectTritonError(
      client.repositoryModelLoad(RELOADED, configOverrideJson(limited), { timeoutMs: 120_000 }),
    );
    expect(err.rpc).toBe('RepositoryModelLoad');
    expect(err.details).toMatch(/only supports max-batch 32/);
    // A failed load leaves the served model in place (Triton keeps the old one on failure).
    expect(await client.modelReady(RELOADED)).toBe(true);
  });
});

describe('error mapping', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    return port;
  }

  it('names the address and the gRPC port when nothing listens', async () => {
    const port = await closedPort();
    const dead = new TritonClient({ address: `127.0.0.1:${port}`, isTls: false, defaultTimeoutMs: 3000 });
    try {
      const err = await expectTritonError(dead.serverLive());
      expect(err.status).toBe('UNAVAILABLE');
      expect(err.message).toContain(`127.0.0.1:${port}`);
      expect(err.message).toMatch(/gRPC on port 8001 by default; 8000 is its HTTP port/);
    } finally {
      dead.close();
    }
  });

  it("says so when the port is Triton's HTTP endpoint", async () => {
    const httpAddress = sharedTriton().httpUrl.replace('http://', '');
    const http = new TritonClient({ address: httpAddress, isTls: false, defaultTimeoutMs: 3000 });
    try {
      const err = await expectTritonError(http.serverLive());
      expect(err.message).toMatch(/8001/);
    } finally {
      http.close();
    }
  });

  it('says the server does not speak TLS when grpcs:// meets a plaintext port', async () => {
    const tls = new TritonClient({ address, isTls: true, defaultTimeoutMs: 3000 });
    try {
      const err = await expectTritonError(tls.serverLive());
      expect(err.status).toBe('UNAVAILABLE');
      expect(err.hint).toMatch(/TLS/);
    } finally {
      tls.close();
    }
  });

  it('reports an unknown model with the models the server knows', async () => {
    const err = await expectTritonError(inspectModel(client, 'no_such_model'));
    expect(err.status).toBe('NOT_FOUND');
    expect(err.message).toMatch(/unknown model 'no_such_model'/);
    expect(err.message).toMatch(/demo_onnx/);
  });

  it('reports a model that exists but is not loaded', async () => {
    const err = await expectTritonError(inspectModel(client, 'demo_onnx_mb8'));
    expect(err.message).toMatch(/'demo_onnx_mb8' is not ready/);
  });

  it("passes Triton's message through for a wrong shape", async () => {
    const err = await expectTritonError(
      client.modelInfer({
        modelName: 'demo_onnx',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1n, 63n] }],
        rawInputContents: [Buffer.alloc(63 * 4)],
      }),
    );
    expect(err.status).toBe('INVALID_ARGUMENT');
    expect(err.details).toMatch(/input/);
  });

  it('maps a deadline to DEADLINE_EXCEEDED with the time waited', async () => {
    const err = await expectTritonError(
      client.modelInfer(
        {
          modelName: SLOW,
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1n, 64n] }],
          rawInputContents: [Buffer.alloc(64 * 4)],
        },
        { timeoutMs: 20 },
      ),
    );
    expect(err.status).toBe('DEADLINE_EXCEEDED');
    expect(err.message).toMatch(/no reply within 20 ms/);
  });
});
