/**
 * Our HTTP/2 transport (src/triton/h2/) against the real CPU Triton, on paths the matrix tests
 * do not take: a 256 KiB reply per item (many DATA frames and WINDOW_UPDATEs; model
 * `large_output`, loaded here and unloaded after) and an INVALID_ARGUMENT reply, whose status
 * and message must be exactly what grpc-js reports for the same bytes.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelInferRequestSchema, ModelInferResponseSchema } from '../../src/gen/grpc_service_pb.js';
import { runClosedLoop } from '../../src/load/closed-loop.js';
import type { InferFailure, InferTransport } from '../../src/load/infer-transport.js';
import { createH2InferTransport, type H2InferTransport } from '../../src/triton/h2/h2-infer-transport.js';
import { waitForModelReady } from '../../src/triton/inspect-model.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { TritonError } from '../../src/triton/triton-error.js';
import { sharedTriton } from '../support/shared-triton.js';

const address = sharedTriton().grpcUrl;
const client = new TritonClient({ address, isTls: false });
let h2: H2InferTransport;
const LARGE_OUTPUT_BYTES = 65_536 * 4;

function request(model: string, batch: number, elements: number, datatype = 'FP32'): Uint8Array {
  return toBinary(
    ModelInferRequestSchema,
    create(ModelInferRequestSchema, {
      modelName: model,
      inputs: [{ name: 'INPUT0', datatype, shape: [BigInt(batch), BigInt(elements)] }],
      rawInputContents: [new Uint8Array(batch * elements * 4).fill(1)],
    }),
  );
}

function send(transport: InferTransport, bytes: Uint8Array): Promise<InferFailure | null> {
  return new Promise((resolve) => {
    transport.send(bytes, 30_000, resolve);
  });
}

beforeAll(async () => {
  await client.repositoryModelLoad('large_output', undefined, { timeoutMs: 120_000 });
  await waitForModelReady(client, 'large_output', { timeoutMs: 60_000 });
  h2 = createH2InferTransport({ address, isTls: false, headers: {}, connections: 1 });
}, 180_000);

afterAll(async () => {
  h2.close();
  await client.repositoryModelUnload('large_output').catch(() => undefined);
  client.close();
});

describe('h2 transport against the real Triton', () => {
  it('receives 256 KiB replies per item (4 users, batches of 1 and 4) without an error', async () => {
    // grpc-js decodes the reply, proving the output is as large as the test claims.
    const reply = fromBinary(ModelInferResponseSchema, await client.inferRaw(request('large_output', 4, 1)));
    expect(reply.rawOutputContents[0]?.byteLength).toBe(4 * LARGE_OUTPUT_BYTES);
    for (const batch of [1, 4]) {
      const result = await runClosedLoop(h2, {
        users: 4,
        requests: 24,
        request: request('large_output', batch, 1),
        timeoutMs: 30_000,
      });
      expect(result).toMatchObject({ sent: 24, ok: 24, failed: 0 });
    }
    expect(h2.retriedRequests()).toBe(0);
  });

  it('reports INVALID_ARGUMENT with the same status and message as grpc-js', async () => {
    const bad = request('identity', 1, 16, 'INT32');
    const viaGrpcJs: unknown = await client.inferRaw(bad).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(viaGrpcJs).toBeInstanceOf(TritonError);
    const expected = viaGrpcJs as TritonError;
    expect(expected.status).toBe('INVALID_ARGUMENT');
    const failure = await send(h2, bad);
    expect(failure?.status).toBe('INVALID_ARGUMENT');
    expect(failure?.message).toContain('INT32');
    expect(expected.message).toContain(failure?.message ?? '<none>');
    // The connection stays usable after an error reply.
    expect(await send(h2, request('identity', 1, 16))).toBeNull();
  });
});
