// The one redactor: each secret, its token after an auth scheme, and their encodings become ***.
import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  NO_REDACTION,
  redactDeep,
  secretPartsOf,
  userinfoSecretsOf,
} from '../../src/redact-secrets.js';

const TOKEN = 'abc123-SECRET-token';

describe('createRedactor', () => {
  const redact = createRedactor([`Bearer ${TOKEN}`]);

  it('masks the whole value, the token alone, and base64, base64url and URL-encoded forms', () => {
    const b64 = Buffer.from(TOKEN).toString('base64');
    const text = `got 'Bearer ${TOKEN}'; token ${TOKEN}; b64 ${b64}; url ${encodeURIComponent(`Bearer ${TOKEN}`)}`;
    const masked = redact(text);
    expect(masked).toBe("got '***'; token ***; b64 ***; url ***");
  });

  it('leaves text without secrets as it is, and short parts unmasked', () => {
    expect(redact('nothing to see')).toBe('nothing to see');
    expect(secretPartsOf('ab')).toEqual([]);
    expect(NO_REDACTION('grpc://u:p@h:1')).toBe('grpc://u:p@h:1');
  });

  it('masks the userinfo of any URL, with or without a scheme, and nothing like an e-mail address', () => {
    const none = createRedactor([]);
    expect(none("input 'server-url': got 'grpc://user:SECRET@triton:8001'")).toBe(
      "input 'server-url': got 'grpc://***@triton:8001'",
    );
    expect(none('got user:SECRET@triton:8001 and http://tok@h/metrics')).toBe(
      'got ***@triton:8001 and http://***@h/metrics',
    );
    expect(none('mail ops@example.com; ratio 1:2')).toBe('mail ops@example.com; ratio 1:2');
    expect(userinfoSecretsOf('grpcs://user:SECRET@h:1')).toEqual(['user:SECRET', 'SECRET']);
    expect(userinfoSecretsOf('h:8001')).toEqual([]);
  });

  it('redacts every string of a JSON-like value, keys and numbers untouched', () => {
    const value = { a: [`x ${TOKEN}`, 3], b: { c: TOKEN }, n: null };
    expect(redactDeep(value, redact)).toEqual({ a: ['x ***', 3], b: { c: '***' }, n: null });
  });
});
