// HPACK Huffman code (RFC 7541 §5.2, Appendix B): the transcribed table is checked for the
// properties the RFC's code has (complete, prefix-free, canonical), then decoded against the
// string literals of the RFC's Appendix C.4 and C.6 examples.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeHuffman, encodeHuffman, HpackError } from '../../../src/triton/h2/huffman-decoder.js';
import { HUFFMAN_CODE_TABLE, HUFFMAN_EOS } from '../../../src/triton/h2/huffman-table.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const decode = (bytes: Buffer): string => decodeHuffman(bytes, 0, bytes.length);
const codeOf = (sym: number): number => HUFFMAN_CODE_TABLE[2 * sym] as number;
const bitsOf = (sym: number): number => HUFFMAN_CODE_TABLE[2 * sym + 1] as number;

describe('Huffman table (RFC 7541 Appendix B)', () => {
  it('has 257 symbols with codes of 5..30 bits that fit their length', () => {
    expect(HUFFMAN_CODE_TABLE).toHaveLength(2 * 257);
    for (let sym = 0; sym <= HUFFMAN_EOS; sym++) {
      expect(bitsOf(sym)).toBeGreaterThanOrEqual(5);
      expect(bitsOf(sym)).toBeLessThanOrEqual(30);
      expect(codeOf(sym)).toBeLessThan(2 ** bitsOf(sym));
    }
  });

  it('is complete: the Kraft sum of 2^-length is exactly 1', () => {
    // Scaled by 2^30 so the sum is an exact integer.
    let sum = 0;
    for (let sym = 0; sym <= HUFFMAN_EOS; sym++) sum += 2 ** (30 - bitsOf(sym));
    expect(sum).toBe(2 ** 30);
  });

  it('is canonical: codes follow from the lengths in (length, symbol) order', () => {
    const order = Array.from({ length: 257 }, (_, sym) => sym).sort((a, b) => bitsOf(a) - bitsOf(b) || a - b);
    let code = 0;
    let previousBits = bitsOf(order[0] as number);
    order.forEach((sym, i) => {
      if (i > 0) code = (code + 1) * 2 ** (bitsOf(sym) - previousBits);
      previousBits = bitsOf(sym);
      expect(codeOf(sym), `symbol ${sym}`).toBe(code);
    });
  });

  it('spot-checks rows of the appendix', () => {
    expect([codeOf(0x30), bitsOf(0x30)]).toEqual([0x0, 5]); // '0'
    expect([codeOf(0x61), bitsOf(0x61)]).toEqual([0x3, 5]); // 'a'
    expect([codeOf(0x20), bitsOf(0x20)]).toEqual([0x14, 6]); // ' '
    expect([codeOf(0x7b), bitsOf(0x7b)]).toEqual([0x7ffe, 15]); // '{'
    expect([codeOf(255), bitsOf(255)]).toEqual([0x3ffffee, 26]);
    expect([codeOf(HUFFMAN_EOS), bitsOf(HUFFMAN_EOS)]).toEqual([0x3fffffff, 30]);
  });
});

describe('decodeHuffman: RFC 7541 Appendix C string literals', () => {
  const vectors: readonly { section: string; bytes: string; text: string }[] = [
    { section: 'C.4.1', bytes: 'f1e3 c2e5 f23a 6ba0 ab90 f4ff', text: 'www.example.com' },
    { section: 'C.4.2', bytes: 'a8eb 1064 9cbf', text: 'no-cache' },
    { section: 'C.4.3', bytes: '25a8 49e9 5ba9 7d7f', text: 'custom-key' },
    { section: 'C.4.3', bytes: '25a8 49e9 5bb8 e8b4 bf', text: 'custom-value' },
    { section: 'C.6.1', bytes: '6402', text: '302' },
    { section: 'C.6.1', bytes: 'aec3 771a 4b', text: 'private' },
    {
      section: 'C.6.1',
      bytes: 'd07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff',
      text: 'Mon, 21 Oct 2013 20:13:21 GMT',
    },
    { section: 'C.6.1', bytes: '9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3', text: 'https://www.example.com' },
    { section: 'C.6.2', bytes: '640e ff', text: '307' },
    {
      section: 'C.6.3',
      bytes: 'd07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff',
      text: 'Mon, 21 Oct 2013 20:13:22 GMT',
    },
    { section: 'C.6.3', bytes: '9bd9 ab', text: 'gzip' },
    {
      section: 'C.6.3',
      bytes:
        '94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
      text: 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1',
    },
  ];

  for (const { section, bytes, text } of vectors) {
    it(`decodes ${section} '${text}' (and our encoder reproduces it)`, () => {
      expect(decode(hex(bytes))).toBe(text);
      expect(encodeHuffman(text).toString('hex')).toBe(bytes.replace(/\s+/g, ''));
    });
  }

  it('decodes the empty string', () => {
    expect(decode(Buffer.alloc(0))).toBe('');
  });

  it('round-trips every octet value and arbitrary strings', () => {
    for (let byte = 0; byte < 256; byte++) {
      const text = String.fromCharCode(byte);
      expect(decode(encodeHuffman(text)), `octet ${byte}`).toBe(text);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        expect(decode(encodeHuffman(text))).toBe(text);
      }),
      { seed: 7541, numRuns: 300 },
    );
  });
});

describe('decodeHuffman rejects malformed input (RFC 7541 §5.2)', () => {
  it('rejects the EOS symbol inside a string', () => {
    // 30 one-bits (EOS) followed by 2 one-bits of padding.
    expect(() => decode(hex('ffffffff'))).toThrow(HpackError);
    expect(() => decode(hex('ffffffff'))).toThrow(/EOS/);
  });

  it('rejects padding longer than 7 bits', () => {
    // '0' is 00000; 3 one-bits pad the first octet, a whole octet of ones is too much.
    expect(decode(hex('07'))).toBe('0');
    expect(() => decode(hex('07ff'))).toThrow(/padding/);
    expect(() => decode(hex('ff'))).toThrow(/padding/);
  });

  it('rejects padding that is not the most significant bits of EOS', () => {
    // '0' then three zero bits: an unfinished code, not one-bit padding.
    expect(() => decode(hex('00'))).toThrow(/padding/);
    // 'a' (00011) then 110: ones then a zero.
    expect(() => decode(hex('1e'))).toThrow(/padding/);
  });
});
