// The H2 transport against a real HTTP/2 implementation (node:http2 / nghttp2) acting as a gRPC
// server: echo, trailers-only errors, RST_STREAM codes, GOAWAY, deadlines, multi-megabyte
// replies, MAX_CONCURRENT_STREAMS, padding, CONTINUATION, server SETTINGS changes, cancel and
// stream-id exhaustion. Every test is bounded and checks that close() leaves no handle behind.
import * as http2 from 'node:http2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../../src/load/closed-loop.js';
import type { InferFailure } from '../../../src/load/infer-transport.js';
import {
  createH2InferTransport,
  type H2InferTransport,
  type H2Tuning,
} from '../../../src/triton/h2/h2-infer-transport.js';
import { activeIoResources, trackHandles, within, type HandleTracker } from './handle-tracker.js';
import {
  grpcFrame,
  replyTrailersOnly,
  replyWith,
  startGrpcH2Server,
  type GrpcH2Server,
  type GrpcH2ServerOptions,
  type Scenario,
} from './grpc-h2-server.js';

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_CANCEL, NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } =
  http2.constants;
const REQUEST = Buffer.from('model-infer-request-bytes');

const echo: Scenario = (stream, _headers, body) => {
  replyWith(stream, body);
};

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

async function serve(scenarios: Record<string, Scenario>, options?: GrpcH2ServerOptions): Promise<GrpcH2Server> {
  const server = await startGrpcH2Server(scenarios, options);
  cleanups.push(() => server.close());
  return server;
}

function open(server: GrpcH2Server, path: string, tuning?: H2Tuning, connections = 1): H2InferTransport {
  const transport = createH2InferTransport(
    { address: server.address, isTls: false, headers: { authorization: 'Bearer s3cret' }, connections, path },
    tuning,
  );
  cleanups.push(() => {
    transport.close();
  });
  return transport;
}

/** One call; checks that `done` runs once and never inside `send`. */
async function call(
  transport: H2InferTransport,
  timeoutMs = 5_000,
  request: Uint8Array = REQUEST,
): Promise<InferFailure | null> {
  let calls = 0;
  let isInsideSend = true;
  const result = new Promise<InferFailure | null>((resolve) => {
    transport.send(request, timeoutMs, (failure) => {
      calls++;
      expect(isInsideSend).toBe(false);
      resolve(failure);
    });
  });
  isInsideSend = false;
  const failure = await within(result, 10_000, 'call');
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls).toBe(1);
  return failure;
}

