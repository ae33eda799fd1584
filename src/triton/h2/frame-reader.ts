/**
 * Incremental HTTP/2 frame parser over socket chunks (RFC 9113 §4.1). Control and HEADERS
 * frames are delivered whole (zero-copy when they sit inside one chunk); DATA payloads are
 * streamed slice by slice with padding removed (§6.1), so multi-megabyte replies are never
 * buffered or copied: gRPC only needs the 5-byte message prefixes and byte counts.
 */
import { ErrorCode, FRAME_HEADER_BYTES, FrameFlag, FrameType, H2ProtocolError, readUint31 } from './frames.js';

/** Receives parsed frames. Throwing H2ProtocolError aborts the chunk; the reader is then unusable. */
export interface FrameHandler {
  /** A complete non-DATA frame; `payload[start, end)` is only valid during the call. */
  onFrame(type: number, flags: number, streamId: number, payload: Buffer, start: number, end: number): void;
  /** A DATA frame begins; `frameBytes` (padding included) counts against flow control (§6.9). */
  onDataStart(flags: number, streamId: number, frameBytes: number): void;
  /** Data octets of the current DATA frame (padding excluded); valid only during the call. */
  onData(streamId: number, bytes: Buffer, start: number, end: number): void;
  /** The current DATA frame is complete. */
  onDataEnd(flags: number, streamId: number): void;
}

const enum State {
  Header,
  Payload,
  PadLength,
  Data,
  Padding,
}

/** Parses frames from successive chunks and hands them to a FrameHandler. */
export class FrameReader {
  private state = State.Header;
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private length = 0;
  private type = 0;
  private flags = 0;
  private streamId = 0;
  private payload: Buffer = Buffer.alloc(0);
  private payloadFill = 0;
  private dataLeft = 0;
  private padLeft = 0;
  private isStopped = false;

  /** @param maxFrameBytes our SETTINGS_MAX_FRAME_SIZE: larger frames are a FRAME_SIZE_ERROR (§4.2). */
  constructor(
    private readonly handler: FrameHandler,
    private readonly maxFrameBytes: number,
  ) {}

  /** Makes `push` ignore the rest of the current chunk and all later ones (connection closed). */
  stop(): void {
    this.isStopped = true;
  }

  /** Consumes one chunk; throws H2ProtocolError on framing errors. */
  push(chunk: Buffer): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end && !this.isStopped) {
      switch (this.state) {
        case State.Header:
          pos = this.readHeader(chunk, pos, end);
          break;
        case State.Payload:
          pos = this.readPayload(chunk, pos, end);
          break;
        case State.PadLength:
          this.startPaddedData(chunk[pos++] as number);
          break;
        case State.Data: {
          const take = Math.min(this.dataLeft, end - pos);
          this.dataLeft -= take;
          this.handler.onData(this.streamId, chunk, pos, pos + take);
          pos += take;
          if (this.dataLeft === 0) this.finishData();
          break;
        }
        case State.Padding: {
          const take = Math.min(this.padLeft, end - pos);
          this.padLeft -= take;
          pos += take;
          if (this.padLeft === 0) this.endData();
          break;
        }
      }
    }
  }

  private readHeader(chunk: Buffer, pos: number, end: number): number {
    let at = pos;
    let source = chunk;
    if (this.headerFill === 0 && end - pos >= FRAME_HEADER_BYTES) {
      at = pos + FRAME_HEADER_BYTES;
    } else {
      const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, end - pos);
      chunk.copy(this.header, this.headerFill, pos, pos + take);
      this.headerFill += take;
      if (this.headerFill < FRAME_HEADER_BYTES) return end;
      this.headerFill = 0;
      source = this.header;
      at = pos + take;
      pos = 0;
    }
    this.length = ((source[pos] as number) << 16) | ((source[pos + 1] as number) << 8) | (source[pos + 2] as number);
    this.type = source[pos + 3] as number;
    this.flags = source[pos + 4] as number;
    this.streamId = readUint31(source, pos + 5);
    if (this.length > this.maxFrameBytes) {
      throw new H2ProtocolError(
        ErrorCode.FRAME_SIZE_ERROR,
        `frame of ${this.length} octets exceeds our limit ${this.maxFrameBytes}`,
      );
    }
    this.beginPayload(chunk, at, end);
    return at;
  }

  private beginPayload(chunk: Buffer, at: number, end: number): void {
    if (this.type !== FrameType.DATA) {
      this.state = State.Payload;
      this.payloadFill = 0;
      if (this.length === 0) {
        // Empty frames (SETTINGS ACK, ...) complete without waiting for another chunk.
        this.state = State.Header;
        this.handler.onFrame(this.type, this.flags, this.streamId, chunk, at, at);
        return;
      }
      // Whole frame in this chunk: deliver in place; otherwise assemble a private copy.
      if (end - at < this.length && this.payload.length < this.length) this.payload = Buffer.alloc(this.length);
      return;
    }
    this.handler.onDataStart(this.flags, this.streamId, this.length);
    if ((this.flags & FrameFlag.PADDED) !== 0) {
      if (this.length === 0)
        throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, 'PADDED DATA frame without a pad length');
      this.state = State.PadLength;
    } else {
      this.state = State.Data;
      this.dataLeft = this.length;
      this.padLeft = 0;
      if (this.length === 0) this.endData();
    }
  }

  private readPayload(chunk: Buffer, pos: number, end: number): number {
    if (this.payloadFill === 0 && end - pos >= this.length) {
      this.state = State.Header;
      this.handler.onFrame(this.type, this.flags, this.streamId, chunk, pos, pos + this.length);
      return pos + this.length;
    }
    const take = Math.min(this.length - this.payloadFill, end - pos);
    chunk.copy(this.payload, this.payloadFill, pos, pos + take);
    this.payloadFill += take;
    if (this.payloadFill === this.length) {
      this.state = State.Header;
      this.handler.onFrame(this.type, this.flags, this.streamId, this.payload, 0, this.length);
    }
    return pos + take;
  }

  private startPaddedData(padBytes: number): void {
    // §6.1: padding as long as or longer than the remaining payload is a PROTOCOL_ERROR.
    if (padBytes > this.length - 1)
      throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'DATA padding exceeds the frame');
    this.state = State.Data;
    this.dataLeft = this.length - 1 - padBytes;
    this.padLeft = padBytes;
    if (this.dataLeft === 0) this.finishData();
  }

  private finishData(): void {
    if (this.padLeft > 0) {
      this.state = State.Padding;
      return;
    }
    this.endData();
  }

  private endData(): void {
    this.state = State.Header;
    this.handler.onDataEnd(this.flags, this.streamId);
  }
}
