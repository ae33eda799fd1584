// HTTP/2 frame encoding (RFC 9113 §4.1, §6) and the incremental FrameReader: frames split at
// every possible byte, padding (§6.1, §6.2), priority fields, empty frames and size limits.
import { describe, expect, it } from 'vitest';
import {
  encodeSettingsFrame,
  errorCodeName,
  FrameFlag,
  FrameType,
  H2ProtocolError,
  headersFragmentBounds,
  putFrameHeader,
  putGoaway,
  putPingAck,
  putRstStream,
  putWindowUpdate,
  readUint31,
  readUint32,
} from '../../../src/triton/h2/frames.js';
import { FrameReader, type FrameHandler } from '../../../src/triton/h2/frame-reader.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const out = Buffer.alloc(9 + payload.length);
  putFrameHeader(out, 0, payload.length, type, flags, streamId);
  payload.copy(out, 9);
  return out;
}

type Event = readonly (string | number)[];

/** Records what the reader delivers; DATA slices are joined per frame. */
class Recorder implements FrameHandler {
  readonly events: Event[] = [];
  private data = '';
  onFrame(type: number, flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
    this.events.push(['frame', type, flags, streamId, payload.toString('hex', start, end)]);
  }
  onDataStart(flags: number, streamId: number, frameBytes: number): void {
    this.data = '';
    this.events.push(['data-start', flags, streamId, frameBytes]);
  }
  onData(_streamId: number, bytes: Buffer, start: number, end: number): void {
    this.data += bytes.toString('latin1', start, end);
  }
  onDataEnd(flags: number, streamId: number): void {
    this.events.push(['data-end', flags, streamId, this.data]);
  }
}

function readAll(bytes: Buffer, chunkSizes: number | 'all', maxFrameBytes = 16_384): Event[] {
  const recorder = new Recorder();
  const reader = new FrameReader(recorder, maxFrameBytes);
  const step = chunkSizes === 'all' ? bytes.length : chunkSizes;
  for (let i = 0; i < bytes.length; i += step) reader.push(bytes.subarray(i, i + step));
  return recorder.events;
}

describe('frame encoders', () => {
  it('writes the 9-octet header with a 24-bit length and a 31-bit stream id', () => {
    const buf = Buffer.alloc(9);
    putFrameHeader(buf, 0, 0x123456, FrameType.HEADERS, FrameFlag.END_HEADERS | FrameFlag.END_STREAM, 0x7fffffff);
    expect(hex(buf)).toBe('123456' + '01' + '05' + '7fffffff');
    expect(readUint31(Buffer.from('ffffffff', 'hex'), 0)).toBe(0x7fffffff);
    expect(readUint32(Buffer.from('ffffffff', 'hex'), 0)).toBe(0xffffffff);
  });

  it('encodes SETTINGS, its ACK, WINDOW_UPDATE, RST_STREAM, PING ACK and GOAWAY', () => {
    expect(
      hex(
        encodeSettingsFrame([
          [2, 0],
          [4, 0x40000000],
        ]),
      ),
    ).toBe('00000c040000000000' + '000200000000' + '000440000000');
    expect(hex(encodeSettingsFrame([], true))).toBe('000000040100000000');
    const buf = Buffer.alloc(17);
    expect(putWindowUpdate(buf, 0, 3, 65_535)).toBe(13);
    expect(hex(buf.subarray(0, 13))).toBe('000004080000000003' + '0000ffff');
    putRstStream(buf, 0, 5, 8);
    expect(hex(buf.subarray(0, 13))).toBe('000004030000000005' + '00000008');
    putPingAck(buf, 0, Buffer.from('0102030405060708', 'hex'), 0);
    expect(hex(buf)).toBe('000008060100000000' + '0102030405060708');
    putGoaway(buf, 0, 7, 1);
    expect(hex(buf)).toBe('000008070000000000' + '00000007' + '00000001');
  });

  it('names error codes', () => {
    expect(errorCodeName(8)).toBe('CANCEL');
    expect(errorCodeName(11)).toBe('ENHANCE_YOUR_CALM');
    expect(errorCodeName(0x1f)).toBe('0x1f');
  });
});

describe('headersFragmentBounds (RFC 9113 §6.2)', () => {
  const bounds = { start: 0, end: 0 };
  it('strips the pad length, padding and the 5 priority octets', () => {
    // pad length 2, priority (4+1 octets), fragment 'abc', padding 2.
    const payload = Buffer.from('02' + '8000000310' + '616263' + '0000', 'hex');
    headersFragmentBounds(FrameFlag.PADDED | FrameFlag.PRIORITY, payload, 0, payload.length, bounds);
    expect(payload.toString('latin1', bounds.start, bounds.end)).toBe('abc');
    headersFragmentBounds(0, payload, 1, 4, bounds);
    expect(bounds).toEqual({ start: 1, end: 4 });
  });

  it('rejects padding that exceeds the payload', () => {
    const payload = Buffer.from('05616263', 'hex');
    expect(() => {
      headersFragmentBounds(FrameFlag.PADDED, payload, 0, payload.length, bounds);
    }).toThrow(H2ProtocolError);
    expect(() => {
      headersFragmentBounds(FrameFlag.PADDED, payload, 0, 0, bounds);
    }).toThrow(/pad length/);
    expect(() => {
      headersFragmentBounds(FrameFlag.PRIORITY, payload, 0, 3, bounds);
    }).toThrow(/priority/);
  });
});

