/**
 * HTTP/2 framing constants and encoders (RFC 9113 §4, §6). Encoders write into a caller's
 * buffer at an offset so control frames go straight into the connection's output slab.
 */

/** Frame types (RFC 9113 §6). Unknown types are ignored (§4.1). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Frame flags (RFC 9113 §6); ACK shares bit 0 with END_STREAM. */
export const FrameFlag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** SETTINGS parameters (RFC 9113 §6.5.2). */
export const SettingId = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** Error codes (RFC 9113 §7), indexed by value. */
export const ERROR_CODE_NAMES: readonly string[] = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

/** Error code values used by this client. */
export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  FLOW_CONTROL_ERROR: 0x3,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
} as const;

/** Name of an HTTP/2 error code, e.g. `CANCEL`, or `0x1f` for unknown codes. */
export function errorCodeName(code: number): string {
  return ERROR_CODE_NAMES[code] ?? `0x${code.toString(16)}`;
}

/** Size of every frame header (RFC 9113 §4.1). */
export const FRAME_HEADER_BYTES = 9;
/** Default and minimum SETTINGS_MAX_FRAME_SIZE (RFC 9113 §6.5.2). */
export const DEFAULT_MAX_FRAME_BYTES = 16_384;
/** Largest allowed SETTINGS_MAX_FRAME_SIZE. */
export const MAX_ALLOWED_FRAME_BYTES = 16_777_215;
/** Initial flow-control window of streams and of the connection (RFC 9113 §6.9.2). */
export const DEFAULT_WINDOW_BYTES = 65_535;
/** Largest flow-control window (RFC 9113 §6.9.1). */
export const MAX_WINDOW_BYTES = 0x7fffffff;
/** The client connection preface (RFC 9113 §3.4). */
export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** A connection error (RFC 9113 §5.4.1): we send GOAWAY with `code` and close. */
export class H2ProtocolError extends Error {
  override readonly name = 'H2ProtocolError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Writes a frame header at `offset`; returns the offset after it. */
export function putFrameHeader(
  buf: Uint8Array,
  offset: number,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): number {
  buf[offset] = length >>> 16;
  buf[offset + 1] = (length >>> 8) & 0xff;
  buf[offset + 2] = length & 0xff;
  buf[offset + 3] = type;
  buf[offset + 4] = flags;
  putUint31(buf, offset + 5, streamId);
  return offset + FRAME_HEADER_BYTES;
}

/** Writes a 31-bit big-endian value with the reserved top bit clear. */
export function putUint31(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 24) & 0x7f;
  buf[offset + 1] = (value >>> 16) & 0xff;
  buf[offset + 2] = (value >>> 8) & 0xff;
  buf[offset + 3] = value & 0xff;
}

/** Reads a 31-bit big-endian value, ignoring the reserved top bit (RFC 9113 §4.1). */
export function readUint31(buf: Uint8Array, offset: number): number {
  return (
    (((buf[offset] as number) & 0x7f) << 24) |
    ((buf[offset + 1] as number) << 16) |
    ((buf[offset + 2] as number) << 8) |
    (buf[offset + 3] as number)
  );
}

/** Reads a 32-bit big-endian unsigned value (error codes, settings values). */
export function readUint32(buf: Uint8Array, offset: number): number {
  return readUint31(buf, offset) + ((buf[offset] as number) >= 0x80 ? 0x80000000 : 0);
}

/** Bytes of a WINDOW_UPDATE frame. */
export const WINDOW_UPDATE_BYTES = FRAME_HEADER_BYTES + 4;
/** Bytes of a RST_STREAM frame. */
export const RST_STREAM_BYTES = FRAME_HEADER_BYTES + 4;
/** Bytes of a PING frame. */
export const PING_BYTES = FRAME_HEADER_BYTES + 8;
/** Bytes of a GOAWAY frame without debug data. */
export const GOAWAY_BYTES = FRAME_HEADER_BYTES + 8;

/** WINDOW_UPDATE (§6.9); `increment` in 1..2^31-1. */
export function putWindowUpdate(buf: Uint8Array, offset: number, streamId: number, increment: number): number {
  putFrameHeader(buf, offset, 4, FrameType.WINDOW_UPDATE, 0, streamId);
  putUint31(buf, offset + FRAME_HEADER_BYTES, increment);
  return offset + WINDOW_UPDATE_BYTES;
}

/** RST_STREAM (§6.4). */
export function putRstStream(buf: Uint8Array, offset: number, streamId: number, code: number): number {
  putFrameHeader(buf, offset, 4, FrameType.RST_STREAM, 0, streamId);
  putUint31(buf, offset + FRAME_HEADER_BYTES, code);
  return offset + RST_STREAM_BYTES;
}

/** PING ACK (§6.7) echoing the 8 opaque octets at `data[dataOffset]`. */
export function putPingAck(buf: Uint8Array, offset: number, data: Uint8Array, dataOffset: number): number {
  putFrameHeader(buf, offset, 8, FrameType.PING, FrameFlag.ACK, 0);
  buf.set(data.subarray(dataOffset, dataOffset + 8), offset + FRAME_HEADER_BYTES);
  return offset + PING_BYTES;
}

/** GOAWAY (§6.8) without debug data. */
export function putGoaway(buf: Uint8Array, offset: number, lastStreamId: number, code: number): number {
  putFrameHeader(buf, offset, 8, FrameType.GOAWAY, 0, 0);
  putUint31(buf, offset + FRAME_HEADER_BYTES, lastStreamId);
  putUint31(buf, offset + FRAME_HEADER_BYTES + 4, code);
  return offset + GOAWAY_BYTES;
}

/** A SETTINGS frame (§6.5) with `[id, value]` pairs, or an empty ACK when `isAck`. */
export function encodeSettingsFrame(settings: readonly (readonly [number, number])[], isAck = false): Buffer {
  const buf = Buffer.alloc(FRAME_HEADER_BYTES + 6 * settings.length);
  putFrameHeader(buf, 0, 6 * settings.length, FrameType.SETTINGS, isAck ? FrameFlag.ACK : 0, 0);
  let offset = FRAME_HEADER_BYTES;
  for (const [id, value] of settings) {
    buf.writeUInt16BE(id, offset);
    buf.writeUInt32BE(value, offset + 2);
    offset += 6;
  }
  return buf;
}

/** Bounds of the header block fragment inside a HEADERS payload. */
export interface FragmentBounds {
  start: number;
  end: number;
}

/**
 * Strips the PADDED pad length/padding and the PRIORITY fields (5 octets, deprecated by
 * RFC 9113 §5.3.2 but still legal) from a HEADERS payload `[start, end)` into `out`.
 */
export function headersFragmentBounds(
  flags: number,
  payload: Uint8Array,
  start: number,
  end: number,
  out: FragmentBounds,
): void {
  let first = start;
  let last = end;
  if ((flags & FrameFlag.PADDED) !== 0) {
    if (first >= last)
      throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, 'PADDED HEADERS frame without a pad length');
    const padBytes = payload[first++] as number;
    last -= padBytes;
  }
  if ((flags & FrameFlag.PRIORITY) !== 0) first += 5;
  // §6.2: padding that covers the whole payload (or leaves no room for the priority fields).
  if (last < first)
    throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'HEADERS padding or priority exceeds the frame');
  out.start = first;
  out.end = last;
}
