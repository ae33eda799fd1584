// ModelStreamInfer on our HTTP/2 client (and, where the behaviour is the transport's contract,
// on grpc-js) against node:http2 acting as Triton: requests pipelined on one stream and
// answered by several responses, messages split over DATA frames, requests larger than the
// flow-control windows, a status ending the stream, resets, half-close, cancel, malformed and
// compressed responses, a refused connection, the server's stream limit. Every test checks that
// close() leaves no handle behind.
import * as http2 from 'node:http2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InferFailure } from '../../../src/load/infer-transport.js';
import { EMPTY_FINAL_OPT_IN, MAX_TAIL_BYTES, writeRequestTail } from '../../../src/load/request-tail.js';
import { runStreamLoop } from '../../../src/load/stream-loop.js';
import type { StreamResponse, StreamTransport } from '../../../src/load/stream-transport.js';
import { createGrpcStreamTransport } from '../../../src/triton/grpc-stream-transport.js';
import { createH2InferTransport } from '../../../src/triton/h2/h2-infer-transport.js';
import { create, toBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';
import { activeIoResources, trackHandles, within, type HandleTracker } from './handle-tracker.js';
import { dataFor, finalFor, startBidiServer, type BidiScenario, type BidiServer } from './grpc-bidi-server.js';
import { grpcFrame } from './grpc-h2-server.js';

const cleanups: (() => Promise<void> | void)[] = [];
let tracker: HandleTracker;
let resourcesBefore: string[];

beforeEach(() => {
  resourcesBefore = activeIoResources();
  tracker = trackHandles();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  try {
    await tracker.released();
    expect(activeIoResources()).toEqual(resourcesBefore);
  } finally {
    tracker.stop();
  }
});

type Kind = 'h2' | 'grpc-js';

async function serve(scenario: BidiScenario, settings?: http2.Settings): Promise<BidiServer> {
  const server = await startBidiServer(scenario, settings);
  cleanups.push(() => server.close());
  return server;
}

function open(address: string, kind: Kind = 'h2'): StreamTransport {
  const transport =
    kind === 'h2'
      ? createH2InferTransport({ address, isTls: false, headers: { authorization: 'Bearer s3cret' }, connections: 1 })
      : createGrpcStreamTransport({ address, isTls: false, metadata: new grpc.Metadata(), channels: 1 });
  cleanups.push(() => {
    transport.close();
  });
  return transport;
}

/** A request whose model name says how many data responses (`tokens:N`) it wants. */
function request(model: string, rawBytes = 4): Buffer {
  const message = create(ModelInferRequestSchema, {
    modelName: model,
    rawInputContents: [new Uint8Array(rawBytes).fill(3)],
  });
  return Buffer.concat([toBinary(ModelInferRequestSchema, message), EMPTY_FINAL_OPT_IN]);
}

/** Answers `tokens:N` with N data responses (split over writes when `isSplit`) and an empty final. */
const tokens = (isSplit = false, bytes = 4): BidiScenario => ({
  onRequest(ctx, req) {
    const count = Number(req.modelName.split(':')[1] ?? 1);
    for (let i = 0; i < count; i++) ctx.reply(dataFor(req, bytes), isSplit);
    ctx.reply(finalFor(req), isSplit);
  },
});

/** One stream by hand: writes, then collects responses and the end. */
function collect(transport: StreamTransport) {
  const responses: Omit<StreamResponse, never>[] = [];
  let resolveEnd: (failure: InferFailure | null) => void = () => undefined;
  const ended = new Promise<InferFailure | null>((resolve) => {
    resolveEnd = resolve;
  });
  const stream = transport.openStream({
    onResponse: (r) => responses.push({ ...r }),
    onEnd: (failure) => {
      resolveEnd(failure);
    },
  });
  const tail = Buffer.alloc(MAX_TAIL_BYTES);
  const write = (id: number, head: Uint8Array): void => {
    stream.write(id, head, tail, writeRequestTail(tail, id));
  };
  return { stream, responses, ended: within(ended, 5_000, 'stream end'), write };
}

describe.each<Kind>(['h2', 'grpc-js'])('stream transport %s', (kind) => {
  it('pipelines requests on one stream and matches every response by id', async () => {
    const server = await serve(tokens());
    const transport = open(server.address, kind);
    const result = await runStreamLoop(
      transport,
      { users: 6, requests: 120, steps: [request('tokens:0'), request('tokens:3')], timeoutMs: 5_000, maxStreams: 2 },
      {},
    );
    expect(result).toMatchObject({
      sent: 120,
      ok: 120,
      failed: 0,
      responses: 180,
      emptyFinals: 120,
      zeroResponseRequests: 60,
    });
    expect(result.unmatchedResponses).toBe(0);
    expect(server.streams).toHaveLength(2);
    expect(server.streams.map((s) => s.contexts.requests.length)).toEqual([60, 60]);
  });

  it('reports the status that ends a stream, and the requests still waiting fail with it', async () => {
    let seen = 0;
    const server = await serve({
      onRequest(ctx, req) {
        if (++seen === 3) ctx.finish(13, 'model crashed');
        else ctx.reply(dataFor(req, 4, true));
      },
    });
    const result = await runStreamLoop(open(server.address, kind), {
      users: 1,
      requests: 10,
      steps: [request('m')],
      timeoutMs: 5_000,
    });
    expect(result.errorsByStatus).toEqual({ INTERNAL: 1 });
    expect(result.firstError).toBe('INTERNAL: model crashed');
    // INTERNAL is not fatal: the user goes on, on a new stream.
    expect(result).toMatchObject({ sent: 10, ok: 9 });
    expect(server.streams.length).toBe(2);
  });

  it('half-closes: the server sees the end and the stream ends with OK', async () => {
    const server = await serve(tokens());
    const { stream, responses, ended, write } = collect(open(server.address, kind));
    write(1, request('tokens:2'));
    write(2, request('tokens:1'));
    stream.end();
    expect(await ended).toBeNull();
    expect(responses.map((r) => [r.requestId, r.outputs, r.final])).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [1, 0, 1],
      [2, 1, 0],
      [2, 0, 1],
    ]);
  });

  it('cancels: the server sees a reset, onEnd gets CANCELLED once', async () => {
    const server = await serve({ onRequest: () => undefined });
    const { stream, ended, write } = collect(open(server.address, kind));
    write(1, request('m'));
    await within(
      (async () => {
        while (server.streams[0]?.contexts.requests.length !== 1) await new Promise((r) => setTimeout(r, 5));
      })(),
      5_000,
      'request',
    );
    stream.cancel();
    expect((await ended)?.status).toBe('CANCELLED');
    await within(
      (async () => {
        while (server.streams[0]?.rstCode === undefined) await new Promise((r) => setTimeout(r, 5));
      })(),
      5_000,
      'server close',
    );
    expect(server.streams[0]?.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
  });

  it('fails a stream whose response is not a ModelStreamInferResponse', async () => {
    const server = await serve({
      onRequest(ctx) {
        ctx.stream.write(grpcFrame(Buffer.from([0x12, 0x40, 0x01])));
      },
    });
    const { ended, write } = collect(open(server.address, kind));
    write(1, request('m'));
    expect(await ended).toEqual({
      status: 'INTERNAL',
      message: 'malformed ModelStreamInferResponse (is this a Triton ModelStreamInfer endpoint?)',
    });
  });
});

