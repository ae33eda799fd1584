/**
 * What a client does with each frame the server sends (RFC 9113 §6), for one H2Connection:
 * header blocks (HEADERS + CONTINUATION) go through HPACK into the stream, DATA is counted
 * for flow control and gRPC framing, and SETTINGS, PING, GOAWAY, RST_STREAM and
 * WINDOW_UPDATE update the connection. Violations throw H2ProtocolError (connection error)
 * or fail just the stream (stream error, §5.4.2).
 */
import type { InferFailure } from '../../load/infer-transport.js';
import type { FrameHandler } from './frame-reader.js';
import type { H2Stream } from './h2-stream.js';
import type { HeaderFieldSink, HpackDecoder } from './hpack-decoder.js';
import type { OutputBuffer } from './output-buffer.js';
import type { StreamScheduler } from './stream-scheduler.js';
import {
  ErrorCode,
  errorCodeName,
  FRAME_HEADER_BYTES,
  FrameFlag,
  FrameType,
  H2ProtocolError,
  headersFragmentBounds,
  PING_BYTES,
  putFrameHeader,
  putPingAck,
  putWindowUpdate,
  readUint31,
  readUint32,
  WINDOW_UPDATE_BYTES,
  type FragmentBounds,
} from './frames.js';
import { applySettings } from './apply-settings.js';
import { statusFromRstCode } from './grpc-wire.js';

/** Header blocks larger than this are refused (gRPC suggests 8 KiB; Triton sends < 1 KiB). */
const MAX_HEADER_BLOCK_BYTES = 1024 * 1024;
const DISCARD: HeaderFieldSink = { onHeaderField: () => undefined };

/**
 * The connection as the dispatcher sees it (H2Connection implements it); an interface so the
 * connection can own its dispatcher without the two files importing each other.
 */
export interface DispatchTarget {
  readonly tuning: { readonly localWindowBytes: number };
  readonly address: string;
  readonly state: string;
  readonly out: OutputBuffer;
  readonly decoder: HpackDecoder;
  readonly scheduler: StreamScheduler;
  requestFlush(): void;
  finish(stream: H2Stream, failure: InferFailure | null, rstCode: number, isDeferred: boolean): void;
  finishAll(streams: readonly H2Stream[], failure: InferFailure, rstCode: number, isDeferred: boolean): void;
  retire(): void;
  /** Streams the server refused unprocessed: the transport re-sends each once. */
  refuse(streams: readonly H2Stream[], why: string): void;
  markOpen(): void;
}

/** Frame handler bound to one connection. */
export class FrameDispatcher implements FrameHandler {
  private readonly bounds: FragmentBounds = { start: 0, end: 0 };
  /** Stream of an unfinished header block (CONTINUATION expected), else 0. */
  private blockStreamId = 0;
  private blockFlags = 0;
  private blockParts: Buffer[] = [];
  private blockBytes = 0;
  private dataStream: H2Stream | undefined;
  private connUnacked = 0;
  private readonly refillBytes: number;

  constructor(private readonly conn: DispatchTarget) {
    this.refillBytes = Math.floor(conn.tuning.localWindowBytes / 2);
  }

