/**
 * What the streaming load loop needs from a server: ModelStreamInfer, a bidirectional gRPC
 * stream carrying any number of requests, each answered by 0..n responses matched by the
 * request id Triton echoes (docs/architecture.md#measurement). Implemented over our HTTP/2
 * client (`triton/h2/h2-stream-transport.ts`) and grpc-js (`triton/grpc-stream-transport.ts`);
 * `unary-stream-transport.ts` runs unary ModelInfer calls behind the same interface (sequence
 * models that are not decoupled); tests pass fakes.
 */
import type { InferFailure } from './infer-transport.js';
import type { StreamResponseView } from './stream-response.js';

/**
 * `errorStatus` of a response whose `error_message` is set: Triton writes no status code with
 * an error inside the stream (its stream handler keeps only the message), so such errors are
 * counted under this name beside the gRPC statuses.
 */
export const IN_STREAM_ERROR = 'IN_STREAM_ERROR';

/** A response as the loop sees it: the wire fields and, on error, the status to count it under. */
export interface StreamResponse extends StreamResponseView {
  /** `IN_STREAM_ERROR` for an `error_message` on a stream, the gRPC status for a unary failure; '' on success. */
  errorStatus: string;
}

/** Callbacks of one stream; never called from inside a method of the stream or transport. */
export interface StreamHandlers {
  /** One response; `response` is valid only during the call (the transport reuses it). */
  onResponse(response: StreamResponse): void;
  /**
   * The stream is over, exactly once: `null` when the server ended it with OK (after our
   * half-close), else why (its gRPC status, a reset, a lost connection, a malformed message,
   * CANCELLED after `cancel()`). Requests without their final response then never get one.
   */
  onEnd(failure: InferFailure | null): void;
}

/** One open ModelStreamInfer call. */
export interface InferStream {
  /**
   * Sends one ModelInferRequest: `head` (the cell's pre-encoded request; it must not change
   * while the stream may still be sending it) followed by `tail[0, tailLength)` (copied before
   * `write` returns, so the caller reuses its buffer). `requestId` is the id the bytes carry.
   */
  write(requestId: number, head: Uint8Array, tail: Buffer, tailLength: number): void;
  /** Half-close: no more requests; the server ends the stream once every request is answered. */
  end(): void;
  /** Resets the stream; `onEnd` gets CANCELLED unless the stream already ended. */
  cancel(): void;
}

/** Opens streams; connections are the transport's business. */
export interface StreamTransport {
  openStream(handlers: StreamHandlers): InferStream;
}
