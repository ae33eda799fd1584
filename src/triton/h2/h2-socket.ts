/**
 * Opening the byte stream under an HTTP/2 connection (plain TCP or TLS with ALPN `h2`,
 * RFC 9113 §3.2/§3.3), our half of the connection preface (§3.4), and the messages that
 * explain a peer which is not an HTTP/2 server (e.g. Triton's HTTP/1.1 port 8000).
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import {
  CLIENT_PREFACE,
  DEFAULT_WINDOW_BYTES,
  encodeSettingsFrame,
  FRAME_HEADER_BYTES,
  FrameFlag,
  FrameType,
  putWindowUpdate,
  readUint31,
  SettingId,
  WINDOW_UPDATE_BYTES,
} from './frames.js';

/** Where to connect. */
export interface SocketTarget {
  readonly host: string;
  readonly port: number;
  /** `host:port` as the user wrote it, for messages and `:authority`. */
  readonly address: string;
  readonly isTls: boolean;
  /** Trusted CA certificates (PEM) for TLS instead of the system's; for private CAs and tests. */
  readonly ca?: string;
}

/** Splits `host:port` or `[v6]:port`; throws on anything else. */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):([0-9]{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || !(port >= 1 && port <= 65_535)) {
    throw new Error(`gRPC address '${address}': expected host:port or [ipv6]:port with a port in 1..65535`);
  }
  return { host, port };
}

/** Opens the socket with Nagle off; TLS uses the system CAs (or `ca`), SNI = host (unless an IP) and ALPN `h2`. */
export function openSocket(target: SocketTarget): net.Socket {
  if (!target.isTls) return net.connect({ host: target.host, port: target.port, noDelay: true });
  const socket = tls.connect({
    host: target.host,
    port: target.port,
    ALPNProtocols: ['h2'],
    ...(target.ca === undefined ? {} : { ca: target.ca }),
    // RFC 6066 forbids IP addresses as SNI names.
    ...(net.isIP(target.host) === 0 ? { servername: target.host } : {}),
  });
  // As for plain TCP: a small request must not wait for Nagle's algorithm (tls.connect takes no
  // noDelay option; set before connecting, it applies once the TCP handle exists).
  socket.setNoDelay(true);
  return socket;
}

/**
 * Client preface + SETTINGS + connection WINDOW_UPDATE. We keep HEADER_TABLE_SIZE at its
 * default 4096 so the server can index its response headers: an indexed field costs us an
 * array read, a literal costs a Huffman decode per response. MAX_FRAME_SIZE stays at 16 KiB:
 * DATA is streamed without buffering, so larger frames would save nothing but would enlarge
 * the buffer a HEADERS frame may need.
 */
export function encodeClientPreface(localWindowBytes: number): Buffer {
  const settings = encodeSettingsFrame([
    [SettingId.ENABLE_PUSH, 0],
    [SettingId.INITIAL_WINDOW_SIZE, localWindowBytes],
  ]);
  const windowUpdate = Buffer.alloc(WINDOW_UPDATE_BYTES);
  const increment = localWindowBytes - DEFAULT_WINDOW_BYTES;
  const parts = [CLIENT_PREFACE, settings];
  if (increment > 0) {
    putWindowUpdate(windowUpdate, 0, 0, increment);
    parts.push(windowUpdate);
  }
  return Buffer.concat(parts);
}

/** True when `bytes` (>= 9) start with a SETTINGS frame on stream 0 without ACK (§3.4). */
export function startsWithServerSettings(bytes: Buffer): boolean {
  return (
    bytes.length >= FRAME_HEADER_BYTES &&
    bytes[3] === FrameType.SETTINGS &&
    ((bytes[4] as number) & FrameFlag.ACK) === 0 &&
    readUint31(bytes, 5) === 0
  );
}

const MAX_QUOTED_CHARS = 60;
const PORT_HINT = 'Triton serves HTTP/1.1 on port 8000 and gRPC on port 8001 by default';

/** Explains a peer that closed, or stayed silent, before sending any HTTP/2 frame. */
export function describeSilentPeer(address: string, what: string): string {
  return `${address} ${what} without speaking HTTP/2 (not a gRPC endpoint? ${PORT_HINT})`;
}

/** Explains why the peer at `address` is not an HTTP/2 server, given its first bytes. */
export function describeNonHttp2Peer(address: string, firstBytes: Buffer): string {
  const text = firstBytes.toString('latin1', 0, Math.min(firstBytes.length, 200));
  if (text.startsWith('HTTP/')) {
    const line = (text.split('\r\n')[0] ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_QUOTED_CHARS);
    return (
      `${address} did not speak HTTP/2: it replied '${line}' (an HTTP/1.x server; ` +
      `is this Triton's HTTP port? ${PORT_HINT})`
    );
  }
  const hex = firstBytes.subarray(0, 16).toString('hex');
  return `${address} did not speak HTTP/2: its first bytes (${hex}) are not a SETTINGS frame`;
}
