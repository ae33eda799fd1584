/**
 * The bytes a bidirectional stream (ModelStreamInfer) still has to send: gRPC messages written
 * while the stream waits to open or for flow-control window, in order, and whether the client
 * half-closed (END_STREAM after the last byte). Large request bodies are kept by reference,
 * small parts copied (the caller reuses its tail buffer).
 */
import type { OutputBuffer } from './output-buffer.js';
import { GRPC_PREFIX_BYTES } from './grpc-wire.js';

/** Parts at least this large are referenced, not copied (as OutputBuffer does). */
const COPY_LIMIT_BYTES = 16 * 1024;

/** FIFO of outbound bytes with O(1) push and consumption from the front. */
export class OutboundQueue {
  /** Bytes queued and not yet framed. */
  queuedBytes = 0;
  /** The client half-closed: END_STREAM goes on the frame carrying the last queued byte. */
  isEndQueued = false;
  /** END_STREAM has been framed. */
  isEndSent = false;
  private parts: Buffer[] = [];
  private head = 0;
  /** Bytes of `parts[head]` already framed. */
  private offset = 0;

  /** Queues one gRPC message: the 5-byte prefix, `head` (by reference when large), `tail[0, tailLength)` (copied). */
  pushMessage(head: Uint8Array, tail: Buffer, tailLength: number): void {
    const prefix = Buffer.allocUnsafe(GRPC_PREFIX_BYTES);
    prefix[0] = 0;
    prefix.writeUInt32BE(head.length + tailLength, 1);
    const headBuffer = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    if (headBuffer.length < COPY_LIMIT_BYTES) {
      this.push(Buffer.concat([prefix, headBuffer, tail.subarray(0, tailLength)]));
      return;
    }
    this.push(prefix);
    this.push(headBuffer);
    this.push(Buffer.from(tail.subarray(0, tailLength)));
  }

  /** Appends the first `bytes` queued octets to `out` (caller checked `bytes <= queuedBytes`) and drops them. */
  take(out: OutputBuffer, bytes: number): void {
    let left = bytes;
    while (left > 0) {
      const part = this.parts[this.head] as Buffer;
      const take = Math.min(left, part.length - this.offset);
      out.append(part, this.offset, this.offset + take);
      this.offset += take;
      left -= take;
      if (this.offset === part.length) this.shift();
    }
    this.queuedBytes -= bytes;
  }

  private push(part: Buffer): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.queuedBytes += part.length;
  }

  private shift(): void {
    this.head++;
    this.offset = 0;
    if (this.head === this.parts.length) {
      this.parts = [];
      this.head = 0;
    } else if (this.head >= 1024) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
  }
}
