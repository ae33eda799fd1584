/**
 * In-process gRPC server on `node:http2` (nghttp2: HPACK with Huffman and a dynamic table, so
 * it cross-checks our decoder) for the transport's fault tests. Each `:path` is a scenario.
 */
import * as http2 from 'node:http2';
import type * as net from 'node:net';

/** Handles one request after its body arrived. */
export type Scenario = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, body: Buffer) => void;

/** A running server and what it observed. */
export interface GrpcH2Server {
  readonly address: string;
  readonly port: number;
  /** Request headers in arrival order. */
  readonly requests: http2.IncomingHttpHeaders[];
  /** RST_STREAM codes of streams the client reset (0 = closed normally). */
  readonly closeCodes: number[];
  /** Sessions (connections) accepted so far. */
  readonly sessions: http2.ServerHttp2Session[];
  /** The raw sockets under the sessions, to drop a connection without a GOAWAY. */
  readonly sockets: net.Socket[];
  /** Highest number of concurrently open streams seen. */
  readonly maxActive: () => number;
  close(): Promise<void>;
}

/** Options of `startGrpcH2Server`. */
export interface GrpcH2ServerOptions {
  readonly settings?: http2.Settings;
  readonly paddingStrategy?: number;
}

/** Wraps `message` in the 5-byte gRPC prefix; `flag` 1 claims compression. */
export function grpcFrame(message: Buffer, flag = 0): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out[0] = flag;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

/** Normal response: headers, `body` (already framed) as DATA, trailers with `grpc-status`. */
export function replyWith(stream: http2.ServerHttp2Stream, body: Buffer, grpcStatus = '0'): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => {
    stream.sendTrailers({ 'grpc-status': grpcStatus });
  });
  stream.end(body);
}

/** Trailers-Only response (PROTOCOL-HTTP2): status in the only HEADERS frame. */
export function replyTrailersOnly(
  stream: http2.ServerHttp2Stream,
  grpcStatus: number,
  grpcMessage: string,
  extra: http2.OutgoingHttpHeaders = {},
): void {
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-status': String(grpcStatus),
      'grpc-message': grpcMessage,
      ...extra,
    },
    { endStream: true },
  );
}

/** Starts the server on 127.0.0.1:0. */
export async function startGrpcH2Server(
  scenarios: Record<string, Scenario>,
  options: GrpcH2ServerOptions = {},
): Promise<GrpcH2Server> {
  const server = http2.createServer({
    // Multi-megabyte replies wait in the server until our windows open; node's default
    // 10 MB session budget would answer further streams with ENHANCE_YOUR_CALM.
    maxSessionMemory: 256,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.paddingStrategy === undefined ? {} : { paddingStrategy: options.paddingStrategy }),
  });
  const requests: http2.IncomingHttpHeaders[] = [];
  const closeCodes: number[] = [];
  const sessions: http2.ServerHttp2Session[] = [];
  const sockets: net.Socket[] = [];
  server.on('connection', (socket: net.Socket) => sockets.push(socket));
  let active = 0;
  let maxActive = 0;
  server.on('session', (session) => {
    sessions.push(session);
    session.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    requests.push(headers);
    active++;
    maxActive = Math.max(maxActive, active);
    stream.on('error', () => undefined);
    stream.on('close', () => {
      active--;
      closeCodes.push(stream.rstCode);
    });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const scenario = scenarios[String(headers[':path'])];
      if (scenario === undefined) replyTrailersOnly(stream, 12, 'no such scenario');
      else if (!stream.destroyed) scenario(stream, headers, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    port,
    requests,
    closeCodes,
    sessions,
    sockets,
    maxActive: () => maxActive,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
