// Raw tensor bytes: the little-endian layout of every datatype, FP16/BF16 known values, the
// BYTES length prefix, random ranges and determinism per seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELEMENT_BYTES, encodeItem, toFloat16Bits } from '../../../src/load/encode-tensor.js';
import { createRng } from '../../../src/rng.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const numbers = (values: readonly number[]) => ({ kind: 'numbers', values }) as const;
const rng = () => createRng(7);

/** IEEE half-precision bits to a number (normal, subnormal, zero and infinity). */
function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 bits (the top half of a float32) to a number. */
function fromBf16Bits(bits: number): number {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE((bits << 16) >>> 0, 0);
  return buffer.readFloatLE(0);
}

describe('ELEMENT_BYTES', () => {
  it('has the KServe element size of every fixed-size datatype', () => {
    expect(ELEMENT_BYTES).toEqual({
      BOOL: 1,
      UINT8: 1,
      INT8: 1,
      UINT16: 2,
      INT16: 2,
      FP16: 2,
      BF16: 2,
      UINT32: 4,
      INT32: 4,
      FP32: 4,
      UINT64: 8,
      INT64: 8,
      FP64: 8,
    });
  });
});

describe('encodeItem: byte layout (little-endian, row-major)', () => {
  it.each([
    ['BOOL', [1, 0, 1], '010001'],
    ['UINT8', [0, 7, 255], '0007ff'],
    ['INT8', [-1, 5, -128], 'ff0580'],
    ['UINT16', [1, 0x0203, 0xffff], '01000302ffff'],
    ['INT16', [-2, 0x0102], 'feff0201'],
    ['UINT32', [0xdeadbeef, 1], 'efbeadde01000000'],
    ['INT32', [-1, 258], 'ffffffff02010000'],
    ['UINT64', [2 ** 40, 3], '00000000000100000300000000000000'],
    ['INT64', [-2, 256], 'feffffffffffffff0001000000000000'],
    ['FP16', [1, -2, 0.5], '003c00c00038'],
    ['BF16', [1, -2, 0.5], '803f00c0003f'],
    ['FP32', [1, -2, 0.5], '0000803f000000c00000003f'],
    ['FP64', [1, -2], '000000000000f03f00000000000000c0'],
  ])('%s %j -> %s', (datatype, values, expected) => {
    expect(hex(encodeItem(datatype, numbers(values), rng()))).toBe(expected);
  });

  it('zeros: elements × element size zero bytes for every datatype', () => {
    for (const [datatype, size] of Object.entries(ELEMENT_BYTES)) {
      const bytes = encodeItem(datatype, { kind: 'zeros', elements: 6 }, rng());
      expect(bytes.length).toBe(6 * size);
      expect(bytes.every((b) => b === 0)).toBe(true);
    }
  });

  it('refuses strings for a numeric datatype and numbers for BYTES', () => {
    expect(() => encodeItem('FP32', { kind: 'strings', values: ['a'] }, rng())).toThrow(/FP32 input needs numbers/);
    expect(() => encodeItem('BYTES', numbers([1]), rng())).toThrow(/BYTES input needs string values/);
  });
});

describe('encodeItem: BYTES', () => {
  it('prefixes every element with its UTF-8 length as a 4-byte little-endian integer', () => {
    const bytes = encodeItem('BYTES', { kind: 'strings', values: ['ab', '', 'é'] }, rng());
    expect(hex(bytes)).toBe(['02000000', '6162', '00000000', '02000000', 'c3a9'].join(''));
  });

  it('encodes long strings with a multi-byte length', () => {
    const bytes = encodeItem('BYTES', { kind: 'strings', values: ['x'.repeat(300)] }, rng());
    expect(bytes.readUInt32LE(0)).toBe(300);
    expect(bytes.length).toBe(304);
  });
});

