// The H2 transport against peers that are not well-behaved gRPC servers: an HTTP/1.1 server
// (Triton's port 8000), a closed port, a silent server, connections dropped mid-stream, and a
// scripted HTTP/2 server sending protocol corners by hand. Every test is bounded, keeps
// `sent === ok + failed`, and leaves no timer or socket behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../../src/load/closed-loop.js';
import type { InferFailure } from '../../../src/load/infer-transport.js';
import {
  createH2InferTransport,
  type H2InferTransport,
  type H2Tuning,
} from '../../../src/triton/h2/h2-infer-transport.js';
import { TritonError } from '../../../src/triton/triton-error.js';
import { ErrorCode, FrameFlag, FrameType } from '../../../src/triton/h2/frames.js';
import { activeIoResources, trackHandles, within, type HandleTracker } from './handle-tracker.js';
import {
  closedPort,
  frame,
  grpcMessage,
  literalBlock,
  scriptedH2,
  startRawServer,
  type RawServer,
  type ScriptedReply,
} from './raw-servers.js';

const REQUEST = Buffer.from('request');
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

async function serve(onSocket: Parameters<typeof startRawServer>[0]): Promise<RawServer> {
  const server = await startRawServer(onSocket);
  cleanups.push(() => server.close());
  return server;
}

function open(address: string, tuning?: H2Tuning): H2InferTransport {
  const transport = createH2InferTransport({ address, isTls: false, headers: {}, connections: 1 }, tuning);
  cleanups.push(() => {
    transport.close();
  });
  return transport;
}

function call(transport: H2InferTransport, timeoutMs = 5_000): Promise<InferFailure | null> {
  return within(
    new Promise((resolve) => {
      transport.send(REQUEST, timeoutMs, resolve);
    }),
    10_000,
    'call',
  );
}

const OK_HEADERS = literalBlock([
  [':status', '200'],
  ['content-type', 'application/grpc'],
]);
const OK_TRAILERS = literalBlock([['grpc-status', '0']]);

