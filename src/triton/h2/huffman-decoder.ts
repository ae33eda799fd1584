/**
 * HPACK Huffman decoding (RFC 7541 §5.2) with a 4-bit state machine built once from the RFC's
 * code table: 16 transitions per internal node of the code tree, so a byte costs two table
 * reads instead of eight tree steps. Header values on the hot path are mostly indexed by the
 * server, so this runs for the first few responses on a connection, then rarely.
 */
import { HUFFMAN_CODE_TABLE, HUFFMAN_EOS } from './huffman-table.js';

/** A malformed HPACK block: a connection error of type COMPRESSION_ERROR (RFC 7541 §4, §5.2). */
export class HpackError extends Error {
  override readonly name = 'HpackError';
}

const SYMBOLS = 257;
const MAX_CODE_BITS = 30;
// Transition entry layout: bits 0-7 next state, bits 8-16 emitted symbol + 1 (0 = none),
// bit 17 set when the nibble decodes EOS (RFC 7541 §5.2: EOS inside a string is an error).
const NEXT_MASK = 0xff;
const SYMBOL_SHIFT = 8;
const SYMBOL_MASK = 0x1ff;
const FAIL_BIT = 1 << 17;

interface Machine {
  readonly transitions: Int32Array;
  /** Per state: 1 when a string may end there (padding of at most 7 one-bits, §5.2). */
  readonly isAccepting: Uint8Array;
}

/** Builds the code tree: internal nodes 0..255 (root 0); children < 0 are leaves `-(sym + 1)`. */
function buildTree(): Int32Array {
  const children = new Int32Array(2 * (SYMBOLS - 1)).fill(0);
  let nodes = 1;
  for (let sym = 0; sym < SYMBOLS; sym++) {
    const code = HUFFMAN_CODE_TABLE[2 * sym] as number;
    const bits = HUFFMAN_CODE_TABLE[2 * sym + 1] as number;
    if (bits > MAX_CODE_BITS) throw new Error(`HPACK Huffman table: symbol ${sym} has ${bits} bits`);
    let node = 0;
    for (let i = bits - 1; i > 0; i--) {
      const slot = 2 * node + ((code >>> i) & 1);
      if ((children[slot] as number) < 0)
        throw new Error(`HPACK Huffman table: code of symbol ${sym} is not prefix-free`);
      if (children[slot] === 0) children[slot] = nodes++;
      node = children[slot] as number;
    }
    const leaf = 2 * node + (code & 1);
    if (children[leaf] !== 0) throw new Error(`HPACK Huffman table: code of symbol ${sym} collides`);
    children[leaf] = -(sym + 1);
  }
  if (nodes !== SYMBOLS - 1) throw new Error(`HPACK Huffman table: ${nodes} internal nodes, expected 256`);
  return children;
}

/** Depth and "all one-bits so far" per internal node, for the end-of-string padding check. */
function markPadding(children: Int32Array): Uint8Array {
  const isAccepting = new Uint8Array(SYMBOLS - 1);
  isAccepting[0] = 1;
  let node = 0;
  // Following the 1-branch from the root for up to 7 bits gives the only valid padding states.
  for (let depth = 1; depth <= 7; depth++) {
    node = children[2 * node + 1] as number;
    if (node <= 0) break;
    isAccepting[node] = 1;
  }
  return isAccepting;
}

function buildMachine(): Machine {
  const children = buildTree();
  const transitions = new Int32Array((SYMBOLS - 1) * 16);
  for (let state = 0; state < SYMBOLS - 1; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let bit = 3; bit >= 0; bit--) {
        const child = children[2 * node + ((nibble >>> bit) & 1)] as number;
        if (child >= 0) {
          node = child;
          continue;
        }
        const sym = -child - 1;
        // Codes are >= 5 bits long, so a nibble completes at most one symbol.
        entry = sym === HUFFMAN_EOS ? FAIL_BIT : (sym + 1) << SYMBOL_SHIFT;
        node = 0;
      }
      transitions[state * 16 + nibble] = entry | node;
    }
  }
  return { transitions, isAccepting: markPadding(children) };
}

const MACHINE = buildMachine();
let scratch = Buffer.allocUnsafe(1024);

/**
 * Decodes Huffman-coded octets `bytes[start, end)` to a latin1 string (one char per octet).
 * Throws HpackError on EOS, padding longer than 7 bits, or padding that is not all ones.
 */
export function decodeHuffman(bytes: Uint8Array, start: number, end: number): string {
  // The shortest code is 5 bits, so n octets decode to at most 8n/5 symbols.
  const maxOut = Math.ceil(((end - start) * 8) / 5);
  if (scratch.length < maxOut) scratch = Buffer.allocUnsafe(maxOut * 2);
  const { transitions, isAccepting } = MACHINE;
  const out = scratch;
  let n = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    let entry = transitions[(state << 4) | (byte >>> 4)] as number;
    if ((entry & FAIL_BIT) !== 0) throw new HpackError('Huffman string contains EOS');
    let sym = (entry >>> SYMBOL_SHIFT) & SYMBOL_MASK;
    if (sym !== 0) out[n++] = sym - 1;
    state = entry & NEXT_MASK;
    entry = transitions[(state << 4) | (byte & 0xf)] as number;
    if ((entry & FAIL_BIT) !== 0) throw new HpackError('Huffman string contains EOS');
    sym = (entry >>> SYMBOL_SHIFT) & SYMBOL_MASK;
    if (sym !== 0) out[n++] = sym - 1;
    state = entry & NEXT_MASK;
  }
  if (isAccepting[state] !== 1) throw new HpackError('Huffman string has invalid padding');
  return out.toString('latin1', 0, n);
}

/** Encodes a latin1 string with the Huffman code (tests and fixtures only; we send raw literals). */
export function encodeHuffman(text: string): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let accBits = 0;
  for (let i = 0; i < text.length; i++) {
    const sym = text.charCodeAt(i) & 0xff;
    const code = HUFFMAN_CODE_TABLE[2 * sym] as number;
    const bits = HUFFMAN_CODE_TABLE[2 * sym + 1] as number;
    for (let b = bits - 1; b >= 0; b--) {
      acc = (acc << 1) | ((code >>> b) & 1);
      if (++accBits === 8) {
        bytes.push(acc);
        acc = 0;
        accBits = 0;
      }
    }
  }
  // Pad with the most significant bits of EOS, i.e. one-bits (§5.2).
  if (accBits > 0) bytes.push(((acc << (8 - accBits)) | (0xff >>> accBits)) & 0xff);
  return Buffer.from(bytes);
}
