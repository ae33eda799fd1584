/**
 * Pre-encoded request bytes (docs/architecture.md#measurement "request bytes encoded once"): the HPACK header block
 * per distinct timeout, the length-prefixed message per distinct request object, and, when
 * both fit in one minimum-size frame, the complete HEADERS + DATA frames with a zero stream
 * id, so that sending a request is one copy plus two 4-byte stream-id patches.
 */
import { encodeHeaderBlock, type HeaderField } from './hpack-encoder.js';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, FrameFlag, FrameType, putFrameHeader } from './frames.js';
import { encodeLengthPrefixed, formatGrpcTimeout } from './grpc-wire.js';

/** Everything needed to send one request, shared by all requests with the same bytes and timeout. */
export interface RequestTemplate {
  /** HPACK block (literals without indexing) for HEADERS + CONTINUATION. */
  readonly headerBlock: Buffer;
  /** The gRPC Length-Prefixed-Message: flag 0, 4-byte length, message. */
  readonly payload: Buffer;
  /**
   * HEADERS (END_HEADERS) then DATA (END_STREAM) with stream id 0, or null when the header
   * block or payload exceeds 16 KiB (the smallest MAX_FRAME_SIZE a server may announce).
   */
  readonly wire: Buffer | null;
  /** Offset of the DATA frame header inside `wire`. */
  readonly dataFrameOffset: number;
}

/** Where and how requests are sent. */
export interface RequestTarget {
  readonly scheme: 'http' | 'https';
  /** `host:port` as given by the user (RFC 9113 §8.3.1 `:authority`). */
  readonly authority: string;
  readonly path: string;
  /** Extra metadata (secrets: never logged or put in messages). */
  readonly headers: Readonly<Record<string, string>>;
}

const USER_AGENT = 'triton-throughput-gate';
const HEADER_NAME = /^[0-9a-z_.-]+$/;
const HEADER_VALUE = /^[\x20-\x7e]*$/;
// Call-definition headers we send ourselves, and connection-specific fields that make an
// HTTP/2 request malformed (RFC 9113 §8.2.2).
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'content-type',
  'te',
  'user-agent',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
]);
const EMPTY = Buffer.alloc(0);
/** Distinct timeouts we keep blocks for; a caller varying it per request just re-encodes. */
const MAX_CACHED_TIMEOUTS = 64;

/** Throws when a metadata entry cannot be sent as a gRPC ASCII header; never echoes the value. */
export function checkMetadata(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new Error(
        `gRPC metadata '${name}': expected a lowercase name of 0-9 a-z _ - . (gRPC PROTOCOL-HTTP2 Header-Name)`,
      );
    }
    if (RESERVED_NAMES.has(name)) throw new Error(`gRPC metadata '${name}': set by the transport itself, remove it`);
    if (!HEADER_VALUE.test(value)) {
      throw new Error(
        `gRPC metadata '${name}': value must be printable ASCII (value not shown: metadata may hold secrets)`,
      );
    }
  }
}

/** Caches templates by request identity and timeout. */
export class RequestEncoder {
  private readonly blocks = new Map<number, Buffer>();
  private readonly payloads = new WeakMap<Uint8Array, Buffer>();
  private lastRequest: Uint8Array | undefined;
  private lastTimeoutMs = Number.NaN;
  private lastTemplate: RequestTemplate | undefined;
  private stream: RequestTemplate | undefined;

  /** `target.headers` must have passed `checkMetadata`. */
  constructor(private readonly target: RequestTarget) {}

  /** Template for `request` with deadline `timeoutMs` (Infinity: no `grpc-timeout`). */
  templateFor(request: Uint8Array, timeoutMs: number): RequestTemplate {
    if (request === this.lastRequest && timeoutMs === this.lastTimeoutMs && this.lastTemplate !== undefined) {
      return this.lastTemplate;
    }
    let payload = this.payloads.get(request);
    if (payload === undefined) {
      payload = encodeLengthPrefixed(request);
      this.payloads.set(request, payload);
    }
    const template = buildTemplate(this.headerBlock(timeoutMs), payload);
    this.lastRequest = request;
    this.lastTimeoutMs = timeoutMs;
    this.lastTemplate = template;
    return template;
  }

  /**
   * Template of a bidirectional call (ModelStreamInfer): the header block without a deadline
   * and no payload; its messages are framed as they are written (h2-bidi-stream.ts).
   */
  streamTemplate(): RequestTemplate {
    this.stream ??= {
      headerBlock: this.headerBlock(Number.POSITIVE_INFINITY),
      payload: EMPTY,
      wire: null,
      dataFrameOffset: 0,
    };
    return this.stream;
  }

  private headerBlock(timeoutMs: number): Buffer {
    let block = this.blocks.get(timeoutMs);
    if (block === undefined) {
      if (this.blocks.size >= MAX_CACHED_TIMEOUTS) this.blocks.clear();
      block = encodeHeaderBlock(requestFields(this.target, timeoutMs));
      this.blocks.set(timeoutMs, block);
    }
    return block;
  }
}

/** Request header fields in the order PROTOCOL-HTTP2 asks for (timeout right after pseudo-headers). */
export function requestFields(target: RequestTarget, timeoutMs: number): HeaderField[] {
  const fields: HeaderField[] = [
    [':method', 'POST'],
    [':scheme', target.scheme],
    [':path', target.path],
    [':authority', target.authority],
  ];
  if (Number.isFinite(timeoutMs)) fields.push(['grpc-timeout', formatGrpcTimeout(timeoutMs)]);
  fields.push(['content-type', 'application/grpc'], ['te', 'trailers'], ['user-agent', USER_AGENT]);
  for (const [name, value] of Object.entries(target.headers)) fields.push([name, value, true]);
  return fields;
}

function buildTemplate(headerBlock: Buffer, payload: Buffer): RequestTemplate {
  if (headerBlock.length > DEFAULT_MAX_FRAME_BYTES || payload.length > DEFAULT_MAX_FRAME_BYTES) {
    return { headerBlock, payload, wire: null, dataFrameOffset: 0 };
  }
  const dataFrameOffset = FRAME_HEADER_BYTES + headerBlock.length;
  const wire = Buffer.allocUnsafe(dataFrameOffset + FRAME_HEADER_BYTES + payload.length);
  putFrameHeader(wire, 0, headerBlock.length, FrameType.HEADERS, FrameFlag.END_HEADERS, 0);
  headerBlock.copy(wire, FRAME_HEADER_BYTES);
  putFrameHeader(wire, dataFrameOffset, payload.length, FrameType.DATA, FrameFlag.END_STREAM, 0);
  payload.copy(wire, dataFrameOffset + FRAME_HEADER_BYTES);
  return { headerBlock, payload, wire, dataFrameOffset };
}