describe('H2 transport: peers that do not speak HTTP/2', () => {
  it('explains an HTTP/1.1 reply (Triton HTTP port) with UNAVAILABLE instead of hanging', async () => {
    const http1 = await serve((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
    });
    const transport = open(http1.address);
    const result = await within(
      runClosedLoop(transport, { users: 4, requests: 20, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'loop',
    );
    expect(result.sent).toBe(result.ok + result.failed);
    expect(result.errorsByStatus).toEqual({ UNAVAILABLE: result.failed });
    expect(result.firstError).toBe(
      `UNAVAILABLE: ${http1.address} did not speak HTTP/2: it replied 'HTTP/1.1 400 Bad Request' (an HTTP/1.x server; ` +
        "is this Triton's HTTP port? Triton serves HTTP/1.1 on port 8000 and gRPC on port 8001 by default)",
    );
  });

  it('rejects ready() with a TritonError for an HTTP/1 server that answers before reading', async () => {
    const http1 = await serve((socket) => {
      socket.end('HTTP/1.0 505 HTTP Version Not Supported\r\n\r\n');
    });
    const transport = open(http1.address, { reconnectBackoffMs: 0 });
    const error = await within(
      transport.ready().then(
        () => undefined,
        (err: unknown) => err,
      ),
      5_000,
      'ready',
    );
    expect(error).toBeInstanceOf(TritonError);
    expect(error instanceof TritonError && error.status).toBe('UNAVAILABLE');
    expect(error instanceof Error && error.message).toMatch(
      /^ModelInfer on 127\.0\.0\.1:\d+ failed with UNAVAILABLE: .* it replied 'HTTP\/1\.0 505 HTTP Version Not Supported'/,
    );
  });

  it('fails with "connect ECONNREFUSED host:port" on a closed port, then backs off instead of looping', async () => {
    const port = await closedPort();
    const transport = open(`127.0.0.1:${port}`);
    expect(await call(transport)).toEqual({ status: 'UNAVAILABLE', message: `connect ECONNREFUSED 127.0.0.1:${port}` });
    const result = await within(
      runClosedLoop(
        transport,
        { users: 4, requests: 200, request: REQUEST, timeoutMs: 5_000 },
        { shouldStopOnFatal: false },
      ),
      10_000,
      'loop',
    );
    expect(result).toMatchObject({ sent: 200, ok: 0, failed: 200, errorsByStatus: { UNAVAILABLE: 200 } });
    await expect(transport.ready()).rejects.toThrow(`failed with UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('does not reconnect in a loop to a server that drops every connection', async () => {
    const dropper = await serve((socket) => {
      socket.destroy();
    });
    const transport = open(dropper.address);
    const result = await within(
      runClosedLoop(
        transport,
        { users: 2, requests: 100, request: REQUEST, timeoutMs: 5_000 },
        { shouldStopOnFatal: false },
      ),
      10_000,
      'loop',
    );
    expect(result).toMatchObject({ sent: 100, failed: 100 });
    expect(result.firstError).toMatch(
      /closed the connection without speaking HTTP\/2 \(not a gRPC endpoint\? Triton serves|ECONNRESET/,
    );
    expect(dropper.accepted()).toBeLessThanOrEqual(2);
  });

  it('gives up on a silent server after the handshake timeout, or at the deadline if sooner', async () => {
    const silent = await serve(() => undefined);
    expect(await call(open(silent.address, { handshakeTimeoutMs: 5_000 }), 100)).toEqual({
      status: 'DEADLINE_EXCEEDED',
      message: `deadline of 100 ms exceeded waiting for ${silent.address}`,
    });
    expect(await call(open(silent.address, { handshakeTimeoutMs: 100 }))).toEqual({
      status: 'UNAVAILABLE',
      message: expect.stringMatching(
        /^127\.0\.0\.1:\d+ sent nothing for 100 ms without speaking HTTP\/2 \(not a gRPC endpoint\?/,
      ) as unknown,
    });
  });
});

describe('H2 transport: connection lost mid-stream', () => {
  it('fails every in-flight call with UNAVAILABLE naming the address', async () => {
    const partial: ScriptedReply = (id, write, socket) => {
      write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, OK_HEADERS));
      write(frame(FrameType.DATA, 0, id, grpcMessage(Buffer.alloc(64)).subarray(0, 20)));
      setTimeout(() => socket.end(), 10);
    };
    const server = await serve(scriptedH2(partial));
    const transport = open(server.address);
    const result = await within(
      runClosedLoop(transport, { users: 3, requests: 30, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'loop',
    );
    expect(result.sent).toBe(result.ok + result.failed);
    expect(result.errorsByStatus).toEqual({ UNAVAILABLE: result.failed });
    expect(result.firstError).toBe(`UNAVAILABLE: connection to ${server.address} closed by the server`);
  });
});

describe('H2 transport: protocol corners from a scripted server', () => {
  async function replyOnce(
    reply: ScriptedReply,
    settings: readonly (readonly [number, number])[] = [],
  ): Promise<InferFailure | null> {
    const server = await serve(scriptedH2(reply, settings));
    return call(open(server.address));
  }

  it('handles PADDED+PRIORITY HEADERS, CONTINUATION split inside a field, unknown frames, PING and PADDED DATA', async () => {
    const failure = await replyOnce((id, write) => {
      const block = OK_HEADERS;
      const padded = Buffer.concat([
        Buffer.of(3),
        Buffer.from('8000000110', 'hex'),
        block.subarray(0, 7),
        Buffer.alloc(3),
      ]);
      write(frame(0xbe, 0xff, 0, Buffer.from('ignore me')));
      write(frame(FrameType.HEADERS, FrameFlag.PADDED | FrameFlag.PRIORITY, id, padded));
      write(frame(FrameType.CONTINUATION, 0, id, block.subarray(7, 20)));
      write(frame(FrameType.CONTINUATION, FrameFlag.END_HEADERS, id, block.subarray(20)));
      write(frame(FrameType.PING, 0, 0, Buffer.from('12345678')));
      write(frame(FrameType.PRIORITY, 0, id, Buffer.from('0000000010', 'hex')));
      const message = grpcMessage(Buffer.from('reply'));
      write(
        frame(
          FrameType.DATA,
          FrameFlag.PADDED,
          id,
          Buffer.concat([Buffer.of(4), message.subarray(0, 3), Buffer.alloc(4)]),
        ),
      );
      write(frame(FrameType.DATA, 0, id, message.subarray(3)));
      write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS | FrameFlag.END_STREAM, id, OK_TRAILERS));
    });
    expect(failure).toBeNull();
  });

  it('skips 1xx informational headers', async () => {
    const failure = await replyOnce((id, write) => {
      write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, literalBlock([[':status', '100']])));
      write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, OK_HEADERS));
      write(frame(FrameType.DATA, 0, id, grpcMessage(Buffer.alloc(0))));
      write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS | FrameFlag.END_STREAM, id, OK_TRAILERS));
    });
    expect(failure).toBeNull();
  });

  it('fails a unary reply with two messages, or one ended by DATA without trailers', async () => {
    expect(
      await replyOnce((id, write) => {
        write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, OK_HEADERS));
        write(
          frame(FrameType.DATA, 0, id, Buffer.concat([grpcMessage(Buffer.from('a')), grpcMessage(Buffer.from('b'))])),
        );
        write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS | FrameFlag.END_STREAM, id, OK_TRAILERS));
      }),
    ).toEqual({ status: 'UNIMPLEMENTED', message: 'Too many responses received (2 to a unary call)' });
    const noTrailers = await replyOnce((id, write) => {
      write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, OK_HEADERS));
      write(frame(FrameType.DATA, FrameFlag.END_STREAM, id, grpcMessage(Buffer.from('a'))));
    });
    expect(noTrailers?.status).toBe('UNKNOWN');
    expect(noTrailers?.message).toMatch(/ended the stream without grpc-status$/);
  });

  it.each([
    [
      'a DATA frame inside a header block',
      (id: number, write: (b: Buffer) => void) => {
        write(frame(FrameType.HEADERS, 0, id, OK_HEADERS.subarray(0, 5)));
        write(frame(FrameType.DATA, 0, id, Buffer.alloc(1)));
      },
      /HTTP\/2 PROTOCOL_ERROR from .*: DATA inside a header block/,
    ],
    [
      'an undecodable header block',
      (id: number, write: (b: Buffer) => void) => {
        write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, Buffer.from('80', 'hex')));
      },
      /HPACK COMPRESSION_ERROR from .*: header field index 0/,
    ],
    [
      'a WINDOW_UPDATE overflowing the send window',
      (_id: number, write: (b: Buffer) => void) => {
        write(frame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.from('7fffffff', 'hex')));
      },
      /HTTP\/2 FLOW_CONTROL_ERROR from .*: connection send window above 2\^31-1/,
    ],
    [
      'a PUSH_PROMISE',
      (id: number, write: (b: Buffer) => void) => {
        write(frame(FrameType.PUSH_PROMISE, FrameFlag.END_HEADERS, id, Buffer.from('00000002', 'hex')));
      },
      /PUSH_PROMISE although push is disabled/,
    ],
  ])('fails the connection with UNAVAILABLE on %s', async (_what, reply, message) => {
    const failure = await replyOnce(reply);
    expect(failure?.status).toBe('UNAVAILABLE');
    expect(failure?.message).toMatch(message);
  });

  it('rejects invalid server SETTINGS', async () => {
    const failure = await replyOnce(() => undefined, [[0x5, 100]]);
    expect(failure).toMatchObject({
      status: 'UNAVAILABLE',
      message: expect.stringMatching(/PROTOCOL_ERROR .*MAX_FRAME_SIZE 100/) as unknown,
    });
  });

  it('waits while MAX_CONCURRENT_STREAMS is 0 and sends once the server raises it', async () => {
    let replies = 0;
    const server = await serve(
      scriptedH2(
        (id, write) => {
          replies++;
          write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS, id, OK_HEADERS));
          write(frame(FrameType.DATA, 0, id, grpcMessage(Buffer.from('x'))));
          write(frame(FrameType.HEADERS, FrameFlag.END_HEADERS | FrameFlag.END_STREAM, id, OK_TRAILERS));
        },
        [[0x3, 0]],
        (write) => {
          setTimeout(() => {
            const settings = Buffer.alloc(6);
            settings.writeUInt16BE(0x3, 0);
            settings.writeUInt32BE(10, 2);
            write(frame(FrameType.SETTINGS, 0, 0, settings));
          }, 50);
        },
      ),
    );
    const result = await within(
      runClosedLoop(open(server.address), { users: 4, requests: 12, request: REQUEST, timeoutMs: 5_000 }),
      10_000,
      'loop',
    );
    expect(result).toMatchObject({ sent: 12, ok: 12 });
    expect(replies).toBe(12);
  });

  it('maps a server RST_STREAM(CANCEL) before the deadline to CANCELLED', async () => {
    const failure = await replyOnce((id, write) => {
      setTimeout(() => {
        const code = Buffer.alloc(4);
        code.writeUInt32BE(ErrorCode.CANCEL);
        write(frame(FrameType.RST_STREAM, 0, id, code));
      }, 30);
    });
    expect(failure).toEqual({
      status: 'CANCELLED',
      message: expect.stringMatching(/reset the stream with CANCEL$/) as unknown,
    });
  });
});
