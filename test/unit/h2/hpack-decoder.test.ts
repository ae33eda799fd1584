// HPACK decoding (RFC 7541) against the RFC's Appendix C examples (C.2 single fields, C.3/C.4
// request sequences sharing one decoder, C.5/C.6 response sequences with a 256-octet table
// that evicts), plus the malformed inputs a decoder must reject.
import { describe, expect, it } from 'vitest';
import { decodeInteger, HpackDecoder, HpackError, type HeaderFieldSink } from '../../../src/triton/h2/hpack-decoder.js';
import { encodeHeaderBlock, encodeInteger } from '../../../src/triton/h2/hpack-encoder.js';

type Field = readonly [string, string];
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

class Collect implements HeaderFieldSink {
  readonly fields: Field[] = [];
  onHeaderField(name: string, value: string): void {
    this.fields.push([name, value]);
  }
}

function decodeBlock(decoder: HpackDecoder, block: string | Buffer): Field[] {
  const bytes = typeof block === 'string' ? hex(block) : block;
  const sink = new Collect();
  decoder.decode(bytes, 0, bytes.length, sink);
  return sink.fields;
}

describe('decodeInteger (RFC 7541 §5.1, Appendix C.1)', () => {
  const read = (bytes: string, prefixBits: number): [number, number] => {
    const cursor = { pos: 0 };
    const buf = hex(bytes);
    return [decodeInteger(buf, buf.length, prefixBits, cursor), cursor.pos];
  };

  it('decodes the C.1 examples', () => {
    expect(read('0a', 5)).toEqual([10, 1]); // C.1.1
    expect(read('1f9a0a', 5)).toEqual([1337, 3]); // C.1.2
    expect(read('2a', 8)).toEqual([42, 1]); // C.1.3
  });

  it('ignores the bits above the prefix and stops at the integer end', () => {
    expect(read('ea', 5)).toEqual([10, 1]);
    expect(read('0aff', 5)).toEqual([10, 1]);
  });

  it('decodes the prefix maximum and values needing several octets', () => {
    expect(read('1f00', 5)).toEqual([31, 2]);
    expect(read('7f80808008', 7)).toEqual([127 + 8 * 2 ** 21, 5]);
  });

  it('round-trips with encodeInteger at every prefix size', () => {
    for (let prefixBits = 1; prefixBits <= 8; prefixBits++) {
      for (const value of [
        0,
        1,
        2 ** prefixBits - 2,
        2 ** prefixBits - 1,
        2 ** prefixBits,
        127,
        128,
        1337,
        16_383,
        16_384,
        2 ** 31 - 1,
      ]) {
        const out: number[] = [];
        encodeInteger(value, prefixBits, 0, out);
        const buf = Buffer.from(out);
        const cursor = { pos: 0 };
        expect(decodeInteger(buf, buf.length, prefixBits, cursor), `${value} with ${prefixBits}-bit prefix`).toBe(
          value,
        );
        expect(cursor.pos).toBe(buf.length);
      }
    }
  });

  it('rejects truncated, oversized and endless integers', () => {
    expect(() => read('', 5)).toThrow(HpackError);
    expect(() => read('1f', 5)).toThrow(/truncated/);
    expect(() => read('1f9a', 5)).toThrow(/truncated/);
    expect(() => read('1fffffffff0f', 5)).toThrow(/2\^31-1/);
    expect(() => read('1f8080808080808000', 5)).toThrow(/continuation/);
  });
});

describe('HpackDecoder: RFC 7541 Appendix C.2 (single fields)', () => {
  it('C.2.1 literal with indexing adds to the dynamic table', () => {
    const decoder = new HpackDecoder();
    expect(decodeBlock(decoder, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572')).toEqual([
      ['custom-key', 'custom-header'],
    ]);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([1, 55]);
  });

  it('C.2.2 literal without indexing leaves the table empty', () => {
    const decoder = new HpackDecoder();
    expect(decodeBlock(decoder, '040c 2f73 616d 706c 652f 7061 7468')).toEqual([[':path', '/sample/path']]);
    expect(decoder.tableSize).toBe(0);
  });

  it('C.2.3 never-indexed literal leaves the table empty', () => {
    const decoder = new HpackDecoder();
    expect(decodeBlock(decoder, '1008 7061 7373 776f 7264 0673 6563 7265 74')).toEqual([['password', 'secret']]);
    expect(decoder.tableSize).toBe(0);
  });

  it('C.2.4 indexed field from the static table', () => {
    expect(decodeBlock(new HpackDecoder(), '82')).toEqual([[':method', 'GET']]);
  });
});

const REQ1: Field[] = [
  [':method', 'GET'],
  [':scheme', 'http'],
  [':path', '/'],
  [':authority', 'www.example.com'],
];
const REQ2: Field[] = [...REQ1, ['cache-control', 'no-cache']];
const REQ3: Field[] = [
  [':method', 'GET'],
  [':scheme', 'https'],
  [':path', '/index.html'],
  [':authority', 'www.example.com'],
  ['custom-key', 'custom-value'],
];

