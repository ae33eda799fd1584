/**
 * HPACK decoder (RFC 7541) for response header blocks: integers (§5.1), string literals with
 * optional Huffman coding (§5.2), the static and dynamic tables (§2.3, §4) and all field
 * representations (§6). Values are latin1 strings (one char per octet): gRPC headers are
 * ASCII, and a lossless octet mapping lets `grpc-message` be percent- and UTF-8-decoded later.
 * Fields from the dynamic table are returned as the stored strings, so a response whose
 * headers the server indexed (the common case after the first reply) allocates nothing here.
 */
import { decodeHuffman, HpackError } from './huffman-decoder.js';
import { STATIC_NAMES, STATIC_TABLE_LENGTH, STATIC_VALUES } from './hpack-static-table.js';

export { HpackError } from './huffman-decoder.js';

/** Receives decoded fields in order. */
export interface HeaderFieldSink {
  onHeaderField(name: string, value: string): void;
}

/** Read position inside a header block; advanced by `decodeInteger`. */
export interface HpackCursor {
  pos: number;
}

/** Largest integer we accept (table sizes, lengths, indices); bigger means a hostile peer. */
const MAX_INTEGER = 0x7fffffff;
/** Per-entry overhead in the dynamic table size (RFC 7541 §4.1). */
const ENTRY_OVERHEAD = 32;

/**
 * Decodes an HPACK integer with an N-bit prefix (RFC 7541 §5.1) starting at `cursor.pos`
 * (the prefix bits of that octet) and advances the cursor past it.
 */
export function decodeInteger(bytes: Uint8Array, end: number, prefixBits: number, cursor: HpackCursor): number {
  if (cursor.pos >= end) throw new HpackError('header block truncated inside an integer');
  const max = (1 << prefixBits) - 1;
  let value = (bytes[cursor.pos++] as number) & max;
  if (value < max) return value;
  let shift = 0;
  for (;;) {
    if (cursor.pos >= end) throw new HpackError('header block truncated inside an integer');
    const byte = bytes[cursor.pos++] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if (value > MAX_INTEGER) throw new HpackError('HPACK integer exceeds 2^31-1');
    if ((byte & 0x80) === 0) return value;
    shift += 7;
    // Zero-valued continuation octets could otherwise go on forever without growing `value`.
    if (shift > 28) throw new HpackError('HPACK integer has too many continuation octets');
  }
}

/** Stateful decoder of one connection's response header blocks (the dynamic table persists). */
export class HpackDecoder implements HpackCursor {
  pos = 0;
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  private size = 0;
  private maxSize: number;

  /**
   * @param settingsMaxSize our SETTINGS_HEADER_TABLE_SIZE: the upper bound of the table size
   * the server may choose with a dynamic table size update (RFC 7541 §4.2, §6.3).
   */
  constructor(private readonly settingsMaxSize = 4096) {
    this.maxSize = settingsMaxSize;
  }

  /** Entries in the dynamic table (newest first is index 62). */
  get tableLength(): number {
    return this.names.length;
  }

  /** Current dynamic table size in octets as defined by RFC 7541 §4.1. */
  get tableSize(): number {
    return this.size;
  }

  /**
   * Decodes the complete header block `block[start, end)` (fragments already concatenated),
   * calling `sink` for each field. Throws HpackError on malformed input; the connection must
   * then be failed with COMPRESSION_ERROR since the dynamic table is no longer in sync.
   */
  decode(block: Buffer, start: number, end: number, sink: HeaderFieldSink): void {
    this.pos = start;
    let hasField = false;
    while (this.pos < end) {
      const first = block[this.pos] as number;
      if (first >= 0x80) {
        const index = decodeInteger(block, end, 7, this);
        sink.onHeaderField(this.nameAt(index), this.valueAt(index));
        hasField = true;
      } else if (first >= 0x40) {
        this.decodeLiteral(block, end, 6, sink, true);
        hasField = true;
      } else if (first >= 0x20) {
        // §4.2: a size update may only appear at the beginning of a header block.
        if (hasField) throw new HpackError('dynamic table size update after a header field');
        const size = decodeInteger(block, end, 5, this);
        if (size > this.settingsMaxSize) {
          throw new HpackError(`dynamic table size update to ${size} exceeds our limit ${this.settingsMaxSize}`);
        }
        this.maxSize = size;
        this.evictTo(size);
      } else {
        // 0000xxxx without indexing, 0001xxxx never indexed: same layout, neither is stored.
        this.decodeLiteral(block, end, 4, sink, false);
        hasField = true;
      }
    }
  }

  private decodeLiteral(
    block: Buffer,
    end: number,
    prefixBits: number,
    sink: HeaderFieldSink,
    isIndexed: boolean,
  ): void {
    const nameIndex = decodeInteger(block, end, prefixBits, this);
    const name = nameIndex === 0 ? this.decodeString(block, end) : this.nameAt(nameIndex);
    const value = this.decodeString(block, end);
    if (isIndexed) this.insert(name, value);
    sink.onHeaderField(name, value);
  }

  private decodeString(block: Buffer, end: number): string {
    if (this.pos >= end) throw new HpackError('header block truncated before a string');
    const isHuffman = ((block[this.pos] as number) & 0x80) !== 0;
    const length = decodeInteger(block, end, 7, this);
    const stringStart = this.pos;
    if (length > end - stringStart) throw new HpackError(`string of ${length} octets overruns the header block`);
    this.pos = stringStart + length;
    if (isHuffman) return decodeHuffman(block, stringStart, this.pos);
    return block.toString('latin1', stringStart, this.pos);
  }

  private nameAt(index: number): string {
    if (index === 0) throw new HpackError('header field index 0');
    if (index <= STATIC_TABLE_LENGTH) return STATIC_NAMES[index] as string;
    return this.names[this.dynamicSlot(index)] as string;
  }

  private valueAt(index: number): string {
    if (index === 0) throw new HpackError('header field index 0');
    if (index <= STATIC_TABLE_LENGTH) return STATIC_VALUES[index] as string;
    return this.values[this.dynamicSlot(index)] as string;
  }

  /** Array slot of dynamic index `index` (62 = newest = last element). */
  private dynamicSlot(index: number): number {
    const back = index - STATIC_TABLE_LENGTH;
    if (back > this.names.length) {
      throw new HpackError(`header field index ${index} beyond the ${this.names.length} dynamic entries`);
    }
    return this.names.length - back;
  }

  /** §4.4: evict oldest entries until the new one fits; a too-large entry empties the table. */
  private insert(name: string, value: string): void {
    const entrySize = name.length + value.length + ENTRY_OVERHEAD;
    if (entrySize > this.maxSize) {
      this.evictTo(0);
      return;
    }
    this.evictTo(this.maxSize - entrySize);
    this.names.push(name);
    this.values.push(value);
    this.size += entrySize;
  }

  private evictTo(limit: number): void {
    while (this.size > limit) {
      const name = this.names.shift() as string;
      const value = this.values.shift() as string;
      this.size -= name.length + value.length + ENTRY_OVERHEAD;
    }
  }
}
