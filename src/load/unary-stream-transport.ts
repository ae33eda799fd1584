/**
 * Unary ModelInfer calls behind the StreamTransport interface, so the streaming loop also runs
 * sequence models that are not decoupled over plain ModelInfer, as perf_analyzer does without
 * `--streaming` (docs/architecture.md#measurement). Each `write` is one call whose reply is the
 * request's one, final, non-empty response; a failed call is a final response with the call's
 * gRPC status. Per request it concatenates the head and tail (one allocation): the unary
 * transport needs the whole message as one buffer.
 */
import type { InferFailure, InferTransport, InflightRequest } from './infer-transport.js';
import type { InferStream, StreamHandlers, StreamResponse, StreamTransport } from './stream-transport.js';

const CANCELLED: InferFailure = { status: 'CANCELLED', message: 'cancelled by the client' };

/** Wraps `transport`; every call gets the deadline `timeoutMs`. */
export function createUnaryStreamTransport(transport: InferTransport, timeoutMs: number): StreamTransport {
  return {
    openStream(handlers) {
      return new UnaryStream(transport, timeoutMs, handlers);
    },
  };
}

class UnaryStream implements InferStream {
  private readonly inflight = new Map<number, InflightRequest>();
  private readonly response: StreamResponse = { requestId: -1, error: '', final: 1, outputs: 1, errorStatus: '' };
  private isEnding = false;
  private isOver = false;

  constructor(
    private readonly transport: InferTransport,
    private readonly timeoutMs: number,
    private readonly handlers: StreamHandlers,
  ) {}

  write(requestId: number, head: Uint8Array, tail: Buffer, tailLength: number): void {
    if (this.isOver || this.isEnding) {
      throw new Error(`unary stream: write after ${this.isOver ? 'the end' : 'end()'} (a bug in the caller)`);
    }
    const bytes = Buffer.allocUnsafe(head.length + tailLength);
    bytes.set(head, 0);
    tail.copy(bytes, head.length, 0, tailLength);
    const call = this.transport.send(bytes, this.timeoutMs, (failure) => {
      this.onDone(requestId, failure);
    });
    this.inflight.set(requestId, call);
  }

  end(): void {
    this.isEnding = true;
    if (this.inflight.size === 0) this.close(null);
  }

  cancel(): void {
    if (this.isOver) return;
    // Settled first, so the replies of the cancelled calls are not reported as responses.
    const calls = [...this.inflight.values()];
    this.close(CANCELLED);
    for (const call of calls) call.cancel();
  }

  private onDone(requestId: number, failure: InferFailure | null): void {
    if (this.isOver || !this.inflight.delete(requestId)) return;
    const response = this.response;
    response.requestId = requestId;
    response.errorStatus = failure === null ? '' : failure.status;
    response.error = failure === null ? '' : failure.message;
    response.outputs = failure === null ? 1 : 0;
    this.handlers.onResponse(response);
    if (this.isEnding && this.inflight.size === 0) this.close(null);
  }

  /** Ends the stream once; `onEnd` runs on a later turn (never inside a caller's call). */
  private close(failure: InferFailure | null): void {
    if (this.isOver) return;
    this.isOver = true;
    this.inflight.clear();
    setImmediate(() => {
      this.handlers.onEnd(failure);
    });
  }
}
