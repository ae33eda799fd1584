/**
 * Raw tensor bytes for `raw_input_contents`: flattened, row-major, little-endian; BYTES
 * elements are a 4-byte little-endian length followed by the bytes (KServe binary data
 * extension). Random data stays in a safe range: floats in [0, 1), integers in [0, 8) so
 * index-like inputs (embedding ids) stay valid (a known perf_analyzer pitfall).
 */
import type { Rng } from '../rng.js';

/** The values of one item (one batch element). */
export type ItemValues =
  | { readonly kind: 'random' | 'zeros'; readonly elements: number }
  | { readonly kind: 'numbers'; readonly values: readonly number[] }
  | { readonly kind: 'strings'; readonly values: readonly string[] };

/** Bytes per element of each fixed-size protocol datatype. */
export const ELEMENT_BYTES: Readonly<Record<string, number>> = {
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
};

const RANDOM_INT_BOUND = 8;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of `value` (round to nearest; enough for data in [0, 1)). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (exponent <= 0) return sign; // too small for a normal half: flush to zero
  if (exponent >= 31) return sign | 0x7c00; // overflow: infinity
  return sign | ((exponent << 10) + Math.round(mantissa / 0x2000)); // `+`: a rounded-up mantissa carries into the exponent
}

function writeNumber(buffer: Buffer, datatype: string, index: number, value: number): void {
  const size = ELEMENT_BYTES[datatype] ?? 0;
  const offset = index * size;
  switch (datatype) {
    case 'BOOL':
    case 'UINT8':
      buffer.writeUInt8(value, offset);
      break;
    case 'INT8':
      buffer.writeInt8(value, offset);
      break;
    case 'UINT16':
      buffer.writeUInt16LE(value, offset);
      break;
    case 'INT16':
      buffer.writeInt16LE(value, offset);
      break;
    case 'UINT32':
      buffer.writeUInt32LE(value, offset);
      break;
    case 'INT32':
      buffer.writeInt32LE(value, offset);
      break;
    case 'UINT64':
      buffer.writeBigUInt64LE(BigInt(value), offset);
      break;
    case 'INT64':
      buffer.writeBigInt64LE(BigInt(value), offset);
      break;
    case 'FP16':
      buffer.writeUInt16LE(toFloat16Bits(value), offset);
      break;
    case 'BF16':
      f32[0] = value;
      buffer.writeUInt16LE((u32[0] ?? 0) >>> 16, offset);
      break;
    case 'FP32':
      buffer.writeFloatLE(value, offset);
      break;
    case 'FP64':
      buffer.writeDoubleLE(value, offset);
      break;
    default:
      throw new Error(`no fixed-size encoding for datatype ${datatype}`);
  }
}

function randomValue(datatype: string, rng: Rng): number {
  if (datatype === 'BOOL') return rng.next() < 0.5 ? 0 : 1;
  if (datatype.startsWith('FP') || datatype === 'BF16') return rng.next();
  return Math.floor(rng.next() * RANDOM_INT_BOUND);
}

/** Encodes one item of `datatype`. BYTES needs `strings`; numbers must fit the datatype. */
export function encodeItem(datatype: string, values: ItemValues, rng: Rng): Buffer {
  if (datatype === 'BYTES') {
    if (values.kind !== 'strings') throw new Error('a BYTES input needs string values');
    const parts = values.values.map((s) => {
      const bytes = Buffer.from(s, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length, 0);
      return Buffer.concat([length, bytes]);
    });
    return Buffer.concat(parts);
  }
  if (values.kind === 'strings') throw new Error(`a ${datatype} input needs numbers, not strings`);
  const elements = values.kind === 'numbers' ? values.values.length : values.elements;
  const buffer = Buffer.alloc(elements * (ELEMENT_BYTES[datatype] ?? 0));
  if (values.kind === 'zeros') return buffer;
  for (let i = 0; i < elements; i++) {
    writeNumber(buffer, datatype, i, values.kind === 'numbers' ? (values.values[i] ?? 0) : randomValue(datatype, rng));
  }
  return buffer;
}

/** perf_analyzer's alphabet for random strings (`--string-length`): letters, digits, ` .?!`. */
const STRING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .?!';

/** `count` random strings of `length` characters from perf_analyzer's alphabet, drawn from `rng`. */
export function randomStrings(rng: Rng, count: number, length: number): string[] {
  return Array.from({ length: count }, () => {
    let text = '';
    for (let i = 0; i < length; i++) text += STRING_ALPHABET.charAt(Math.floor(rng.next() * STRING_ALPHABET.length));
    return text;
  });
}