  onFrame(type: number, flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
    if (this.blockStreamId !== 0 && type !== FrameType.CONTINUATION) {
      throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, `frame type ${type} inside a header block (§6.10)`);
    }
    switch (type) {
      case FrameType.HEADERS:
        this.onHeaders(flags, streamId, payload, start, end);
        break;
      case FrameType.CONTINUATION:
        this.onContinuation(flags, streamId, payload, start, end);
        break;
      case FrameType.SETTINGS:
        if (applySettings(this.conn.scheduler, flags, streamId, payload, start, end)) this.acknowledgeSettings();
        break;
      case FrameType.PING:
        this.onPing(flags, streamId, payload, start, end);
        break;
      case FrameType.GOAWAY:
        this.onGoaway(streamId, payload, start, end);
        break;
      case FrameType.RST_STREAM:
        this.onRstStream(streamId, payload, start, end);
        break;
      case FrameType.WINDOW_UPDATE:
        this.onWindowUpdate(streamId, payload, start, end);
        break;
      case FrameType.PUSH_PROMISE:
        // We sent ENABLE_PUSH 0 (§8.4).
        throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE although push is disabled');
      default:
        // PRIORITY is deprecated (§5.3.2) and unknown types must be ignored (§4.1, §5.5).
        break;
    }
  }

  /** Sends the SETTINGS ACK; the first SETTINGS opens the connection, later ones may free slots. */
  private acknowledgeSettings(): void {
    const conn = this.conn;
    putFrameHeader(conn.out.slab, conn.out.alloc(FRAME_HEADER_BYTES), 0, FrameType.SETTINGS, FrameFlag.ACK, 0);
    conn.requestFlush();
    if (conn.state === 'handshake') conn.markOpen();
    else conn.scheduler.openPending();
  }

  onDataStart(flags: number, streamId: number, frameBytes: number): void {
    if (this.blockStreamId !== 0)
      throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'DATA inside a header block (§6.10)');
    if (streamId === 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'DATA on stream 0');
    const conn = this.conn;
    // Every DATA octet counts against the connection window, even on streams we reset (§6.9).
    this.connUnacked += frameBytes;
    if (this.connUnacked >= this.refillBytes) {
      putWindowUpdate(conn.out.slab, conn.out.alloc(WINDOW_UPDATE_BYTES), 0, this.connUnacked);
      this.connUnacked = 0;
      conn.requestFlush();
    }
    const stream = conn.scheduler.active.get(streamId);
    this.dataStream = stream;
    if (stream === undefined) return;
    if (!stream.hasResponseHeaders) {
      this.dataStream = undefined;
      this.streamError(stream, ErrorCode.PROTOCOL_ERROR, 'DATA before response headers');
      return;
    }
    stream.unackedBytes += frameBytes;
    if (stream.unackedBytes >= this.refillBytes && (flags & FrameFlag.END_STREAM) === 0) {
      putWindowUpdate(conn.out.slab, conn.out.alloc(WINDOW_UPDATE_BYTES), streamId, stream.unackedBytes);
      stream.unackedBytes = 0;
      conn.requestFlush();
    }
  }

  onData(_streamId: number, bytes: Buffer, start: number, end: number): void {
    const stream = this.dataStream;
    if (stream === undefined || stream.isFinished) return;
    if (!stream.onData(bytes, start, end)) {
      this.dataStream = undefined;
      const message =
        stream.rejectReason ?? `${this.conn.address} sent a compressed message, but no grpc-encoding was negotiated`;
      this.conn.finish(stream, { status: 'INTERNAL', message }, ErrorCode.CANCEL, false);
    }
  }

  onDataEnd(flags: number, _streamId: number): void {
    const stream = this.dataStream;
    this.dataStream = undefined;
    // A gRPC response ends with trailers; END_STREAM on DATA means there will be none.
    if (stream !== undefined && !stream.isFinished && (flags & FrameFlag.END_STREAM) !== 0) this.complete(stream);
  }

  private onHeaders(flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
    if (streamId === 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'HEADERS on stream 0');
    headersFragmentBounds(flags, payload, start, end, this.bounds);
    if ((flags & FrameFlag.END_HEADERS) !== 0) {
      this.onHeaderBlock(flags, streamId, payload, this.bounds.start, this.bounds.end);
      return;
    }
    this.blockStreamId = streamId;
    this.blockFlags = flags;
    this.blockParts = [Buffer.from(payload.subarray(this.bounds.start, this.bounds.end))];
    this.blockBytes = this.bounds.end - this.bounds.start;
  }

  private onContinuation(flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
    if (streamId !== this.blockStreamId || streamId === 0) {
      throw new H2ProtocolError(
        ErrorCode.PROTOCOL_ERROR,
        `CONTINUATION on stream ${streamId} without an open header block`,
      );
    }
    this.blockBytes += end - start;
    if (this.blockBytes > MAX_HEADER_BLOCK_BYTES) {
      throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, `header block larger than ${MAX_HEADER_BLOCK_BYTES} octets`);
    }
    this.blockParts.push(Buffer.from(payload.subarray(start, end)));
    if ((flags & FrameFlag.END_HEADERS) === 0) return;
    const block = Buffer.concat(this.blockParts);
    this.blockStreamId = 0;
    this.blockParts = [];
    this.onHeaderBlock(this.blockFlags, streamId, block, 0, block.length);
  }

  /** Decodes a complete block (always, to keep the HPACK table in sync) and applies it. */
  private onHeaderBlock(flags: number, streamId: number, block: Buffer, start: number, end: number): void {
    const stream = this.conn.scheduler.active.get(streamId);
    this.conn.decoder.decode(block, start, end, stream ?? DISCARD);
    // Frames on streams we reset or finished are ignored (§5.1 "closed").
    if (stream === undefined || stream.isFinished) return;
    const isEnd = (flags & FrameFlag.END_STREAM) !== 0;
    if (!stream.hasResponseHeaders) {
      // 1xx informational responses precede the real one (§8.1).
      if (stream.httpStatus >= 100 && stream.httpStatus < 200 && !isEnd) {
        stream.httpStatus = 0;
        return;
      }
      stream.hasResponseHeaders = true;
    } else if (!isEnd) {
      this.streamError(stream, ErrorCode.PROTOCOL_ERROR, 'trailers without END_STREAM');
      return;
    }
    if (isEnd) this.complete(stream);
  }

  /** The server ended the stream: report its outcome (and stop our upload if unfinished). */
  private complete(stream: H2Stream): void {
    // PROTOCOL-HTTP2 "Early Server Closure": reset with NO_ERROR if we were still sending.
    const rst = stream.hasUnsentData ? ErrorCode.NO_ERROR : -1;
    this.conn.finish(stream, stream.outcome(this.conn.address), rst, false);
  }

  private streamError(stream: H2Stream, code: number, what: string): void {
    const message = `malformed response from ${this.conn.address}: ${what}`;
    this.conn.finish(stream, { status: 'INTERNAL', message }, code, false);
  }

  private onPing(flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
    if (end - start !== 8) throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, `PING of ${end - start} octets`);
    if (streamId !== 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'PING on a stream');
    if ((flags & FrameFlag.ACK) !== 0) return;
    const out = this.conn.out;
    putPingAck(out.slab, out.alloc(PING_BYTES), payload, start);
    this.conn.requestFlush();
  }

  private onGoaway(streamId: number, payload: Buffer, start: number, end: number): void {
    if (streamId !== 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'GOAWAY on a stream');
    if (end - start < 8) throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, `GOAWAY of ${end - start} octets`);
    const lastStreamId = readUint31(payload, start);
    const code = readUint32(payload, start + 4);
    const debug = payload.toString('latin1', start + 8, Math.min(end, start + 108)).replace(/[^\x20-\x7e]/g, '?');
    const conn = this.conn;
    const why = `${conn.address} sent GOAWAY (${errorCodeName(code)}${debug === '' ? '' : `: ${debug}`})`;
    // Streams above last-stream-id were never processed (§6.8): the transport re-sends them
    // once on a fresh connection (as grpc-js does); the rest may finish here.
    const unprocessed = [...conn.scheduler.active.values()].filter((s) => s.id > lastStreamId);
    conn.retire();
    conn.refuse(unprocessed, `${why} before processing the request`);
  }

  private onRstStream(streamId: number, payload: Buffer, start: number, end: number): void {
    if (end - start !== 4) throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, `RST_STREAM of ${end - start} octets`);
    if (streamId === 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'RST_STREAM on stream 0');
    const stream = this.conn.scheduler.active.get(streamId);
    if (stream === undefined) return;
    const code = readUint32(payload, start);
    if (code === ErrorCode.REFUSED_STREAM) {
      // Not processed (§8.7): re-sent once on a fresh connection; this one takes no new streams.
      this.conn.retire();
      this.conn.refuse([stream], `${this.conn.address} reset the stream with REFUSED_STREAM`);
      return;
    }
    let status: string = statusFromRstCode(code);
    // PROTOCOL-HTTP2 "Client Cancellation": a server CANCEL after our deadline is the deadline.
    if (status === 'CANCELLED' && performance.now() >= stream.deadlineMs) status = 'DEADLINE_EXCEEDED';
    const message = `${this.conn.address} reset the stream with ${errorCodeName(code)}`;
    this.conn.finish(stream, { status, message }, -1, false);
  }

  private onWindowUpdate(streamId: number, payload: Buffer, start: number, end: number): void {
    if (end - start !== 4)
      throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, `WINDOW_UPDATE of ${end - start} octets`);
    const increment = readUint31(payload, start);
    const scheduler = this.conn.scheduler;
    if (streamId === 0) {
      if (increment === 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'connection WINDOW_UPDATE of 0');
      if (scheduler.connWindow + increment > 0x7fffffff) {
        throw new H2ProtocolError(ErrorCode.FLOW_CONTROL_ERROR, 'connection send window above 2^31-1');
      }
      scheduler.addConnectionWindow(increment);
      return;
    }
    const stream = scheduler.active.get(streamId);
    if (stream === undefined) return;
    if (increment === 0) {
      this.streamError(stream, ErrorCode.PROTOCOL_ERROR, 'stream WINDOW_UPDATE of 0');
      return;
    }
    stream.sendWindow += increment;
    if (stream.sendWindow > 0x7fffffff) {
      this.streamError(stream, ErrorCode.FLOW_CONTROL_ERROR, 'stream send window above 2^31-1');
      return;
    }
    scheduler.sendData(stream);
  }
}