describe('toFloat16Bits', () => {
  it.each([
    [0, '0'],
    [0.5, '3800'],
    [1, '3c00'],
    [1 / 3, '3555'],
    [-2, 'c000'],
    [0.1, '2e66'],
    [65504, '7bff'],
    [70000, '7c00'],
    [-70000, 'fc00'],
    [1e-6, '0'],
  ])('%d -> 0x%s', (value, bits) => {
    expect(toFloat16Bits(value).toString(16)).toBe(bits);
  });

  it('carries a mantissa that rounds up into the exponent (0.49999 -> 0.5, 0.124999 -> 0.125)', () => {
    expect(fromFloat16Bits(toFloat16Bits(0.49999))).toBe(0.5);
    expect(fromFloat16Bits(toFloat16Bits(0.124999))).toBe(0.125);
    expect(fromFloat16Bits(toFloat16Bits(0.24999))).toBe(0.25);
    expect(fromFloat16Bits(toFloat16Bits(0.9999999))).toBe(1);
  });

  it('rounds every value in [2^-14, 1) to within half a unit in the last place, up to float32 rounding (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -14, max: 1, maxExcluded: true, noNaN: true }), (value) => {
        const decoded = fromFloat16Bits(toFloat16Bits(value));
        const ulp = 2 ** (Math.floor(Math.log2(value)) - 10);
        // Plus the float32 step in between (13 more mantissa bits): double rounding near ties.
        expect(Math.abs(decoded - value)).toBeLessThanOrEqual(ulp / 2 + ulp * 2 ** -13);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds values just below a power of two up to it, in every binade (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -14, max: -1 }),
        fc.double({ min: 0, max: 2 ** -12, noNaN: true }),
        (exponent, below) => {
          // (2 - below) × 2^exponent is less than half an ulp below 2^(exponent + 1).
          const value = (2 - below) * 2 ** exponent;
          expect(fromFloat16Bits(toFloat16Bits(value))).toBe(2 ** (exponent + 1));
        },
      ),
    );
  });
});

describe('encodeItem: BF16', () => {
  it('keeps 8 significant bits: 1/3 and 0.1 decode within 2^-7 relative', () => {
    const bytes = encodeItem('BF16', numbers([1 / 3, 0.1]), rng());
    expect(Math.abs(fromBf16Bits(bytes.readUInt16LE(0)) - 1 / 3) / (1 / 3)).toBeLessThan(2 ** -7);
    expect(Math.abs(fromBf16Bits(bytes.readUInt16LE(2)) - 0.1) / 0.1).toBeLessThan(2 ** -7);
  });
});

describe('encodeItem: random data', () => {
  const ELEMENTS = 2000;
  const decode = (datatype: string, bytes: Buffer): number[] => {
    const size = ELEMENT_BYTES[datatype] ?? 1;
    return Array.from({ length: bytes.length / size }, (_, i) => {
      const offset = i * size;
      switch (datatype) {
        case 'FP16':
          return fromFloat16Bits(bytes.readUInt16LE(offset));
        case 'BF16':
          return fromBf16Bits(bytes.readUInt16LE(offset));
        case 'FP32':
          return bytes.readFloatLE(offset);
        case 'FP64':
          return bytes.readDoubleLE(offset);
        case 'INT8':
          return bytes.readInt8(offset);
        case 'INT16':
          return bytes.readInt16LE(offset);
        case 'UINT16':
          return bytes.readUInt16LE(offset);
        case 'INT32':
          return bytes.readInt32LE(offset);
        case 'UINT32':
          return bytes.readUInt32LE(offset);
        case 'INT64':
          return Number(bytes.readBigInt64LE(offset));
        case 'UINT64':
          return Number(bytes.readBigUInt64LE(offset));
        default:
          return bytes.readUInt8(offset);
      }
    });
  };

  it.each(['FP32', 'FP64', 'BF16'])('%s values lie in [0, 1) and are not all equal', (datatype) => {
    const values = decode(datatype, encodeItem(datatype, { kind: 'random', elements: ELEMENTS }, rng()));
    expect(values).toHaveLength(ELEMENTS);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(100);
  });

  it('FP16 values lie in [0, 1] (values just below 1 round to 1.0 in half precision)', () => {
    const values = decode('FP16', encodeItem('FP16', { kind: 'random', elements: ELEMENTS }, rng()));
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(100);
  });

  it.each(['UINT8', 'INT8', 'UINT16', 'INT16', 'UINT32', 'INT32', 'UINT64', 'INT64'])(
    '%s values are integers in [0, 8), each of them drawn',
    (datatype) => {
      const values = decode(datatype, encodeItem(datatype, { kind: 'random', elements: ELEMENTS }, rng()));
      expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 8)).toBe(true);
      expect(new Set(values)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    },
  );

  it('BOOL values are 0 or 1, both drawn', () => {
    const values = decode('BOOL', encodeItem('BOOL', { kind: 'random', elements: 200 }, rng()));
    expect(new Set(values)).toEqual(new Set([0, 1]));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const item = (seed: number) => hex(encodeItem('FP32', { kind: 'random', elements: 64 }, createRng(seed)));
    expect(item(42)).toBe(item(42));
    expect(item(42)).not.toBe(item(43));
  });
});
