/**
 * One ModelInfer call on an HTTP/2 stream: what we still have to send, what the server said
 * (`:status`, `grpc-status`, `grpc-message`), and a byte-counting parser of the gRPC message
 * framing in the DATA frames (the reply body itself is never decoded or kept). The object is
 * also the InflightRequest handed to the caller, so a request allocates nothing else.
 */
import type { InferDone, InferFailure, InflightRequest } from '../../load/infer-transport.js';
import { statusName } from '../triton-error.js';
import type { HeaderFieldSink } from './hpack-decoder.js';
import type { OutboundQueue } from './outbound-queue.js';
import type { RequestTemplate } from './request-template.js';
import { decodeGrpcMessage, GRPC_PREFIX_BYTES, parseGrpcStatus, statusFromHttpStatus } from './grpc-wire.js';

/** The connection that owns a stream. */
export interface StreamOwner {
  /** Resets the stream with CANCEL and reports CANCELLED (asynchronously). */
  cancelStream(stream: H2Stream): void;
  /** Bidirectional streams: frames `head` ‖ `tail` at once if nothing waits; false when it must be queued. */
  sendMessage(stream: H2Stream, head: Uint8Array, tail: Buffer, tailLength: number): boolean;
  /** Bidirectional streams: frames what the stream's outbound queue holds, as windows allow. */
  pushData(stream: H2Stream): void;
}

const MAX_ECHOED_CHARS = 40;

/** State of one call; fields are public for the connection and scheduler, not for callers. */
export class H2Stream implements InflightRequest, HeaderFieldSink {
  /** HTTP/2 stream id; 0 until the stream is opened. */
  id = 0;
  owner: StreamOwner | undefined;
  isFinished = false;
  /** Outbound: bytes of `template.payload` already framed, and our send window. */
  sentBytes = 0;
  sendWindow = 0;
  /** Times the stream moved to another connection before being sent (GOAWAY, ids used up). */
  moves = 0;
  /**
   * Times this call was re-sent after the server refused it unprocessed (GOAWAY above
   * last-stream-id, REFUSED_STREAM; RFC 9113 §8.7). At most 1.
   */
  retries = 0;
  /** The stream that re-sends this call; cancelling this one cancels it. */
  retry: H2Stream | undefined;
  /** True while queued for connection window (the scheduler's data queue). */
  isQueuedForData = false;
  /** Inbound: response headers seen (END_STREAM on them means Trailers-Only). */
  hasResponseHeaders = false;
  httpStatus = 0;
  grpcStatus: string | undefined;
  grpcMessage = '';
  /** Inbound DATA octets since our last stream WINDOW_UPDATE. */
  unackedBytes = 0;
  /** Complete gRPC messages received. */
  messages = 0;
  isCompressed = false;
  /** Why `onData` refused the DATA (undefined: a compressed message). */
  rejectReason: string | undefined;
  /** Bidirectional streams only: what is left to send (unary calls send `template.payload`). */
  outbound: OutboundQueue | undefined;
  protected prefixFill = 0;
  protected messageLength = 0;
  protected messageLeft = 0;

  /**
   * @param deadlineMs `performance.now()` time after which the sweep fails the call
   * (Infinity for none); `done` is called exactly once, by the owner.
   */
  constructor(
    readonly template: RequestTemplate,
    readonly timeoutMs: number,
    readonly deadlineMs: number,
    readonly done: InferDone,
  ) {}

  /** True while request bytes (or, on a bidirectional stream, the half-close) are still to be sent. */
  get hasUnsentData(): boolean {
    const outbound = this.outbound;
    if (outbound === undefined) return this.sentBytes < this.template.payload.length;
    return outbound.queuedBytes > 0 || !outbound.isEndSent;
  }

  /** InflightRequest: cancels with RST_STREAM(CANCEL); `done` gets CANCELLED. */
  cancel(): void {
    if (this.retry !== undefined) this.retry.cancel();
    else if (!this.isFinished) this.owner?.cancelStream(this);
  }

