/**
 * The request side of HPACK: we only emit "literal header field without indexing" (RFC 7541
 * §6.2.2), or "never indexed" (§6.2.3) for sensitive fields, name-indexed from the static table when possible, raw (non-Huffman) strings. We
 * never insert into the server's dynamic table, so its SETTINGS_HEADER_TABLE_SIZE only costs
 * us one "size update to 0" (§6.3) when it changes. Blocks are encoded once per transport and
 * timeout value, never per request.
 */
import { staticNameIndex } from './hpack-static-table.js';

/**
 * One header field to send; names must already be lowercase (RFC 9113 §8.2.1). Sensitive
 * fields (user metadata: auth tokens) go as "never indexed" literals (§6.2.3, §7.1.3), so no
 * intermediary may put them in a compression table.
 */
export type HeaderField = readonly [name: string, value: string, isSensitive?: boolean];

/** Encodes `value` as an HPACK integer with an N-bit prefix (§5.1) into `out`; `firstBits` fills the rest of octet 1. */
export function encodeInteger(value: number, prefixBits: number, firstBits: number, out: number[]): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(firstBits | value);
    return;
  }
  out.push(firstBits | max);
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

function encodeRawString(text: string, out: number[]): void {
  encodeInteger(text.length, 7, 0x00, out);
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
}

/** A dynamic table size update to 0 (§6.3): sent first in a block after the server's table limit changed. */
export const TABLE_SIZE_UPDATE_ZERO = 0x20;

/**
 * Encodes a header block of literals without indexing. Names and values must be printable
 * ASCII (checked by the caller), so `charCodeAt` is the octet value.
 */
export function encodeHeaderBlock(fields: readonly HeaderField[]): Buffer {
  const out: number[] = [];
  for (const [name, value, isSensitive] of fields) {
    const nameIndex = staticNameIndex(name);
    encodeInteger(nameIndex, 4, isSensitive === true ? 0x10 : 0x00, out);
    if (nameIndex === 0) encodeRawString(name, out);
    encodeRawString(value, out);
  }
  return Buffer.from(out);
}
