// One call's bookkeeping: gRPC message framing counted across arbitrary DATA slices, and the
// outcome rules (grpc-status wins; otherwise the HTTP status mapping; unary needs 1 message).
import { describe, expect, it } from 'vitest';
import { H2Stream } from '../../../src/triton/h2/h2-stream.js';
import { RequestEncoder } from '../../../src/triton/h2/request-template.js';

const ADDRESS = '127.0.0.1:8001';
const template = new RequestEncoder({ scheme: 'http', authority: ADDRESS, path: '/p', headers: {} }).templateFor(
  Uint8Array.of(1),
  1000,
);
const newStream = (): H2Stream => new H2Stream(template, 1000, 1000, () => undefined);

function message(body: Buffer, flag = 0): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out[0] = flag;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

function feed(stream: H2Stream, bytes: Buffer, sliceBytes: number): boolean {
  for (let i = 0; i < bytes.length; i += sliceBytes) {
    if (!stream.onData(bytes, i, Math.min(bytes.length, i + sliceBytes))) return false;
  }
  return true;
}

function finished(fields: Record<string, string>, body?: Buffer): H2Stream {
  const stream = newStream();
  for (const [name, value] of Object.entries(fields)) stream.onHeaderField(name, value);
  if (body !== undefined) feed(stream, body, body.length);
  return stream;
}

describe('H2Stream message framing', () => {
  it('counts messages whatever the slice boundaries', () => {
    const bytes = Buffer.concat([message(Buffer.alloc(300, 7)), message(Buffer.alloc(0)), message(Buffer.from('x'))]);
    for (const sliceBytes of [1, 2, 4, 5, 6, 299, 305, bytes.length]) {
      const stream = newStream();
      expect(feed(stream, bytes, sliceBytes)).toBe(true);
      expect(stream.messages, `slices of ${sliceBytes}`).toBe(3);
    }
  });

  it('reports a compressed message', () => {
    const stream = newStream();
    expect(feed(stream, message(Buffer.from('zz'), 1), 3)).toBe(false);
    expect(stream.isCompressed).toBe(true);
  });
});

describe('H2Stream.outcome', () => {
  const ok = message(Buffer.from('reply'));

  it('is OK for grpc-status 0 with exactly one complete message', () => {
    expect(finished({ ':status': '200', 'grpc-status': '0' }, ok).outcome(ADDRESS)).toBeNull();
  });

  it('fails a unary call with no, several, or a truncated message', () => {
    expect(finished({ ':status': '200', 'grpc-status': '0' }).outcome(ADDRESS)).toMatchObject({
      status: 'UNIMPLEMENTED',
      message: expect.stringMatching(/No message received/) as unknown,
    });
    expect(finished({ 'grpc-status': '0' }, Buffer.concat([ok, ok])).outcome(ADDRESS)).toMatchObject({
      status: 'UNIMPLEMENTED',
      message: expect.stringMatching(/Too many responses/) as unknown,
    });
    expect(finished({ 'grpc-status': '0' }, ok.subarray(0, 7)).outcome(ADDRESS)).toMatchObject({ status: 'INTERNAL' });
    expect(finished({ 'grpc-status': '0' }, ok.subarray(0, 3)).outcome(ADDRESS)).toMatchObject({ status: 'INTERNAL' });
  });

  it('names the status and percent-decodes grpc-message', () => {
    const stream = finished({ ':status': '200', 'grpc-status': '3', 'grpc-message': 'bad%20input%3A%20%E2%82%AC' });
    expect(stream.outcome(ADDRESS)).toEqual({ status: 'INVALID_ARGUMENT', message: 'bad input: €' });
    expect(finished({ 'grpc-status': '14' }).outcome(ADDRESS)).toEqual({
      status: 'UNAVAILABLE',
      message: `${ADDRESS} sent grpc-status 14 without grpc-message`,
    });
    expect(finished({ 'grpc-status': '99', 'grpc-message': 'x' }).outcome(ADDRESS)).toEqual({
      status: 'UNKNOWN',
      message: 'x',
    });
  });

  it('uses grpc-status even when the HTTP status is not 200', () => {
    expect(finished({ ':status': '503', 'grpc-status': '8', 'grpc-message': 'busy' }).outcome(ADDRESS)).toEqual({
      status: 'RESOURCE_EXHAUSTED',
      message: 'busy',
    });
  });

  it('maps the HTTP status when grpc-status is missing', () => {
    expect(finished({ ':status': '404' }).outcome(ADDRESS)).toMatchObject({
      status: 'UNIMPLEMENTED',
      message: expect.stringContaining('HTTP status 404') as unknown,
    });
    expect(finished({ ':status': '503' }).outcome(ADDRESS)).toMatchObject({ status: 'UNAVAILABLE' });
    expect(finished({ ':status': '200' }, ok).outcome(ADDRESS)).toEqual({
      status: 'UNKNOWN',
      message: `${ADDRESS} ended the stream without grpc-status`,
    });
  });

  it('rejects a malformed grpc-status without echoing much of it', () => {
    const outcome = finished({ 'grpc-status': `0${'x'.repeat(100)}` }).outcome(ADDRESS);
    expect(outcome?.status).toBe('UNKNOWN');
    expect(outcome?.message.length).toBeLessThan(100);
  });
});

describe('H2Stream.cancel', () => {
  it('asks its owner once and is a no-op after finishing', () => {
    const stream = newStream();
    const cancelled: H2Stream[] = [];
    stream.owner = {
      cancelStream: (s) => {
        cancelled.push(s);
      },
      sendMessage: () => false,
      pushData: () => undefined,
    };
    stream.cancel();
    stream.isFinished = true;
    stream.cancel();
    expect(cancelled).toEqual([stream]);
  });
});
