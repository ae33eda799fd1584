// Pure helpers around the socket: address parsing, our connection preface (RFC 9113 §3.4),
// and recognising a peer that is not an HTTP/2 server. No socket is opened here.
import { describe, expect, it } from 'vitest';
import {
  describeNonHttp2Peer,
  encodeClientPreface,
  parseAddress,
  startsWithServerSettings,
} from '../../../src/triton/h2/h2-socket.js';

describe('parseAddress', () => {
  it('splits host:port and [ipv6]:port', () => {
    expect(parseAddress('127.0.0.1:8001')).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(parseAddress('triton.internal:443')).toEqual({ host: 'triton.internal', port: 443 });
    expect(parseAddress('[::1]:8001')).toEqual({ host: '::1', port: 8001 });
  });

  it('rejects missing or invalid ports and bare IPv6', () => {
    for (const bad of [
      'localhost',
      'localhost:',
      'localhost:0',
      'localhost:65536',
      '::1:8001',
      'http://h:1',
      'h:1:2',
      '',
    ]) {
      expect(() => parseAddress(bad), bad).toThrow(/expected host:port or \[ipv6\]:port/);
    }
  });
});

describe('encodeClientPreface', () => {
  it('sends the magic, SETTINGS (ENABLE_PUSH 0, INITIAL_WINDOW_SIZE) and a connection WINDOW_UPDATE', () => {
    const bytes = encodeClientPreface(1 << 30);
    expect(bytes.toString('latin1', 0, 24)).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect(bytes.toString('hex', 24)).toBe(
      '00000c040000000000' +
        '000200000000' +
        '000440000000' +
        '000004080000000000' +
        (2 ** 30 - 65_535).toString(16).padStart(8, '0'),
    );
  });

  it('omits the WINDOW_UPDATE when the window stays at the default', () => {
    expect(encodeClientPreface(65_535).length).toBe(24 + 9 + 12);
  });
});

describe('recognising the server preface', () => {
  it('accepts a SETTINGS frame on stream 0 without ACK', () => {
    expect(startsWithServerSettings(Buffer.from('000006040000000000000300000064', 'hex'))).toBe(true);
    expect(startsWithServerSettings(Buffer.from('000000040100000000', 'hex'))).toBe(false); // ACK
    expect(startsWithServerSettings(Buffer.from('000000010400000001', 'hex'))).toBe(false); // HEADERS
    expect(startsWithServerSettings(Buffer.from('0000000400', 'hex'))).toBe(false); // too short
  });

  it('explains an HTTP/1.x reply, quoting its status line', () => {
    const reply = Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n', 'latin1');
    expect(describeNonHttp2Peer('127.0.0.1:8000', reply)).toBe(
      "127.0.0.1:8000 did not speak HTTP/2: it replied 'HTTP/1.1 400 Bad Request' (an HTTP/1.x server; " +
        "is this Triton's HTTP port? Triton serves HTTP/1.1 on port 8000 and gRPC on port 8001 by default)",
    );
  });

  it('shows other bytes as hex, and neutralises control characters in a status line', () => {
    expect(describeNonHttp2Peer('h:1', Buffer.from('SSH-2.0-OpenSSH_9\r\n', 'latin1'))).toMatch(
      /first bytes \(5353482d322e302d4f70656e5353485f\) are not a SETTINGS frame/,
    );
    expect(describeNonHttp2Peer('h:1', Buffer.from('HTTP/1.0 200 \x1b[31mOK\r\n', 'latin1'))).toContain(
      "'HTTP/1.0 200 ?[31mOK'",
    );
  });
});