  /**
   * A fresh stream for the same call (same bytes, deadline and `done`) after the server
   * refused this one unprocessed. A new object, because the refusing connection may still
   * hold this one in its queues; the caller's handle (this object) forwards `cancel()`.
   */
  forRetry(): H2Stream {
    const next = new H2Stream(this.template, this.timeoutMs, this.deadlineMs, this.done);
    next.retries = this.retries + 1;
    this.retry = next;
    return next;
  }

  /** HPACK sink for this stream's header blocks. */
  onHeaderField(name: string, value: string): void {
    switch (name) {
      case ':status':
        this.httpStatus = Number(value);
        break;
      case 'grpc-status':
        this.grpcStatus = value;
        break;
      case 'grpc-message':
        this.grpcMessage = value;
        break;
    }
  }

  /**
   * Counts gRPC messages in DATA octets `bytes[start, end)` (boundaries need not align with
   * frames, PROTOCOL-HTTP2 "Data Frames"). Returns false on a compressed message, which we
   * cannot decode since we never offer a `grpc-accept-encoding`.
   */
  onData(bytes: Buffer, start: number, end: number): boolean {
    let pos = start;
    while (pos < end) {
      if (this.messageLeft > 0) {
        const take = Math.min(this.messageLeft, end - pos);
        this.messageLeft -= take;
        pos += take;
        if (this.messageLeft === 0) this.messages++;
        continue;
      }
      const byte = bytes[pos++] as number;
      if (this.prefixFill === 0) {
        if (byte !== 0) {
          this.isCompressed = true;
          return false;
        }
        this.messageLength = 0;
      } else {
        this.messageLength = this.messageLength * 256 + byte;
      }
      if (++this.prefixFill === GRPC_PREFIX_BYTES) {
        this.prefixFill = 0;
        this.messageLeft = this.messageLength;
        if (this.messageLength === 0) this.messages++;
      }
    }
    return true;
  }

  /** The call's result once the server ended the stream: null for OK with exactly one message. */
  outcome(address: string): InferFailure | null {
    const raw = this.grpcStatus;
    if (raw === undefined) return this.outcomeWithoutStatus(address);
    const code = parseGrpcStatus(raw);
    if (code === 0) return this.okOutcome();
    if (code < 0)
      return {
        status: 'UNKNOWN',
        message: `${address} sent an invalid grpc-status '${raw.slice(0, MAX_ECHOED_CHARS)}'`,
      };
    const message = decodeGrpcMessage(this.grpcMessage);
    return {
      status: statusName(code),
      message: message === '' ? `${address} sent grpc-status ${code} without grpc-message` : message,
    };
  }

  /** The result of a call the server ended with grpc-status 0. */
  protected okOutcome(): InferFailure | null {
    if (this.prefixFill > 0 || this.messageLeft > 0) {
      return { status: 'INTERNAL', message: 'response ended inside a gRPC message (truncated reply)' };
    }
    // Same statuses as @grpc/grpc-js for a unary call with no or several replies.
    if (this.messages === 0)
      return { status: 'UNIMPLEMENTED', message: 'No message received (grpc-status 0 without a reply)' };
    if (this.messages > 1)
      return { status: 'UNIMPLEMENTED', message: `Too many responses received (${this.messages} to a unary call)` };
    return null;
  }

  private outcomeWithoutStatus(address: string): InferFailure {
    if (this.httpStatus !== 200) {
      // http-grpc-status-mapping.md: only used when grpc-status is absent.
      return {
        status: statusFromHttpStatus(this.httpStatus),
        message: `${address} answered HTTP status ${this.httpStatus} without grpc-status (not a gRPC endpoint, or a proxy error?)`,
      };
    }
    return { status: 'UNKNOWN', message: `${address} ended the stream without grpc-status` };
  }
}
