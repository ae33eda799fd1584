/**
 * The one error type of `triton/`: which RPC failed on which server, with the gRPC status name
 * and Triton's text (passed through), plus a hint for the next step when we know one.
 */

/** gRPC status names (grpc/grpc doc/statuscodes.md), plus `TIMEOUT` for our own waits. */
export type GrpcStatusName =
  | 'OK'
  | 'CANCELLED'
  | 'UNKNOWN'
  | 'INVALID_ARGUMENT'
  | 'DEADLINE_EXCEEDED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'OUT_OF_RANGE'
  | 'UNIMPLEMENTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DATA_LOSS'
  | 'UNAUTHENTICATED'
  | 'TIMEOUT';

const STATUS_NAMES: readonly GrpcStatusName[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** Name of a numeric gRPC status code; `UNKNOWN` for codes outside the standard 0..16. */
export function statusName(code: number): GrpcStatusName {
  return STATUS_NAMES[code] ?? 'UNKNOWN';
}

/** A failed call to Triton. `details` is the server's text (untrusted: escape before markdown). */
export class TritonError extends Error {
  override readonly name = 'TritonError';

  constructor(
    readonly rpc: string,
    readonly server: string,
    readonly status: GrpcStatusName,
    readonly details: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(`${rpc} on ${server} failed with ${status}: ${details}${hint === undefined ? '' : `. ${hint}`}`, options);
  }
}