describe.each([
  [
    'C.3 (plain literals)',
    [
      '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '8286 84be 5808 6e6f 2d63 6163 6865',
      '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    ],
  ],
  [
    'C.4 (Huffman)',
    [
      '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
      '8286 84be 5886 a8eb 1064 9cbf',
      '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
    ],
  ],
])('HpackDecoder: RFC 7541 Appendix %s request sequence', (_name, blocks) => {
  it('decodes three requests on one connection, growing the table to 57, 110, 164 octets', () => {
    const decoder = new HpackDecoder();
    expect(decodeBlock(decoder, blocks[0] ?? '')).toEqual(REQ1);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([1, 57]);
    expect(decodeBlock(decoder, blocks[1] ?? '')).toEqual(REQ2);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([2, 110]);
    expect(decodeBlock(decoder, blocks[2] ?? '')).toEqual(REQ3);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([3, 164]);
  });
});

const DATE1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const RESP1: Field[] = [
  [':status', '302'],
  ['cache-control', 'private'],
  ['date', DATE1],
  ['location', 'https://www.example.com'],
];
const RESP2: Field[] = [
  [':status', '307'],
  ['cache-control', 'private'],
  ['date', DATE1],
  ['location', 'https://www.example.com'],
];
const RESP3: Field[] = [
  [':status', '200'],
  ['cache-control', 'private'],
  ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
  ['location', 'https://www.example.com'],
  ['content-encoding', 'gzip'],
  ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
];

describe.each([
  [
    'C.5 (plain literals)',
    [
      '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '4803 3330 37c1 c0bf',
      '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
    ],
  ],
  [
    'C.6 (Huffman)',
    [
      '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
      '4883 640e ffc1 c0bf',
      '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
    ],
  ],
])('HpackDecoder: RFC 7541 Appendix %s response sequence, 256-octet table', (_name, blocks) => {
  it('decodes three responses, evicting the oldest entries (sizes 222, 222, 215)', () => {
    // The examples assume the encoder chose 256: a size update at the start of block 1 says so.
    const decoder = new HpackDecoder();
    expect(decodeBlock(decoder, Buffer.concat([hex('3fe101'), hex(blocks[0] ?? '')]))).toEqual(RESP1);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([4, 222]);
    expect(decodeBlock(decoder, blocks[1] ?? '')).toEqual(RESP2);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([4, 222]);
    expect(decodeBlock(decoder, blocks[2] ?? '')).toEqual(RESP3);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([3, 215]);
    // Index 62 is the newest entry (§2.3.3).
    expect(decodeBlock(decoder, 'be')).toEqual([RESP3[5]]);
  });
});

describe('HpackDecoder: dynamic table size updates and eviction (§4.3, §4.4, §6.3)', () => {
  it('evicts to the new size on a size update at the start of a block', () => {
    const decoder = new HpackDecoder();
    decodeBlock(decoder, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572');
    decodeBlock(decoder, '4001 6101 62'); // a: b, 34 octets
    expect(decoder.tableSize).toBe(89);
    expect(decodeBlock(decoder, '3f03 82')).toEqual([[':method', 'GET']]); // size update to 34
    expect([decoder.tableLength, decoder.tableSize]).toEqual([1, 34]);
    expect(decodeBlock(decoder, 'be')).toEqual([['a', 'b']]);
    expect(decodeBlock(decoder, '20')).toEqual([]); // size 0 empties the table
    expect(decoder.tableSize).toBe(0);
  });

  it('empties the table when one entry is larger than the maximum, without storing it', () => {
    const decoder = new HpackDecoder();
    decodeBlock(decoder, '3f11 4001 6101 62'); // max 48, then a: b (34)
    expect(decoder.tableLength).toBe(1);
    const big = encodeHeaderBlock([['x', 'y'.repeat(20)]]);
    big[0] = 0x40; // turn "without indexing, new name" into "with indexing, new name"
    expect(decodeBlock(decoder, big)).toEqual([['x', 'y'.repeat(20)]]);
    expect([decoder.tableLength, decoder.tableSize]).toEqual([0, 0]);
  });

  it('accepts an entry exactly as large as the table', () => {
    const decoder = new HpackDecoder();
    decodeBlock(decoder, '3f03 4001 6101 62'); // max 34, a: b is 34
    expect([decoder.tableLength, decoder.tableSize]).toEqual([1, 34]);
  });

  it('rejects a size update above our SETTINGS_HEADER_TABLE_SIZE or after a field', () => {
    expect(() => decodeBlock(new HpackDecoder(4096), '3fe21f')).toThrow(/exceeds our limit 4096/);
    expect(() => decodeBlock(new HpackDecoder(), '82 20')).toThrow(/size update after a header field/);
    expect(() => decodeBlock(new HpackDecoder(0), '3f01')).toThrow(HpackError);
    expect(decodeBlock(new HpackDecoder(0), '20 82')).toEqual([[':method', 'GET']]);
  });
});

describe('HpackDecoder rejects malformed blocks', () => {
  const cases: readonly (readonly [string, string, RegExp])[] = [
    ['indexed field 0', '80', /index 0/],
    ['index past the static table with an empty dynamic table', 'be', /beyond the 0 dynamic entries/],
    ['literal name index past the table', '7f07 0161', /index 70 beyond/],
    ['string longer than the block', '0003 6162', /overruns/],
    ['block ends before the value', '0001 61', /truncated before a string/],
    ['integer cut short', 'ff', /truncated/],
    ['bad Huffman padding in a value', '0001 6181 00', /padding/],
  ];
  for (const [what, block, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => decodeBlock(new HpackDecoder(), block)).toThrow(message);
    });
  }

  it('keeps the table unchanged by literals without indexing and never-indexed literals', () => {
    const decoder = new HpackDecoder();
    decodeBlock(decoder, '0001 6101 62 1001 6301 64');
    expect(decoder.tableLength).toBe(0);
  });
});