describe('FrameReader', () => {
  const stream = Buffer.concat([
    frame(FrameType.SETTINGS, 0, 0, Buffer.from('000300000002', 'hex')),
    frame(FrameType.SETTINGS, FrameFlag.ACK, 0, Buffer.alloc(0)),
    frame(FrameType.HEADERS, FrameFlag.END_HEADERS, 1, Buffer.from('88', 'hex')),
    frame(FrameType.DATA, 0, 1, Buffer.from('hello', 'latin1')),
    // PADDED DATA: pad length 3, 'world', 3 octets of padding.
    frame(
      FrameType.DATA,
      FrameFlag.PADDED,
      1,
      Buffer.concat([Buffer.of(3), Buffer.from('world', 'latin1'), Buffer.alloc(3)]),
    ),
    frame(0xfa, 0, 0, Buffer.from('unknown', 'latin1')),
    frame(FrameType.DATA, FrameFlag.END_STREAM, 1, Buffer.alloc(0)),
    // PADDED DATA with only padding, then a PADDED DATA frame holding just its pad length.
    frame(FrameType.DATA, FrameFlag.PADDED, 3, Buffer.from('0200' + '00', 'hex')),
    frame(FrameType.DATA, FrameFlag.PADDED | FrameFlag.END_STREAM, 3, Buffer.of(0)),
  ]);
  const expected: Event[] = [
    ['frame', FrameType.SETTINGS, 0, 0, '000300000002'],
    ['frame', FrameType.SETTINGS, 1, 0, ''],
    ['frame', FrameType.HEADERS, 4, 1, '88'],
    ['data-start', 0, 1, 5],
    ['data-end', 0, 1, 'hello'],
    ['data-start', FrameFlag.PADDED, 1, 9],
    ['data-end', FrameFlag.PADDED, 1, 'world'],
    ['frame', 0xfa, 0, 0, Buffer.from('unknown').toString('hex')],
    ['data-start', FrameFlag.END_STREAM, 1, 0],
    ['data-end', FrameFlag.END_STREAM, 1, ''],
    ['data-start', FrameFlag.PADDED, 3, 3],
    ['data-end', FrameFlag.PADDED, 3, ''],
    ['data-start', FrameFlag.PADDED | FrameFlag.END_STREAM, 3, 1],
    ['data-end', FrameFlag.PADDED | FrameFlag.END_STREAM, 3, ''],
  ];

  it('parses frames from one chunk', () => {
    expect(readAll(stream, 'all')).toEqual(expected);
  });

  it('parses the same frames whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 5, 8, 9, 10, 13, 17])
      expect(readAll(stream, size), `chunks of ${size}`).toEqual(expected);
  });

  it('delivers an empty frame at the very end of a chunk without waiting', () => {
    const events = readAll(frame(FrameType.SETTINGS, FrameFlag.ACK, 0, Buffer.alloc(0)), 'all');
    expect(events).toEqual([['frame', FrameType.SETTINGS, 1, 0, '']]);
  });

  it('streams a DATA frame larger than any chunk', () => {
    const body = Buffer.alloc(16_384, 0x61);
    const events = readAll(frame(FrameType.DATA, 0, 1, body), 1000);
    expect(events).toEqual([
      ['data-start', 0, 1, 16_384],
      ['data-end', 0, 1, body.toString('latin1')],
    ]);
  });

  it('rejects a frame larger than our SETTINGS_MAX_FRAME_SIZE (§4.2)', () => {
    const big = frame(FrameType.HEADERS, 0, 1, Buffer.alloc(100));
    expect(() => readAll(big, 'all', 99)).toThrow(/exceeds our limit 99/);
  });

  it('rejects DATA padding as long as the payload (§6.1)', () => {
    expect(() => readAll(frame(FrameType.DATA, FrameFlag.PADDED, 1, Buffer.from('0361', 'hex')), 'all')).toThrow(
      /padding/,
    );
    expect(() => readAll(frame(FrameType.DATA, FrameFlag.PADDED, 1, Buffer.alloc(0)), 'all')).toThrow(/pad length/);
  });

  it('ignores the rest of the input after stop()', () => {
    const recorder = new Recorder();
    const reader = new FrameReader(recorder, 16_384);
    reader.stop();
    reader.push(stream);
    expect(recorder.events).toEqual([]);
  });
});