describe('stream transport h2', () => {
  it('puts together responses split over writes and DATA frames, large and small', async () => {
    const server = await serve(tokens(true, 100_000));
    const result = await runStreamLoop(open(server.address), {
      users: 3,
      requests: 30,
      steps: [request('tokens:2')],
      timeoutMs: 5_000,
    });
    expect(result.firstError).toBeUndefined();
    expect(result).toMatchObject({ ok: 30, responses: 60, emptyFinals: 30, unmatchedResponses: 0 });
  });

  it('sends requests larger than the flow-control windows intact (queued, resumed on WINDOW_UPDATE)', async () => {
    const received: Buffer[] = [];
    const server = await serve(
      {
        onRequest(ctx, req, raw) {
          received.push(raw);
          ctx.reply(dataFor(req, 4, true));
        },
      },
      { initialWindowSize: 65_535 },
    );
    const big = request('image', 602_112);
    const result = await runStreamLoop(open(server.address), {
      users: 2,
      requests: 6,
      steps: [big],
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ ok: 6, failed: 0 });
    expect(received).toHaveLength(6);
    // Each arrived whole: the cell's bytes, then its tail (id).
    for (const raw of received) expect(raw.subarray(0, big.length).equals(big)).toBe(true);
  });

  it('maps a server reset to a status and fails the stream', async () => {
    const server = await serve({
      onRequest(ctx) {
        ctx.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      },
    });
    const { ended, write } = collect(open(server.address));
    write(1, request('m'));
    const failure = await ended;
    expect(failure?.status).toBe('INTERNAL');
    expect(failure?.message).toMatch(/reset the stream with INTERNAL_ERROR/);
  });

  it('fails a stream whose response claims compression', async () => {
    const server = await serve({
      onRequest(ctx) {
        ctx.stream.write(grpcFrame(Buffer.from([1, 2, 3]), 1));
      },
    });
    const { ended, write } = collect(open(server.address));
    write(1, request('m'));
    const failure = await ended;
    expect(failure?.status).toBe('INTERNAL');
    expect(failure?.message).toMatch(/compressed message/);
  });

  it('waits for a free slot under the server stream limit, sending what was written meanwhile', async () => {
    const server = await serve(tokens(), { maxConcurrentStreams: 1 });
    const transport = open(server.address);
    const first = collect(transport);
    const second = collect(transport);
    first.write(1, request('tokens:1'));
    second.write(2, request('tokens:2'));
    second.write(3, request('tokens:0'));
    second.stream.end();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.streams).toHaveLength(1);
    first.stream.end();
    expect(await first.ended).toBeNull();
    expect(await second.ended).toBeNull();
    expect(second.responses.map((r) => r.requestId)).toEqual([2, 2, 2, 3]);
  });

  it('ends a stream with UNAVAILABLE when the server cannot be reached', async () => {
    const server = await serve(tokens());
    const address = server.address;
    await server.close();
    const { ended, write } = collect(open(address));
    write(1, request('m'));
    expect((await ended)?.status).toBe('UNAVAILABLE');
  });
});
