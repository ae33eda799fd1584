/**
 * An in-process ModelStreamInfer server on `node:http2` for the stream transport's fault tests:
 * it reads the gRPC messages of each stream as they arrive, decodes them with protobuf-es and
 * hands each to the test's scenario, which answers through a small context (responses, raw
 * bytes, trailers with a status, a reset).
 */
import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import {
  ModelInferRequestSchema,
  ModelStreamInferResponseSchema,
  type ModelInferRequest,
} from '../../../src/gen/grpc_service_pb.js';
import { grpcFrame } from './grpc-h2-server.js';

/** How a scenario answers on one stream. */
export interface BidiContext {
  readonly stream: http2.ServerHttp2Stream;
  /** Every request received on this stream so far, in order. */
  readonly requests: ModelInferRequest[];
  /** Writes one ModelStreamInferResponse; `isSplit` sends it in two writes a turn apart. */
  reply(init: MessageInitShape<typeof ModelStreamInferResponseSchema>, isSplit?: boolean): void;
  /** Ends the call with trailers `grpc-status` (and `grpc-message`). */
  finish(status: number, message?: string): void;
}

/** Reacts to each request; `onHalfClose` defaults to finishing with status 0. */
export interface BidiScenario {
  onRequest(ctx: BidiContext, request: ModelInferRequest, raw: Buffer): void;
  onHalfClose?(ctx: BidiContext): void;
}

/** A running server. */
export interface BidiServer {
  readonly address: string;
  /** Streams seen, with the RST code each closed with (0: closed normally), once closed. */
  readonly streams: { contexts: BidiContext; rstCode?: number }[];
  readonly sessions: http2.ServerHttp2Session[];
  close(): Promise<void>;
}

/** A final response for `request` without outputs (an empty final). */
export function finalFor(request: ModelInferRequest): MessageInitShape<typeof ModelStreamInferResponseSchema> {
  return {
    inferResponse: {
      id: request.id,
      parameters: { triton_final_response: { parameterChoice: { case: 'boolParam', value: true } } },
    },
  };
}

/** A data response for `request` carrying `bytes` of output. */
export function dataFor(
  request: ModelInferRequest,
  bytes = 4,
  isFinal = false,
): MessageInitShape<typeof ModelStreamInferResponseSchema> {
  return {
    inferResponse: {
      id: request.id,
      parameters: { triton_final_response: { parameterChoice: { case: 'boolParam', value: isFinal } } },
      outputs: [{ name: 'OUT', datatype: 'UINT8', shape: [BigInt(bytes)] }],
      rawOutputContents: [new Uint8Array(bytes).fill(7)],
    },
  };
}

/** Starts the server on 127.0.0.1:0. */
export async function startBidiServer(scenario: BidiScenario, settings?: http2.Settings): Promise<BidiServer> {
  const server = http2.createServer({ maxSessionMemory: 256, ...(settings === undefined ? {} : { settings }) });
  const streams: BidiServer['streams'] = [];
  const sessions: http2.ServerHttp2Session[] = [];
  server.on('session', (session) => {
    sessions.push(session);
    session.on('error', () => undefined);
  });
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    let trailers: http2.OutgoingHttpHeaders = { 'grpc-status': '0' };
    stream.on('wantTrailers', () => {
      stream.sendTrailers(trailers);
    });
    // Split replies go out in order: the second half of one before the first of the next.
    let writes = Promise.resolve();
    const ctx: BidiContext = {
      stream,
      requests: [],
      reply(init, isSplit = false) {
        const framed = grpcFrame(
          Buffer.from(toBinary(ModelStreamInferResponseSchema, create(ModelStreamInferResponseSchema, init))),
        );
        const half = isSplit ? Math.floor(framed.length / 2) : framed.length;
        writes = writes
          .then(() => {
            if (!stream.destroyed) stream.write(framed.subarray(0, half));
            return new Promise<void>((resolve) => setImmediate(resolve));
          })
          .then(() => {
            if (!stream.destroyed && half < framed.length) stream.write(framed.subarray(half));
          });
      },
      finish(status, message) {
        writes = writes.then(() => {
          trailers = { 'grpc-status': String(status), ...(message === undefined ? {} : { 'grpc-message': message }) };
          if (!stream.destroyed) stream.end();
        });
      },
    };
    const entry: BidiServer['streams'][number] = { contexts: ctx };
    streams.push(entry);
    stream.on('close', () => {
      entry.rstCode = stream.rstCode;
    });
    let pending = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const raw = pending.subarray(5, 5 + pending.readUInt32BE(1));
        pending = pending.subarray(5 + raw.length);
        const request = fromBinary(ModelInferRequestSchema, raw);
        ctx.requests.push(request);
        scenario.onRequest(ctx, request, Buffer.from(raw));
      }
    });
    stream.on('end', () => {
      if (scenario.onHalfClose !== undefined) scenario.onHalfClose(ctx);
      else if (!stream.destroyed && stream.writable) ctx.finish(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    streams,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
