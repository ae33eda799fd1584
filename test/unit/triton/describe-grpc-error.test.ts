// describeGrpcError, table-driven over grpc-js ServiceError shapes (code + details, as grpc-js
// builds them: message `${code} ${NAME}: ${details}`): status names, Triton's text passed
// through, and the next-step hints for refused connections, TLS mismatches, non-gRPC ports and
// deadlines.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { describeGrpcError, type FailedCall } from '../../../src/triton/describe-grpc-error.js';
import { statusName, TritonError } from '../../../src/triton/triton-error.js';

const SERVER = '10.0.0.5:8000';
const call = (init: Partial<FailedCall> = {}): FailedCall => ({
  rpc: 'ServerLive',
  server: SERVER,
  isTls: false,
  timeoutMs: 3000,
  ...init,
});

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

const PORT_HINT = 'Triton serves gRPC on port 8001 by default; 8000 is its HTTP port';

describe('describeGrpcError: hints', () => {
  it.each<[string, status, string, boolean, string]>([
    [
      'connection refused',
      status.UNAVAILABLE,
      'No connection established. Last error: connect ECONNREFUSED 10.0.0.5:8000',
      false,
      `cannot reach Triton at ${SERVER}: is it running, and is this its gRPC port? ${PORT_HINT}`,
    ],
    [
      'DNS failure',
      status.UNAVAILABLE,
      'Name resolution failed for target dns:nowhere:8001: getaddrinfo ENOTFOUND nowhere',
      false,
      `cannot reach Triton at ${SERVER}: is it running, and is this its gRPC port? ${PORT_HINT}`,
    ],
    [
      'TLS to a plaintext port',
      status.UNAVAILABLE,
      'No connection established. Last error: 80D8DBE7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
      true,
      'the TLS handshake failed: is this port serving TLS? Use grpc://host:port (or no scheme) for a plaintext server',
    ],
    [
      'plaintext to a TLS port',
      status.UNAVAILABLE,
      'Connection dropped: packet length too long',
      false,
      'the server expects TLS here: use grpcs://host:port',
    ],
    [
      'an HTTP/1 port',
      status.INTERNAL,
      'Received RST_STREAM with code 1 (Protocol error)',
      false,
      `this port does not speak gRPC (an HTTP endpoint?). ${PORT_HINT}`,
    ],
    [
      'an HTTP status',
      status.UNKNOWN,
      'Received HTTP status code 404',
      false,
      `this port does not speak gRPC (an HTTP endpoint?). ${PORT_HINT}`,
    ],
    [
      'a wrong content-type',
      status.UNKNOWN,
      'Received invalid content-type header: text/html',
      false,
      `this port does not speak gRPC (an HTTP endpoint?). ${PORT_HINT}`,
    ],
  ])('%s', (_, code, details, isTls, hint) => {
    const err = describeGrpcError(call({ isTls }), serviceError(code, details));
    expect(err).toBeInstanceOf(TritonError);
    expect(err.status).toBe(statusName(code));
    expect(err.details).toBe(details);
    expect(err.hint).toBe(hint);
    expect(err.message).toBe(`ServerLive on ${SERVER} failed with ${statusName(code)}: ${details}. ${hint}`);
  });

  it('names the deadline that passed for DEADLINE_EXCEEDED', () => {
    const err = describeGrpcError(
      call({ rpc: 'ModelInfer', timeoutMs: 500 }),
      serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded after 0.501s'),
    );
    expect(err.status).toBe('DEADLINE_EXCEEDED');
    expect(err.hint).toBe(
      'no reply within 500 ms; the server is stalled or overloaded (raise request-timeout-ms if it is just slow)',
    );
    expect(err.message).toMatch(
      /^ModelInfer on 10\.0\.0\.5:8000 failed with DEADLINE_EXCEEDED: Deadline exceeded after 0\.501s\. no reply within 500 ms/,
    );
  });

  it('names load-timeout-s, the input that sets its deadline, for a load that did not return', () => {
    const err = describeGrpcError(
      call({ rpc: 'RepositoryModelLoad', timeoutMs: 300_000 }),
      serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded after 300.001s'),
    );
    expect(err.hint).toBe(
      'no reply within 300000 ms; the server is stalled or overloaded (raise load-timeout-s if it is just slow)',
    );
  });
});

describe('describeGrpcError: Triton errors pass through without a hint', () => {
  it.each<[status, string]>([
    [status.INVALID_ARGUMENT, "unexpected shape for input 'input' for model 'demo_onnx'. Expected [-1,64], got [1,63]"],
    [status.NOT_FOUND, "Request for unknown model: 'nope' is not found"],
    [status.UNAVAILABLE, "Request for unknown model: 'demo' has no available versions"],
    [status.RESOURCE_EXHAUSTED, 'Exceeds maximum queue size'],
    [status.INTERNAL, 'Python model crashed'],
    [status.UNIMPLEMENTED, "'repository_name' specification is not supported"],
  ])('%s: %s', (code, details) => {
    const err = describeGrpcError(call({ rpc: 'ModelInfer' }), serviceError(code, details));
    expect(err.status).toBe(statusName(code));
    expect(err.details).toBe(details);
    expect(err.hint).toBeUndefined();
    expect(err.message).toBe(`ModelInfer on ${SERVER} failed with ${statusName(code)}: ${details}`);
  });

  it('keeps the original error as cause and names rpc and server', () => {
    const original = serviceError(status.INVALID_ARGUMENT, 'bad');
    const err = describeGrpcError(call({ rpc: 'RepositoryModelLoad' }), original);
    expect(err.cause).toBe(original);
    expect(err).toMatchObject({ name: 'TritonError', rpc: 'RepositoryModelLoad', server: SERVER });
  });

  it('falls back to the message when details are empty', () => {
    const err = describeGrpcError(call(), serviceError(status.CANCELLED, ''));
    expect(err.details).toBe('1 CANCELLED: ');
  });

  it('maps codes outside 0..16 to UNKNOWN', () => {
    const odd = Object.assign(new Error('42 odd'), { code: 42, details: 'odd', metadata: new Metadata() });
    expect(describeGrpcError(call(), odd).status).toBe('UNKNOWN');
  });
});

describe('describeGrpcError: values that are not ServiceErrors', () => {
  it.each<[string, unknown, string]>([
    ['a plain Error', new Error('socket hang up'), 'socket hang up'],
    ['an Error with a string code', Object.assign(new Error('ECONNRESET'), { code: 'ECONNRESET' }), 'ECONNRESET'],
    ['a string', 'weird', 'weird'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
  ])('%s becomes UNKNOWN with its text and no hint', (_, value, details) => {
    const err = describeGrpcError(call(), value);
    expect(err).toBeInstanceOf(TritonError);
    expect(err).toMatchObject({ status: 'UNKNOWN', details });
    expect(err.hint).toBeUndefined();
    expect(err.cause).toBe(value);
  });
});
