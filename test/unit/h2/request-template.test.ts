// Request encoding: the header block (checked by decoding it with our HPACK decoder), the
// pre-built HEADERS + DATA frames, caching by request identity, and metadata validation.
import { describe, expect, it } from 'vitest';
import {
  checkMetadata,
  RequestEncoder,
  requestFields,
  type RequestTarget,
} from '../../../src/triton/h2/request-template.js';
import { HpackDecoder } from '../../../src/triton/h2/hpack-decoder.js';
import { encodeHeaderBlock } from '../../../src/triton/h2/hpack-encoder.js';

const target: RequestTarget = {
  scheme: 'https',
  authority: '[::1]:8001',
  path: '/inference.GRPCInferenceService/ModelInfer',
  headers: { authorization: 'Bearer t0k3n', 'x-trace': 'a' },
};

function decodeFields(block: Buffer): [string, string][] {
  const fields: [string, string][] = [];
  const decoder = new HpackDecoder();
  decoder.decode(block, 0, block.length, { onHeaderField: (n, v) => fields.push([n, v]) });
  expect(decoder.tableLength).toBe(0); // we never index
  return fields;
}

describe('requestFields / encodeHeaderBlock', () => {
  it('sends the gRPC call definition, grpc-timeout right after the pseudo-headers, then metadata', () => {
    expect(decodeFields(encodeHeaderBlock(requestFields(target, 2500)))).toEqual([
      [':method', 'POST'],
      [':scheme', 'https'],
      [':path', target.path],
      [':authority', '[::1]:8001'],
      ['grpc-timeout', '2500m'],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['user-agent', 'triton-throughput-gate'],
      ['authorization', 'Bearer t0k3n'],
      ['x-trace', 'a'],
    ]);
  });

  it('omits grpc-timeout for an infinite deadline', () => {
    expect(
      decodeFields(encodeHeaderBlock(requestFields(target, Number.POSITIVE_INFINITY))).map(([n]) => n),
    ).not.toContain('grpc-timeout');
  });

  it('uses literals without indexing, static name indices and no Huffman', () => {
    // ':method' is static index 2: 0000 0010, then the raw value "POST".
    expect(encodeHeaderBlock([[':method', 'POST']]).toString('hex')).toBe('0204504f5354');
    expect(encodeHeaderBlock([['te', 'trailers']]).toString('hex')).toBe(
      '0002' + '7465' + '08' + Buffer.from('trailers').toString('hex'),
    );
    const long = 'v'.repeat(200);
    expect(decodeFields(encodeHeaderBlock([['x-long', long]]))).toEqual([['x-long', long]]);
  });

  it('sends sensitive fields (user metadata) as never-indexed literals (RFC 7541 §7.1.3)', () => {
    const block = encodeHeaderBlock([['authorization', 'Bearer x', true]]);
    expect((block[0] ?? 0) & 0xf0).toBe(0x10);
    expect(decodeFields(block)).toEqual([['authorization', 'Bearer x']]);
  });
});

describe('RequestEncoder.templateFor', () => {
  const encoder = new RequestEncoder(target);
  const request = Uint8Array.of(1, 2, 3);

  it('builds HEADERS(END_HEADERS) + DATA(END_STREAM) frames with stream id 0', () => {
    const t = encoder.templateFor(request, 1000);
    const wire = t.wire as Buffer;
    expect(wire.readUIntBE(0, 3)).toBe(t.headerBlock.length);
    expect([wire[3], wire[4], wire.readUInt32BE(5)]).toEqual([0x1, 0x4, 0]);
    expect(wire.subarray(9, t.dataFrameOffset)).toEqual(t.headerBlock);
    const data = wire.subarray(t.dataFrameOffset);
    expect(data.toString('hex')).toBe('000008' + '00' + '01' + '00000000' + '0000000003' + '010203');
    expect(t.payload.toString('hex')).toBe('0000000003010203');
  });

  it('returns the cached template for the same request object and timeout', () => {
    const t = encoder.templateFor(request, 1000);
    expect(encoder.templateFor(request, 1000)).toBe(t);
    const other = encoder.templateFor(request, 2000);
    expect(other).not.toBe(t);
    expect(other.payload).toBe(t.payload); // payload cached by identity across timeouts
    expect(encoder.templateFor(request, 1000).headerBlock).toBe(t.headerBlock); // block cached by timeout
  });

  it('has no wire template when the payload exceeds 16 KiB', () => {
    const t = encoder.templateFor(new Uint8Array(20_000), 1000);
    expect(t.wire).toBeNull();
    expect(t.payload.length).toBe(20_005);
  });
});

describe('checkMetadata', () => {
  it('accepts gRPC header names with printable ASCII values', () => {
    expect(() => {
      checkMetadata({ authorization: 'Bearer x', 'x-b3_trace.id': '1 2', 'k-bin': 'AAEC' });
    }).not.toThrow();
  });

  it('rejects names that are not lowercase gRPC names or that the transport sets', () => {
    expect(() => {
      checkMetadata({ Authorization: 'x' });
    }).toThrow(/'Authorization': expected a lowercase name/);
    expect(() => {
      checkMetadata({ ':path': 'x' });
    }).toThrow(/lowercase name/);
    expect(() => {
      checkMetadata({ te: 'x' });
    }).toThrow(/set by the transport/);
    expect(() => {
      checkMetadata({ connection: 'close' });
    }).toThrow(/set by the transport/);
  });

  it('rejects non-printable values without echoing them', () => {
    expect(() => {
      checkMetadata({ 'x-api-key': 'secret\r\nx: y' });
    }).toThrow(/'x-api-key': value must be printable ASCII \(value not shown/);
    try {
      checkMetadata({ 'x-api-key': 'top-secret\n' });
    } catch (err: unknown) {
      expect(err instanceof Error && err.message.includes('top-secret')).toBe(false);
    }
  });
});
