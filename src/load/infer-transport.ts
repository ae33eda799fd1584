/**
 * The one thing the load generator needs from a server: send pre-encoded ModelInfer bytes and
 * say how it went. Implemented over gRPC by `triton/grpc-infer-transport.ts`; tests pass fakes.
 */

/** Why a request failed: the gRPC status name and the server's (untrusted) text. */
export interface InferFailure {
  /** gRPC status name, e.g. `UNAVAILABLE`, `DEADLINE_EXCEEDED`, `RESOURCE_EXHAUSTED`. */
  readonly status: string;
  readonly message: string;
}

/** Called exactly once per request: `null` on success. */
export type InferDone = (failure: InferFailure | null) => void;

/** A request in flight. */
export interface InflightRequest {
  /** Cancels the request; `done` is still called once (with `CANCELLED`). */
  cancel(): void;
}

/**
 * Sends already-encoded ModelInferRequest bytes; no per-request serialisation (docs/architecture.md#measurement).
 * `done` must be called asynchronously (never from inside `send`), as gRPC does.
 */
export interface InferTransport {
  send(request: Uint8Array, timeoutMs: number, done: InferDone): InflightRequest;
}
