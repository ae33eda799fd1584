/**
 * Outgoing bytes of one connection, gathered during a tick and written with one socket write:
 * small frames are copied into a slab (a request is one ~300-byte memcpy), large payloads are
 * queued by reference. Bytes before the slab's write position are never touched again, so a
 * flushed slice stays valid while the socket still holds it.
 */

/** Anything we can write to (a `net.Socket` or `tls.TLSSocket`). */
export interface ByteSink {
  write(chunk: Uint8Array): boolean;
  cork(): void;
  uncork(): void;
}

const SLAB_BYTES = 64 * 1024;
/** Payloads at least this large are queued by reference instead of copied. */
const COPY_LIMIT_BYTES = 16 * 1024;

/** Per-connection output accumulator; `flush()` once per batch of frames. */
export class OutputBuffer {
  /** The current slab; valid for writing at offsets returned by `alloc` until the next call. */
  slab: Buffer = Buffer.allocUnsafe(SLAB_BYTES);
  private start = 0;
  private pos = 0;
  private readonly chunks: Buffer[] = [];

  /** True when bytes are waiting for `flush`. */
  get hasPending(): boolean {
    return this.pos > this.start || this.chunks.length > 0;
  }

  /** Reserves `bytes` octets in `slab` and returns their offset. */
  alloc(bytes: number): number {
    if (this.pos + bytes > this.slab.length) {
      this.seal();
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
      this.start = 0;
      this.pos = 0;
    }
    const offset = this.pos;
    this.pos += bytes;
    return offset;
  }

  /** Appends `bytes[start, end)`: copied when small, referenced when large (must then stay unchanged). */
  append(bytes: Buffer, start: number, end: number): void {
    if (end - start < COPY_LIMIT_BYTES) {
      const offset = this.alloc(end - start);
      bytes.copy(this.slab, offset, start, end);
      return;
    }
    this.seal();
    this.chunks.push(bytes.subarray(start, end));
  }

  /** Writes everything pending to `sink` (one `write`, or a corked batch when several chunks). */
  flush(sink: ByteSink): void {
    this.seal();
    const chunks = this.chunks;
    if (chunks.length === 1) {
      sink.write(chunks[0] as Buffer);
    } else if (chunks.length > 1) {
      sink.cork();
      for (const chunk of chunks) sink.write(chunk);
      sink.uncork();
    }
    chunks.length = 0;
  }

  /** Drops pending bytes (the connection is gone). */
  clear(): void {
    this.start = this.pos;
    this.chunks.length = 0;
  }

  /** Moves the slab bytes written since the last seal into the chunk list. */
  private seal(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.slab.subarray(this.start, this.pos));
      this.start = this.pos;
    }
  }
}
