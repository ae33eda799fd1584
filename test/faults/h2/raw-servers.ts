/**
 * Raw TCP peers for the transport's fault tests: an HTTP/1.1 server, a server that accepts
 * and then misbehaves, and a scripted HTTP/2 server whose replies are hand-built frames, for
 * protocol corners node:http2 never produces (PRIORITY flag, CONTINUATION split inside a
 * field, unknown frame types, 1xx headers, several messages in a unary reply).
 */
import * as net from 'node:net';
import { FrameReader, type FrameHandler } from '../../../src/triton/h2/frame-reader.js';
import { encodeSettingsFrame, FrameFlag, FrameType, putFrameHeader } from '../../../src/triton/h2/frames.js';

/** A listening raw server. */
export interface RawServer {
  readonly address: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  close(): Promise<void>;
}

/** Starts a TCP server on 127.0.0.1:0 running `onSocket` for each connection. */
export async function startRawServer(onSocket: (socket: net.Socket) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A port that was just free and now refuses connections. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/** One HTTP/2 frame. */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(9 + payload.length);
  putFrameHeader(out, 0, payload.length, type, flags, streamId);
  payload.copy(out, 9);
  return out;
}

/** HPACK literal without indexing, new name, raw strings (fields < 127 octets). */
export function literalBlock(fields: readonly (readonly [string, string])[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(
      Buffer.of(0x00, name.length),
      Buffer.from(name, 'latin1'),
      Buffer.of(value.length),
      Buffer.from(value, 'latin1'),
    );
  }
  return Buffer.concat(parts);
}

/** A gRPC message with its 5-byte prefix. */
export function grpcMessage(body: Buffer, flag = 0): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out[0] = flag;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

/** Replies to one request stream (the client's END_STREAM arrived). */
export type ScriptedReply = (streamId: number, write: (bytes: Buffer) => void, socket: net.Socket) => void;

/**
 * A minimal HTTP/2 server: reads the client preface and frames with our own FrameReader,
 * sends SETTINGS (+ ACKs), and calls `reply` when a request is complete.
 */
export function scriptedH2(
  reply: ScriptedReply,
  settings: readonly (readonly [number, number])[] = [],
  onOpen?: (write: (bytes: Buffer) => void) => void,
): (socket: net.Socket) => void {
  return (socket) => {
    const write = (bytes: Buffer): void => {
      if (!socket.destroyed) socket.write(bytes);
    };
    const handler: FrameHandler = {
      onFrame(type, flags) {
        if (type === FrameType.SETTINGS && (flags & FrameFlag.ACK) === 0) write(encodeSettingsFrame([], true));
      },
      onDataStart: () => undefined,
      onData: () => undefined,
      onDataEnd(flags, streamId) {
        if ((flags & FrameFlag.END_STREAM) !== 0) reply(streamId, write, socket);
      },
    };
    const reader = new FrameReader(handler, 1 << 24);
    let preface = 24;
    socket.on('data', (chunk: Buffer) => {
      const skip = Math.min(preface, chunk.length);
      preface -= skip;
      if (skip < chunk.length) reader.push(chunk.subarray(skip));
    });
    write(encodeSettingsFrame(settings));
    onOpen?.(write);
  };
}
