/**
 * Turns a grpc-js error into a TritonError whose message says what to do next. The patterns
 * are grpc-js's and Triton's own texts (seen against Triton 2.51 in test/integration).
 */
import type { ServiceError } from '@grpc/grpc-js';
import { statusName, TritonError } from './triton-error.js';

/** What we know about the call that failed. */
export interface FailedCall {
  readonly rpc: string;
  readonly server: string;
  readonly isTls: boolean;
  readonly timeoutMs: number;
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

const GRPC_PORT_HINT = 'Triton serves gRPC on port 8001 by default; 8000 is its HTTP port';

/** A hint for the next step, from the status and the text, or undefined. */
function hintFor(call: FailedCall, status: string, details: string): string | undefined {
  const text = details.toLowerCase();
  if (status === 'DEADLINE_EXCEEDED') {
    const knob = call.rpc === 'RepositoryModelLoad' ? 'load-timeout-s' : 'request-timeout-ms'; // the input that set this deadline
    return `no reply within ${call.timeoutMs} ms; the server is stalled or overloaded (raise ${knob} if it is just slow)`;
  }
  if (status !== 'UNAVAILABLE' && status !== 'INTERNAL' && status !== 'UNKNOWN') return undefined;
  if (/ssl|tls|wrong version number|packet length too long|handshake/.test(text)) {
    return call.isTls
      ? 'the TLS handshake failed: is this port serving TLS? Use grpc://host:port (or no scheme) for a plaintext server'
      : 'the server expects TLS here: use grpcs://host:port';
  }
  if (/protocol error|http\/1|received http status|unexpected http status|content-type/.test(text)) {
    return `this port does not speak gRPC (an HTTP endpoint?). ${GRPC_PORT_HINT}`;
  }
  if (
    /econnrefused|connection refused|no connection established|failed to connect|econnreset|getaddrinfo|enotfound/.test(
      text,
    )
  ) {
    return `cannot reach Triton at ${call.server}: is it running, and is this its gRPC port? ${GRPC_PORT_HINT}`;
  }
  return undefined;
}

/** Wraps any error from a grpc-js call into a TritonError, keeping the original as `cause`. */
export function describeGrpcError(call: FailedCall, err: unknown): TritonError {
  if (!isServiceError(err)) {
    const text = err instanceof Error ? err.message : String(err);
    return new TritonError(call.rpc, call.server, 'UNKNOWN', text, undefined, { cause: err });
  }
  const status = statusName(err.code);
  const details = err.details === '' ? err.message : err.details;
  return new TritonError(call.rpc, call.server, status, details, hintFor(call, status, details), {
    cause: err,
  });
}