describe('H2 transport: successful calls', () => {
  it('sends a gRPC request with metadata and gets the echo', async () => {
    const server = await serve({ '/t/Echo': echo });
    const transport = open(server, '/t/Echo');
    await within(transport.ready(), 5_000, 'ready');
    expect(await call(transport, 2_500)).toBeNull();
    expect(server.requests[0]).toMatchObject({
      ':method': 'POST',
      ':scheme': 'http',
      ':path': '/t/Echo',
      ':authority': server.address,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '2500m',
      'user-agent': 'triton-throughput-gate',
      authorization: 'Bearer s3cret',
    });
  });

  it('keeps sent === ok + failed over a closed loop on 2 connections', async () => {
    const server = await serve({ '/t/Echo': echo });
    const transport = open(server, '/t/Echo', {}, 2);
    const result = await within(
      runClosedLoop(transport, { users: 8, requests: 400, request: REQUEST, timeoutMs: 5_000 }),
      20_000,
      'loop',
    );
    expect(result).toMatchObject({ sent: 400, ok: 400, failed: 0 });
    expect(result.sent).toBe(result.ok + result.failed);
    expect(server.sessions).toHaveLength(2);
  });

  it('receives a 5 MiB reply in many DATA frames, refilling small receive windows', async () => {
    const reply = grpcFrame(Buffer.alloc(5 * 1024 * 1024, 0x5a));
    const server = await serve({
      '/t/Large': (stream) => {
        replyWith(stream, reply);
      },
    });
    const transport = open(server, '/t/Large', { localWindowBytes: 256 * 1024 });
    const result = await within(
      runClosedLoop(transport, { users: 3, requests: 6, request: REQUEST, timeoutMs: 10_000 }),
      20_000,
      'large',
    );
    expect(result).toMatchObject({ sent: 6, ok: 6, failed: 0 });
  });

  it('sends a 1 MiB request under the server flow control and a small frame limit', async () => {
    const server = await serve({ '/t/Echo': echo }, { settings: { initialWindowSize: 1_000, maxFrameSize: 20_000 } });
    const transport = open(server, '/t/Echo');
    const big = Buffer.alloc(1024 * 1024, 7);
    const result = await within(
      runClosedLoop(transport, { users: 4, requests: 8, request: big, timeoutMs: 10_000 }),
      20_000,
      'upload',
    );
    expect(result).toMatchObject({ sent: 8, ok: 8, failed: 0 });
  });

  it('beyond MAX_CONCURRENT_STREAMS 2 with 16 users, warns once and opens extra connections instead of queueing', async () => {
    const slow: Scenario = (stream, _headers, body) => {
      setTimeout(() => {
        replyWith(stream, body);
      }, 5);
    };
    const server = await serve({ '/t/Slow': slow }, { settings: { maxConcurrentStreams: 2 } });
    const warnings: string[] = [];
    const transport = createH2InferTransport({
      address: server.address,
      isTls: false,
      headers: {},
      connections: 1,
      path: '/t/Slow',
      onWarning: (message) => warnings.push(message),
    });
    cleanups.push(() => {
      transport.close();
    });
    await transport.ready();
    const result = await within(
      runClosedLoop(transport, { users: 16, requests: 64, request: REQUEST, timeoutMs: 10_000 }),
      20_000,
      'queue',
    );
    expect(result).toMatchObject({ sent: 64, ok: 64, failed: 0 });
    expect(warnings).toEqual([
      `${server.address} allows 2 concurrent streams per connection (SETTINGS_MAX_CONCURRENT_STREAMS) and more users than that ` +
        'are in flight: opening extra connections (up to 64) so calls do not wait in the client',
    ]);
    // 16 users at 2 streams each: 8 connections, and the server never had to refuse a stream.
    expect(server.sessions).toHaveLength(8);
    expect(server.maxActive()).toBeGreaterThan(2);
    expect(transport.retriedRequests()).toBe(0);
  });

  it('decodes padded HEADERS and DATA frames', async () => {
    const server = await serve({ '/t/Echo': echo }, { paddingStrategy: http2.constants.PADDING_STRATEGY_MAX });
    const transport = open(server, '/t/Echo');
    const result = await within(
      runClosedLoop(transport, { users: 4, requests: 50, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'padded',
    );
    expect(result).toMatchObject({ sent: 50, ok: 50 });
  });

  it('sends an HPACK table size update after the server lowers HEADER_TABLE_SIZE', async () => {
    const server = await serve({ '/t/Echo': echo }, { settings: { headerTableSize: 0 } });
    const transport = open(server, '/t/Echo');
    const result = await within(
      runClosedLoop(transport, { users: 2, requests: 20, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'table size',
    );
    expect(result).toMatchObject({ sent: 20, ok: 20 });
  });

  it('answers the server PING', async () => {
    const server = await serve({ '/t/Echo': echo });
    const transport = open(server, '/t/Echo');
    expect(await call(transport)).toBeNull();
    const session = server.sessions[0] as http2.ServerHttp2Session;
    const error = await within(
      new Promise<Error | null>((resolve) =>
        session.ping((err) => {
          resolve(err);
        }),
      ),
      5_000,
      'ping',
    );
    expect(error).toBeNull();
  });

  it('moves to a new connection when stream ids run out', async () => {
    const server = await serve({ '/t/Echo': echo });
    const transport = open(server, '/t/Echo', { maxStreamId: 7 });
    const result = await within(
      runClosedLoop(transport, { users: 2, requests: 20, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'ids',
    );
    expect(result).toMatchObject({ sent: 20, ok: 20 });
    expect(server.sessions.length).toBeGreaterThanOrEqual(5);
  });
});

describe('H2 transport: gRPC and HTTP/2 errors', () => {
  it('reports a trailers-only status with its percent-decoded message', async () => {
    const server = await serve({
      '/t/Invalid': (stream) => {
        replyTrailersOnly(stream, 3, 'bad%20input%3A%20%E2%82%AC%25');
      },
    });
    expect(await call(open(server, '/t/Invalid'))).toEqual({ status: 'INVALID_ARGUMENT', message: 'bad input: €%' });
  });

  it('decodes a trailers-only block split into CONTINUATION frames', async () => {
    const extra = { 'x-big': 'v'.repeat(40_000) };
    const server = await serve({
      '/t/Big': (stream) => {
        replyTrailersOnly(stream, 8, 'too big', extra);
      },
    });
    expect(await call(open(server, '/t/Big'))).toEqual({ status: 'RESOURCE_EXHAUSTED', message: 'too big' });
  });

  it.each([
    [NGHTTP2_ENHANCE_YOUR_CALM, 'RESOURCE_EXHAUSTED', 'ENHANCE_YOUR_CALM'],
    [NGHTTP2_CANCEL, 'CANCELLED', 'CANCEL'],
    [NGHTTP2_INTERNAL_ERROR, 'INTERNAL', 'INTERNAL_ERROR'],
  ])('maps RST_STREAM code %i to %s', async (code, status, name) => {
    const server = await serve({
      '/t/Reset': (stream) => {
        stream.close(code);
      },
    });
    const failure = await call(open(server, '/t/Reset'));
    expect(failure).toEqual({ status, message: `${server.address} reset the stream with ${name}` });
  });

  it.each([
    [404, 'UNIMPLEMENTED'],
    [503, 'UNAVAILABLE'],
    [401, 'UNAUTHENTICATED'],
  ])('maps HTTP %i without grpc-status to %s', async (httpStatus, status) => {
    const server = await serve({
      '/t/Http': (stream) => {
        stream.respond({ ':status': httpStatus }, { endStream: true });
      },
    });
    const failure = await call(open(server, '/t/Http'));
    expect(failure?.status).toBe(status);
    expect(failure?.message).toContain(`HTTP status ${httpStatus}`);
  });

  it('fails a compressed reply with INTERNAL', async () => {
    const server = await serve({
      '/t/Zip': (stream) => {
        replyWith(stream, grpcFrame(Buffer.from('zz'), 1));
      },
    });
    const failure = await call(open(server, '/t/Zip'));
    expect(failure).toEqual({
      status: 'INTERNAL',
      message: `${server.address} sent a compressed message, but no grpc-encoding was negotiated`,
    });
  });

  it('re-sends a stream above GOAWAY last-stream-id once on a fresh connection, finishes the others, and counts the retry', async () => {
    let firstSession: http2.Http2Session | undefined;
    const goaway: Scenario = (stream, _headers, body) => {
      firstSession ??= stream.session;
      const isFirst = stream.session === firstSession;
      if (isFirst && stream.id === 1)
        setTimeout(() => {
          replyWith(stream, body);
        }, 50);
      else if (isFirst && stream.id === 3) stream.session?.goaway(NGHTTP2_NO_ERROR, 1, Buffer.from('draining'));
      else replyWith(stream, body);
    };
    const server = await serve({ '/t/Goaway': goaway });
    const transport = open(server, '/t/Goaway');
    await transport.ready();
    const [first, second] = await Promise.all([call(transport), call(transport)]);
    expect(first).toBeNull();
    expect(second).toBeNull();
    expect(transport.retriedRequests()).toBe(1);
    expect(server.sessions).toHaveLength(2);
    expect(await call(transport)).toBeNull();
    expect(server.sessions).toHaveLength(2);
    expect(transport.retriedRequests()).toBe(1);
  });

  it('re-sends a call refused with REFUSED_STREAM once, on a fresh connection, and counts the retry', async () => {
    let first: http2.Http2Session | undefined;
    const refuseOnFirst: Scenario = (stream, _headers, body) => {
      first ??= stream.session;
      if (stream.session === first) stream.close(NGHTTP2_REFUSED_STREAM);
      else replyWith(stream, body);
    };
    const server = await serve({ '/t/Refuse': refuseOnFirst });
    const transport = open(server, '/t/Refuse');
    expect(await call(transport)).toBeNull();
    expect(transport.retriedRequests()).toBe(1);
    expect(server.sessions).toHaveLength(2);
  });

  it('fails a call refused twice with UNAVAILABLE, saying it was retried', async () => {
    const server = await serve({
      '/t/Reset': (stream) => {
        stream.close(NGHTTP2_REFUSED_STREAM);
      },
    });
    const transport = open(server, '/t/Reset');
    expect(await call(transport)).toEqual({
      status: 'UNAVAILABLE',
      message: `${server.address} reset the stream with REFUSED_STREAM (after one retry on a fresh connection)`,
    });
    expect(transport.retriedRequests()).toBe(1);
    expect(server.sessions).toHaveLength(2);
  });

  it('loses no call of a closed loop to a server that drains each connection with GOAWAY after 25 streams', async () => {
    const served = new Map<http2.ServerHttp2Session, number>();
    const draining: Scenario = (stream, _headers, body) => {
      const session = stream.session as http2.ServerHttp2Session;
      const count = (served.get(session) ?? 0) + 1;
      served.set(session, count);
      // Streams above the announced last-stream-id get no reply: the client must re-send them.
      if (count === 25) session.goaway(NGHTTP2_NO_ERROR, stream.id, Buffer.from('max connection age'));
      if (count <= 25)
        setTimeout(() => {
          replyWith(stream, body);
        }, 1);
    };
    const server = await serve({ '/t/Drain': draining });
    const transport = open(server, '/t/Drain');
    const result = await within(
      runClosedLoop(transport, { users: 8, requests: 400, request: REQUEST, timeoutMs: 5_000 }),
      20_000,
      'drain',
    );
    expect(result).toMatchObject({ sent: 400, ok: 400, failed: 0 });
    expect(server.sessions.length).toBeGreaterThanOrEqual(16);
    expect(transport.retriedRequests()).toBeGreaterThan(0);
  });

  it('fails an overdue call with DEADLINE_EXCEEDED and resets its stream', async () => {
    const server = await serve({ '/t/Stall': () => undefined });
    const transport = open(server, '/t/Stall');
    const failure = await call(transport, 150);
    expect(failure).toEqual({
      status: 'DEADLINE_EXCEEDED',
      message: `deadline of 150 ms exceeded waiting for ${server.address}`,
    });
    expect(server.requests[0]?.['grpc-timeout']).toBe('150m');
    await within(
      waitFor(() => server.closeCodes.includes(NGHTTP2_CANCEL)),
      5_000,
      'RST_STREAM(CANCEL) at the server',
    );
  });

  it('cancels with RST_STREAM(CANCEL) and reports CANCELLED asynchronously', async () => {
    const server = await serve({ '/t/Stall': () => undefined });
    const transport = open(server, '/t/Stall');
    await transport.ready();
    let failure: InferFailure | null | undefined;
    const inflight = transport.send(REQUEST, 5_000, (f) => {
      failure = f;
    });
    await within(
      waitFor(() => server.requests.length === 1),
      5_000,
      'request at the server',
    );
    inflight.cancel();
    inflight.cancel();
    expect(failure).toBeUndefined();
    await within(
      waitFor(() => failure !== undefined),
      5_000,
      'cancel',
    );
    expect(failure).toEqual({ status: 'CANCELLED', message: 'cancelled by the client' });
    await within(
      waitFor(() => server.closeCodes.includes(NGHTTP2_CANCEL)),
      5_000,
      'RST_STREAM(CANCEL) at the server',
    );
  });

  it('fails in-flight calls with UNAVAILABLE when the server drops the connection mid-stream', async () => {
    const dropMidStream: Scenario = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      // Destroy the raw socket: no GOAWAY, no RST_STREAM, just a lost connection.
      stream.write(grpcFrame(Buffer.alloc(100)).subarray(0, 50), () => {
        server.sockets.at(-1)?.destroy();
      });
    };
    const server = await serve({ '/t/Drop': dropMidStream });
    const transport = open(server, '/t/Drop');
    const result = await within(
      runClosedLoop(transport, { users: 4, requests: 40, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'drop',
    );
    expect(result.sent).toBe(result.ok + result.failed);
    expect(result.ok).toBe(0);
    expect(Object.keys(result.errorsByStatus)).toEqual(['UNAVAILABLE']);
    expect(result.firstError).toMatch(
      new RegExp(`^UNAVAILABLE: connection to ${server.address} (closed by the server|lost: .*ECONNRESET)`),
    );
  });

  it('reconnects lazily on the next send after a lost connection', async () => {
    let drops = 1;
    const dropOnce: Scenario = (stream, _headers, body) => {
      if (drops-- > 0) server.sockets.at(-1)?.destroy();
      else replyWith(stream, body);
    };
    const server = await serve({ '/t/DropOnce': dropOnce });
    const transport = open(server, '/t/DropOnce');
    // A FIN or, when unread bytes remained at the server, an RST.
    expect(await call(transport)).toEqual({
      status: 'UNAVAILABLE',
      message: expect.stringMatching(
        new RegExp(`^connection to ${server.address} (closed by the server|lost: read ECONNRESET)$`),
      ) as unknown,
    });
    expect(await call(transport)).toBeNull();
    expect(server.sessions).toHaveLength(2);
  });

  it('fails calls on a closed transport without calling back synchronously', async () => {
    const server = await serve({ '/t/Echo': echo });
    const transport = open(server, '/t/Echo');
    transport.close();
    expect(await call(transport)).toEqual({ status: 'CANCELLED', message: 'transport closed by the client' });
    await expect(transport.ready()).rejects.toThrow(/CANCELLED/);
  });

  it('cancels in-flight calls on close()', async () => {
    const server = await serve({ '/t/Stall': () => undefined });
    const transport = open(server, '/t/Stall');
    const pending = call(transport);
    await within(
      waitFor(() => server.requests.length === 1),
      5_000,
      'request at the server',
    );
    transport.close();
    expect(await pending).toEqual({ status: 'CANCELLED', message: 'transport closed by the client' });
  });
});

/** Polls `condition` on each turn of the event loop. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}
