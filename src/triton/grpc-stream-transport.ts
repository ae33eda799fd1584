/**
 * ModelStreamInfer over @grpc/grpc-js, the fallback beside our HTTP/2 client (`transport:
 * grpc-js`): a bidirectional call per stream with identity (de)serializers, each request the
 * cell's bytes plus its tail, each response read in place (`load/stream-response.ts`).
 */
import * as grpc from '@grpc/grpc-js';
import type { InferFailure } from '../load/infer-transport.js';
import { createStreamResponseView, readStreamResponse } from '../load/stream-response.js';
import {
  IN_STREAM_ERROR,
  type InferStream,
  type StreamHandlers,
  type StreamResponse,
  type StreamTransport,
} from '../load/stream-transport.js';
import { openChannelClients, passBuffer } from './grpc-channel.js';
import { statusName } from './triton-error.js';

/** Options of `createGrpcStreamTransport`. */
export interface GrpcStreamTransportOptions {
  readonly address: string;
  readonly isTls: boolean;
  /** Sent with every stream. */
  readonly metadata: grpc.Metadata;
  /** Separate connections, used round-robin by new streams; >= 1. */
  readonly channels: number;
}

const MODEL_STREAM_INFER = '/inference.GRPCInferenceService/ModelStreamInfer';

/** Creates the transport; `close()` it in `finally`. */
export function createGrpcStreamTransport(options: GrpcStreamTransportOptions): StreamTransport & { close(): void } {
  const clients = openChannelClients(options.address, options.isTls, options.channels);
  let next = 0;
  return {
    openStream(handlers) {
      const client = clients[next] as grpc.Client;
      next = next + 1 === clients.length ? 0 : next + 1;
      return new GrpcStream(client, options.metadata.clone(), handlers);
    },
    close() {
      for (const client of clients) client.close();
    },
  };
}

class GrpcStream implements InferStream {
  private readonly call: grpc.ClientDuplexStream<Buffer, Buffer>;
  private readonly response: StreamResponse = { ...createStreamResponseView(), errorStatus: '' };
  private failure: InferFailure | undefined;
  private isOver = false;

  constructor(
    client: grpc.Client,
    metadata: grpc.Metadata,
    private readonly handlers: StreamHandlers,
  ) {
    this.call = client.makeBidiStreamRequest(MODEL_STREAM_INFER, passBuffer, passBuffer, metadata, {});
    this.call.on('data', this.onData);
    // Errors also arrive as 'status'; a listener keeps them from being thrown.
    this.call.on('error', () => undefined);
    this.call.on('status', this.onStatus);
  }

  write(_requestId: number, head: Uint8Array, tail: Buffer, tailLength: number): void {
    if (this.isOver) return;
    this.call.write(Buffer.concat([head, tail.subarray(0, tailLength)]));
  }

  end(): void {
    if (!this.isOver) this.call.end();
  }

  cancel(): void {
    if (!this.isOver) this.call.cancel();
  }

  private readonly onData = (message: Buffer): void => {
    if (this.isOver || this.failure !== undefined) return;
    const response = this.response;
    if (!readStreamResponse(message, 0, message.length, response)) {
      this.failure = {
        status: 'INTERNAL',
        message: 'malformed ModelStreamInferResponse (is this a Triton ModelStreamInfer endpoint?)',
      };
      this.call.cancel();
      return;
    }
    response.errorStatus = response.error === '' ? '' : IN_STREAM_ERROR;
    this.handlers.onResponse(response);
  };

  private readonly onStatus = (status: grpc.StatusObject): void => {
    if (this.isOver) return;
    this.isOver = true;
    const failure =
      this.failure ??
      (status.code === grpc.status.OK ? null : { status: statusName(status.code), message: status.details });
    // grpc-js may report the status inside a call of ours (cancel): always on a later turn.
    setImmediate(() => {
      this.handlers.onEnd(failure);
    });
  };
}
