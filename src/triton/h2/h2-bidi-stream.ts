/**
 * One ModelStreamInfer call on an HTTP/2 stream (docs/architecture.md#measurement): requests go
 * out as gRPC messages on the same stream for as long as the caller writes (framed straight
 * into the connection's output when nothing waits, else queued), responses come back as
 * messages, each read in place (`load/stream-response.ts`) and handed to the caller while the
 * socket read is still on the stack, so the caller's next write joins the same flush. Only a
 * message split over DATA frames or socket reads is copied, to put it together.
 */
import type { InferFailure } from '../../load/infer-transport.js';
import { createStreamResponseView, readStreamResponse } from '../../load/stream-response.js';
import {
  IN_STREAM_ERROR,
  type InferStream,
  type StreamHandlers,
  type StreamResponse,
} from '../../load/stream-transport.js';
import { GRPC_PREFIX_BYTES } from './grpc-wire.js';
import { H2Stream } from './h2-stream.js';
import { OutboundQueue } from './outbound-queue.js';
import type { RequestTemplate } from './request-template.js';

/** A bidirectional call; `template` carries the header block and an empty payload. */
export class H2BidiStream extends H2Stream implements InferStream {
  private readonly response: StreamResponse = { ...createStreamResponseView(), errorStatus: '' };
  /** A message arriving in pieces, and how much of it is here. */
  private assembly: Buffer | undefined;
  private assemblyFill = 0;

  constructor(
    template: RequestTemplate,
    private readonly handlers: StreamHandlers,
  ) {
    // No deadline: a stream lives as long as its trial; the load loop times each request itself.
    super(template, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, (failure) => {
      handlers.onEnd(failure);
    });
    this.outbound = new OutboundQueue();
  }

  /** InferStream: one request message; ignored once the stream ended or was half-closed. */
  write(_requestId: number, head: Uint8Array, tail: Buffer, tailLength: number): void {
    const outbound = this.outbound as OutboundQueue;
    if (this.isFinished || outbound.isEndQueued) return;
    const owner = this.owner;
    if (owner?.sendMessage(this, head, tail, tailLength) === true) return;
    outbound.pushMessage(head, tail, tailLength);
    owner?.pushData(this);
  }

  /** InferStream: half-close (END_STREAM after what is queued). */
  end(): void {
    const outbound = this.outbound as OutboundQueue;
    if (this.isFinished || outbound.isEndQueued) return;
    outbound.isEndQueued = true;
    this.owner?.pushData(this);
  }

  /** Ends a stream that never reached a connection: `onEnd(failure)` on a later turn. */
  failLater(failure: InferFailure): void {
    this.isFinished = true;
    setImmediate(this.done, failure);
  }

  /** Splits DATA octets into gRPC messages and delivers each; false on a compressed or malformed one. */
  override onData(bytes: Buffer, start: number, end: number): boolean {
    let pos = start;
    while (pos < end && !this.isFinished) {
      if (this.messageLeft > 0) {
        const take = Math.min(this.messageLeft, end - pos);
        this.messageLeft -= take;
        if (this.assembly === undefined && this.messageLeft === 0) {
          // The whole message is in this chunk: read it where it lies.
          if (!this.deliver(bytes, pos, pos + take)) return false;
        } else {
          this.assembly ??= Buffer.allocUnsafe(this.messageLength);
          bytes.copy(this.assembly, this.assemblyFill, pos, pos + take);
          this.assemblyFill += take;
          if (this.messageLeft === 0) {
            const message = this.assembly;
            this.assembly = undefined;
            this.assemblyFill = 0;
            if (!this.deliver(message, 0, message.length)) return false;
          }
        }
        pos += take;
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
        if (this.messageLength === 0 && !this.deliver(bytes, pos, pos)) return false;
      }
    }
    return true;
  }

  /** grpc-status 0 ends a stream normally whatever the number of messages, unless one was cut. */
  protected override okOutcome(): InferFailure | null {
    if (this.prefixFill > 0 || this.messageLeft > 0) {
      return { status: 'INTERNAL', message: 'stream ended inside a gRPC message (truncated response)' };
    }
    return null;
  }

  private deliver(bytes: Buffer, start: number, end: number): boolean {
    this.messages++;
    const response = this.response;
    if (!readStreamResponse(bytes, start, end, response)) {
      this.rejectReason = 'malformed ModelStreamInferResponse (is this a Triton ModelStreamInfer endpoint?)';
      return false;
    }
    response.errorStatus = response.error === '' ? '' : IN_STREAM_ERROR;
    this.handlers.onResponse(response);
    return true;
  }
}
