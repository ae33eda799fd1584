/**
 * Parsers for how Triton is reached: `server-url` (a gRPC target, not an HTTP URL) and
 * `server-headers` (gRPC metadata whose values are secrets: no message ever quotes them).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { type Parsed, type Parser, fail, ok } from './parse-values.js';

/** A parsed `server-url`: the grpc-js target and whether to use TLS. */
export interface ServerTarget {
  /** `host:port` (`[v6]:port` for IPv6), as grpc-js expects it. */
  readonly address: string;
  readonly isTls: boolean;
}

const URL_EXPECTED = "host:port, grpc://host:port or grpcs://host:port (e.g. '127.0.0.1:8001')";
const failUrl = (hint: string): Parsed<never> => fail({ expected: URL_EXPECTED, hint });
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;
/** DNS labels, plus `_`: Docker Compose service names (`triton_server`) resolve with it. */
const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/i;

/**
 * `host:port`, `grpc://host:port`, `grpcs://host:port` or `[::1]:8001`; the port is required
 * (1..65535). HTTP URLs are refused: they point at Triton's HTTP endpoint (8000), not gRPC (8001).
 */
export const serverUrl: Parser<ServerTarget> = (value) => {
  const scheme = SCHEME.exec(value);
  const schemeName = scheme?.[1]?.toLowerCase();
  const authority = scheme ? (scheme[2] ?? '') : value;
  if (schemeName === 'http' || schemeName === 'https') {
    return failUrl("Triton's gRPC port is 8001 (HTTP is 8000); use 'grpc://host:8001'");
  }
  if (schemeName !== undefined && schemeName !== 'grpc' && schemeName !== 'grpcs') {
    return failUrl(`scheme '${schemeName}' is not supported`);
  }
  const target = parseAuthority(authority);
  return target.ok ? ok({ address: target.value, isTls: schemeName === 'grpcs' }) : target;
};

function parseAuthority(authority: string): Parsed<string> {
  if (/[/?#]/.test(authority)) {
    return failUrl('remove the path or query: a gRPC target is only host:port');
  }
  if (authority.includes('@')) return failUrl('credentials belong in server-headers');
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(authority);
  if (bracketed) {
    if (!isIPv6(bracketed[1] ?? '')) return failUrl('the bracketed host is not an IPv6 address');
    return withPort(authority.slice(0, authority.indexOf(']') + 1), bracketed[2]);
  }
  const parts = authority.split(':');
  if (parts.length > 2) return failUrl("write an IPv6 address in brackets: '[::1]:8001'");
  const [host = '', port] = parts;
  if (!HOSTNAME.test(host) && !isIPv4(host)) {
    return failUrl(`'${host}' is not a host name or IP address`);
  }
  return withPort(host, port);
}

function withPort(host: string, port: string | undefined): Parsed<string> {
  if (port === undefined || port === '') {
    return failUrl("add the port: Triton's gRPC port is 8001 by default");
  }
  const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
  if (number < 1 || number > 65_535) return failUrl(`port '${port}' is not 1..65535`);
  return ok(`${host}:${number}`);
}

const HEADERS_EXPECTED =
  "'key: value' entries separated by newlines or commas, keys lowercase [a-z0-9-_.] not starting with 'grpc-'";
const METADATA_KEY = /^[a-z0-9_.-]+$/;
/** gRPC ASCII metadata values are printable ASCII (gRPC over HTTP/2 spec, Custom-Metadata). */
const METADATA_VALUE = /^[\x20-\x7e]+$/;

/**
 * `server-headers`: `key: value` entries, one per line, or comma-separated when on one line
 * (values may then not contain commas). Blank entries are skipped. Hints name entries by their
 * position only, never by their text, because the text may hold a token.
 */
export const serverHeaders: Parser<Readonly<Record<string, string>>> = (value) => {
  const entries = (value.includes('\n') ? value.split(/\r?\n/) : value.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const headers: Record<string, string> = {};
  for (const [index, entry] of entries.entries()) {
    const problem = headerProblem(entry, headers);
    if (problem !== undefined) {
      return fail({ expected: HEADERS_EXPECTED, hint: `entry ${index + 1} ${problem}` });
    }
    const colon = entry.indexOf(':');
    headers[entry.slice(0, colon).trim()] = entry.slice(colon + 1).trim();
  }
  if (entries.length === 0) return fail({ expected: HEADERS_EXPECTED, hint: 'no entries' });
  return ok(headers);
};

/** Why one header entry is refused, or `undefined`; phrased to follow "entry N". */
function headerProblem(entry: string, seen: Readonly<Record<string, string>>): string | undefined {
  const colon = entry.indexOf(':');
  if (colon < 0) return "has no ':'";
  const key = entry.slice(0, colon).trim();
  const headerValue = entry.slice(colon + 1).trim();
  if (key === '') return 'has an empty key';
  const lowerKey = key.toLowerCase();
  if (lowerKey !== key && METADATA_KEY.test(lowerKey)) return 'has a key with uppercase letters';
  if (!METADATA_KEY.test(key)) return 'has a key with characters outside [a-z0-9-_.]';
  if (key.startsWith('grpc-')) return "has a key starting with 'grpc-' (reserved by gRPC)";
  if (key.endsWith('-bin')) return "has a binary ('-bin') key, which is not supported";
  if (Object.hasOwn(seen, key)) return 'repeats an earlier key';
  if (headerValue === '') return 'has an empty value';
  if (!METADATA_VALUE.test(headerValue)) {
    return 'has a value with characters outside printable ASCII';
  }
  return undefined;
}
