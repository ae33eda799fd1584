/**
 * The gRPC-over-HTTP/2 rules that are not HTTP/2 itself (grpc/grpc doc/PROTOCOL-HTTP2.md and
 * doc/http-grpc-status-mapping.md): message framing, `grpc-timeout`, `grpc-message`
 * percent-decoding and the mappings from RST_STREAM codes and HTTP statuses to gRPC statuses.
 * Pure functions.
 */
import type { GrpcStatusName } from '../triton-error.js';
import { ErrorCode } from './frames.js';

/** Bytes of the Length-Prefixed-Message header: compressed flag + 4-byte length. */
export const GRPC_PREFIX_BYTES = 5;

/** The request message with its gRPC prefix (uncompressed), as one Buffer. */
export function encodeLengthPrefixed(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(GRPC_PREFIX_BYTES + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, GRPC_PREFIX_BYTES);
  return framed;
}

// TimeoutValue is at most 8 digits, so each unit covers values below 10^8 of itself.
const TIMEOUT_UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['m', 1],
  ['S', 1_000],
  ['M', 60_000],
  ['H', 3_600_000],
];
const MAX_TIMEOUT_VALUE = 99_999_999;

/**
 * `grpc-timeout` value for a deadline of `timeoutMs` milliseconds: the finest unit whose value
 * fits in 8 digits, rounded up so the server never gives up before we do. Fractions of a
 * millisecond use microseconds. `timeoutMs` must be > 0 and finite.
 */
export function formatGrpcTimeout(timeoutMs: number): string {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
    throw new RangeError(`grpc-timeout: expected a finite timeout > 0 ms, got ${timeoutMs}`);
  const us = Math.ceil(timeoutMs * 1000);
  if (!Number.isInteger(timeoutMs) && us <= MAX_TIMEOUT_VALUE) return `${us}u`;
  for (const [unit, ms] of TIMEOUT_UNITS) {
    const value = Math.ceil(timeoutMs / ms);
    if (value <= MAX_TIMEOUT_VALUE) return `${value}${unit}`;
  }
  return `${MAX_TIMEOUT_VALUE}H`;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Decodes a `grpc-message` value (percent-encoded UTF-8, read as latin1 octets). Broken `%`
 * sequences are kept as they are, as the spec allows; invalid UTF-8 becomes U+FFFD.
 */
export function decodeGrpcMessage(raw: string): string {
  if (!raw.includes('%') && !/[\x80-\xff]/.test(raw)) return raw;
  const bytes = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x25 && i + 2 < raw.length) {
      const high = hexValue(raw.charCodeAt(i + 1));
      const low = hexValue(raw.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        bytes[n++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    bytes[n++] = code & 0xff;
  }
  return bytes.toString('utf8', 0, n);
}

/** gRPC status for a RST_STREAM error code received from the server (PROTOCOL-HTTP2.md "Errors"). */
export function statusFromRstCode(code: number): GrpcStatusName {
  switch (code) {
    case ErrorCode.REFUSED_STREAM:
      return 'UNAVAILABLE';
    case ErrorCode.CANCEL:
      return 'CANCELLED';
    case ErrorCode.ENHANCE_YOUR_CALM:
      return 'RESOURCE_EXHAUSTED';
    case ErrorCode.INADEQUATE_SECURITY:
      return 'PERMISSION_DENIED';
    default:
      return 'INTERNAL';
  }
}

/** gRPC status for an HTTP status received without `grpc-status` (http-grpc-status-mapping.md). */
export function statusFromHttpStatus(httpStatus: number): GrpcStatusName {
  switch (httpStatus) {
    case 400:
    case 431:
      return 'INTERNAL';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'UNIMPLEMENTED';
    case 429:
    case 502:
    case 503:
    case 504:
      return 'UNAVAILABLE';
    default:
      return 'UNKNOWN';
  }
}

/** Parses a `grpc-status` value: decimal without leading zeros; anything else is -1. */
export function parseGrpcStatus(value: string): number {
  if (value === '0') return 0;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) return -1;
  return Number(value);
}
