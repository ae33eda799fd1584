/**
 * The load generator's hot path over gRPC: ModelInfer with request bytes encoded once and
 * passed through an identity serializer, replies left undecoded (only the status matters for
 * a trial). Several channels can be opened so one HTTP/2 connection is not the bottleneck.
 */
import * as grpc from '@grpc/grpc-js';
import type { InferDone, InferTransport, InflightRequest } from '../load/infer-transport.js';
import { openChannelClients, passBuffer } from './grpc-channel.js';
import { statusName } from './triton-error.js';

/** Options of `createGrpcInferTransport`. */
export interface GrpcInferTransportOptions {
  readonly address: string;
  readonly isTls: boolean;
  /** Sent with every request; empty metadata is not cloned per call. */
  readonly metadata: grpc.Metadata;
  /** Separate connections, used round-robin; >= 1. */
  readonly channels: number;
}

const MODEL_INFER = '/inference.GRPCInferenceService/ModelInfer';

/** Creates the transport; `close()` it in `finally`. */
export function createGrpcInferTransport(options: GrpcInferTransportOptions): InferTransport & { close(): void } {
  const clients = openChannelClients(options.address, options.isTls, options.channels);
  const hasHeaders = Object.keys(options.metadata.getMap()).length > 0;
  let next = 0;
  let lastBytes: Uint8Array | undefined;
  let lastBuffer: Buffer = Buffer.alloc(0);

  return {
    send(request: Uint8Array, timeoutMs: number, done: InferDone): InflightRequest {
      // The same request object is sent again and again: wrap it as a Buffer only once.
      if (request !== lastBytes) {
        lastBytes = request;
        lastBuffer = Buffer.isBuffer(request)
          ? request
          : Buffer.from(request.buffer, request.byteOffset, request.byteLength);
      }
      const client = clients[next] as grpc.Client;
      next = next + 1 === clients.length ? 0 : next + 1;
      const metadata = hasHeaders ? options.metadata.clone() : new grpc.Metadata();
      return client.makeUnaryRequest(
        MODEL_INFER,
        passBuffer,
        passBuffer,
        lastBuffer,
        metadata,
        { deadline: Date.now() + timeoutMs },
        (err) => {
          if (err === null) done(null);
          else done({ status: statusName(err.code), message: err.details === '' ? err.message : err.details });
        },
      );
    },
    close() {
      for (const client of clients) client.close();
    },
  };
}
