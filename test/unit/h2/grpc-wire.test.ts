// gRPC-over-HTTP/2 rules (grpc/grpc doc/PROTOCOL-HTTP2.md, doc/http-grpc-status-mapping.md):
// grpc-timeout formatting, grpc-message percent-decoding, grpc-status parsing, status mappings.
import { describe, expect, it } from 'vitest';
import {
  decodeGrpcMessage,
  encodeLengthPrefixed,
  formatGrpcTimeout,
  parseGrpcStatus,
  statusFromHttpStatus,
  statusFromRstCode,
} from '../../../src/triton/h2/grpc-wire.js';

describe('formatGrpcTimeout', () => {
  const cases: readonly (readonly [number, string])[] = [
    [1, '1m'],
    [10_000, '10000m'],
    [99_999_999, '99999999m'],
    [100_000_000, '100000S'],
    [100_000_001, '100001S'], // rounded up: the server must not give up first
    [0.5, '500u'],
    [2.0005, '2001u'],
    [99_999.5, '99999500u'],
    [99_999.9999, '100000m'], // 100,000,000 µs needs 9 digits
    [1e11, '1666667M'],
    [1e14, '27777778H'],
    [1e20, '99999999H'],
  ];
  for (const [timeoutMs, expected] of cases) {
    it(`formats ${timeoutMs} ms as ${expected}`, () => {
      expect(formatGrpcTimeout(timeoutMs)).toBe(expected);
      expect(formatGrpcTimeout(timeoutMs)).toMatch(/^[0-9]{1,8}[HMSmun]$/);
    });
  }

  it('rejects timeouts that are not finite and positive', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => formatGrpcTimeout(bad)).toThrow(RangeError);
  });
});

describe('decodeGrpcMessage', () => {
  it('returns plain ASCII unchanged', () => {
    expect(decodeGrpcMessage('unexpected inference input')).toBe('unexpected inference input');
  });

  it('decodes percent-encoded UTF-8', () => {
    expect(decodeGrpcMessage('bad%20input%3A%20%E2%82%AC%25')).toBe('bad input: €%');
    expect(decodeGrpcMessage('%e2%82%ac')).toBe('€');
  });

  it('keeps broken percent sequences as they are', () => {
    expect(decodeGrpcMessage('100% sure')).toBe('100% sure');
    expect(decodeGrpcMessage('%zz%4')).toBe('%zz%4');
    expect(decodeGrpcMessage('%')).toBe('%');
  });

  it('decodes raw UTF-8 octets (read as latin1) and replaces invalid UTF-8', () => {
    expect(decodeGrpcMessage(Buffer.from('é', 'utf8').toString('latin1'))).toBe('é');
    expect(decodeGrpcMessage('%FF')).toBe('\ufffd');
  });
});

describe('parseGrpcStatus', () => {
  it('accepts decimal without leading zeros', () => {
    expect([parseGrpcStatus('0'), parseGrpcStatus('3'), parseGrpcStatus('16'), parseGrpcStatus('99')]).toEqual([
      0, 3, 16, 99,
    ]);
  });

  it('rejects anything else', () => {
    for (const bad of ['', '03', '-1', '1.0', ' 1', 'OK', '1234567890']) expect(parseGrpcStatus(bad), bad).toBe(-1);
  });
});

describe('status mappings', () => {
  it('maps RST_STREAM codes as PROTOCOL-HTTP2 "Errors" says', () => {
    const expected: Record<number, string> = {
      0: 'INTERNAL',
      1: 'INTERNAL',
      2: 'INTERNAL',
      3: 'INTERNAL',
      4: 'INTERNAL',
      6: 'INTERNAL',
      7: 'UNAVAILABLE',
      8: 'CANCELLED',
      9: 'INTERNAL',
      10: 'INTERNAL',
      11: 'RESOURCE_EXHAUSTED',
      12: 'PERMISSION_DENIED',
      13: 'INTERNAL',
      0xff: 'INTERNAL',
    };
    for (const [code, status] of Object.entries(expected))
      expect(statusFromRstCode(Number(code)), `code ${code}`).toBe(status);
  });

  it('maps HTTP statuses as http-grpc-status-mapping.md says', () => {
    const expected: Record<number, string> = {
      400: 'INTERNAL',
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      404: 'UNIMPLEMENTED',
      429: 'UNAVAILABLE',
      431: 'INTERNAL',
      502: 'UNAVAILABLE',
      503: 'UNAVAILABLE',
      504: 'UNAVAILABLE',
      200: 'UNKNOWN',
      500: 'UNKNOWN',
      0: 'UNKNOWN',
    };
    for (const [code, status] of Object.entries(expected))
      expect(statusFromHttpStatus(Number(code)), `HTTP ${code}`).toBe(status);
  });
});

describe('encodeLengthPrefixed', () => {
  it('prefixes an uncompressed flag and the big-endian length', () => {
    expect(encodeLengthPrefixed(Uint8Array.of(0xaa, 0xbb)).toString('hex')).toBe('0000000002aabb');
    expect(encodeLengthPrefixed(new Uint8Array(0)).toString('hex')).toBe('0000000000');
    expect(encodeLengthPrefixed(new Uint8Array(70_000)).subarray(0, 5).toString('hex')).toBe('0000011170');
  });
});
