/**
 * The one redactor (docs/reliability.md, "Secrets"): every string the run prints, stores or
 * publishes passes through it, and so does every echo of user input (config errors, logs, the
 * job summary, `::error::` lines). It masks each secret value and each of its parts: a header
 * value, the token after an auth scheme (`Bearer <token>`), and their base64, base64url and
 * URL-encoded forms, since a server or gateway may echo any of them in its error text. It also
 * masks the userinfo of any URL (`grpc://user:SECRET@host` → `grpc://***@host`), whatever the
 * input it came in. The runner's own masking covers only the exact registered string.
 */

import type { Logger } from './logger.js';

/** What a masked secret reads as (docs/errors.md promises `***`). */
export const REDACTED = '***';

/** Shorter parts are not masked: masking `a` or `ab` would shred every message. */
const MIN_PART_CHARS = 6;

/** Replaces every secret part in text with `***`. */
export type Redact = (text: string) => string;

/** Masks nothing (no secrets configured). */
export const NO_REDACTION: Redact = (text) => text;

/** The parts of one secret value that may appear in text on their own. */
export function secretPartsOf(value: string): string[] {
  const base = new Set<string>();
  const trimmed = value.trim();
  base.add(trimmed);
  const scheme = /^(?:bearer|basic|token|apikey|api-key)\s+(.+)$/i.exec(trimmed);
  if (scheme?.[1] !== undefined) base.add(scheme[1].trim());
  const parts = new Set<string>();
  for (const part of base) {
    parts.add(part);
    parts.add(Buffer.from(part, 'utf8').toString('base64'));
    parts.add(Buffer.from(part, 'utf8').toString('base64').replace(/=+$/, ''));
    parts.add(Buffer.from(part, 'utf8').toString('base64url'));
    parts.add(encodeURIComponent(part));
    parts.add(JSON.stringify(part).slice(1, -1));
  }
  return [...parts].filter((part) => part.length >= MIN_PART_CHARS);
}

/** `scheme://<userinfo>@`: everything between `//` and `@` that is no path, no space, no quote. */
const SCHEME_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"`]+@/gi;
/** `user:password@host` without a scheme (a gRPC target as users type it). */
const BARE_USERINFO = /(^|[\s'"`(=])[^\s/@'"`:(=]+:[^\s/@'"`]+@(?=[a-z0-9[])/gi;

/** Pure: `text` with the userinfo of every URL (and of a bare `user:password@host`) as `***`. */
export function redactUserinfo(text: string): string {
  return text.replace(SCHEME_USERINFO, `$1${REDACTED}@`).replace(BARE_USERINFO, `$1${REDACTED}@`);
}

/** The secret parts of URL userinfo in `value` (`user:password` and the password), for masking. */
export function userinfoSecretsOf(value: string): string[] {
  const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^\s/@]+)@/i.exec(value.trim());
  const userinfo = match?.[1];
  if (userinfo === undefined) return [];
  const colon = userinfo.indexOf(':');
  return colon < 0 ? [userinfo] : [userinfo, userinfo.slice(colon + 1)];
}

/**
 * A redactor for `secrets` (header values, tokens; longest parts are replaced first) and for
 * URL userinfo in any text.
 */
export function createRedactor(secrets: readonly string[]): Redact {
  const parts = [...new Set(secrets.flatMap(secretPartsOf))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = redactUserinfo(text);
    for (const part of parts) out = out.split(part).join(REDACTED);
    return out;
  };
}

/** Secret values of the `server-headers` (every header value is treated as a secret). */
export function headerSecrets(headers: Readonly<Record<string, string>> | undefined): string[] {
  return Object.values(headers ?? {});
}

/** A copy of a JSON-like value with every string redacted (plain objects and arrays only). */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (redact === NO_REDACTION) return value;
  return walk(value, redact) as T;
}

function walk(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, redact));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, redact)]));
  }
  return value;
}

/** `log` with every line redacted. */
export function redactingLogger(log: Logger, redact: Redact): Logger {
  if (redact === NO_REDACTION) return log;
  return {
    info: (message) => {
      log.info(redact(message));
    },
    warn: (message) => {
      log.warn(redact(message));
    },
    debug: (message) => {
      log.debug?.(redact(message));
    },
  };
}
