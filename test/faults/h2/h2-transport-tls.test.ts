/**
 * The H2 transport over TLS against a local node:http2 secure server (ALPN h2) with a
 * self-signed certificate made at test time by openssl (no key is committed): calls succeed
 * when the certificate is trusted, fail with UNAVAILABLE naming the certificate problem when
 * it is not, and fail clearly when the server does not offer h2.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http2 from 'node:http2';
import type * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../../src/load/closed-loop.js';
import type { InferFailure } from '../../../src/load/infer-transport.js';
import { createH2InferTransport, type H2InferTransport } from '../../../src/triton/h2/h2-infer-transport.js';
import { within } from './handle-tracker.js';
import { replyWith } from './grpc-h2-server.js';

const REQUEST = Buffer.from('tls-request');
let dir: string;
let cert: string;
let key: string;
const closers: (() => void)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttg-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
});

afterAll(() => {
  for (const close of closers.splice(0)) close();
  rmSync(dir, { recursive: true, force: true });
});

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.close();
  });
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function echoServer(): Promise<string> {
  const server = http2.createSecureServer({ cert, key, allowHTTP1: false });
  const sessions: http2.ServerHttp2Session[] = [];
  server.on('session', (session) => sessions.push(session));
  server.on('stream', (stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      replyWith(stream, Buffer.concat(chunks));
    });
  });
  closers.push(() => {
    for (const session of sessions) session.destroy();
  });
  return listen(server);
}

function open(address: string, ca?: string): H2InferTransport {
  const transport = createH2InferTransport({
    address,
    isTls: true,
    headers: {},
    connections: 1,
    ...(ca === undefined ? {} : { ca }),
  });
  closers.push(() => {
    transport.close();
  });
  return transport;
}

function call(transport: H2InferTransport): Promise<InferFailure | null> {
  return within(
    new Promise((resolve) => {
      transport.send(REQUEST, 5_000, resolve);
    }),
    10_000,
    'call',
  );
}

describe('H2 transport over TLS', () => {
  it('runs a closed loop over TLS with ALPN h2 when the certificate is trusted', async () => {
    const transport = open(await echoServer(), cert);
    const result = await within(
      runClosedLoop(transport, { users: 4, requests: 40, request: REQUEST, timeoutMs: 5_000 }),
      15_000,
      'tls loop',
    );
    expect(result).toMatchObject({ sent: 40, ok: 40, failed: 0 });
  });

  it('fails with UNAVAILABLE naming the certificate problem when it is not trusted', async () => {
    const failure = await call(open(await echoServer()));
    expect(failure?.status).toBe('UNAVAILABLE');
    expect(failure?.message).toMatch(/self[- ]signed certificate/i);
  });

  it('fails with UNAVAILABLE when the TLS server does not negotiate h2', async () => {
    const server = tls.createServer({ cert, key, ALPNProtocols: ['http/1.1'] }, (socket) => {
      socket.on('error', () => undefined);
    });
    const failure = await call(open(await listen(server), cert));
    expect(failure?.status).toBe('UNAVAILABLE');
    // The server ends the handshake with TLS alert 120 (no_application_protocol, RFC 7301).
    expect(failure?.message).toMatch(/^connecting to 127\.0\.0\.1:\d+ failed: .*no application protocol/);
  });
});
