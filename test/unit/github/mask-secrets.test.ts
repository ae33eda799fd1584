import { describe, expect, it } from 'vitest';
import {
  headerSecretValues,
  maskSecrets,
  scrubSecretInputs,
  secretValuesOf,
} from '../../../src/github/mask-secrets.js';

describe('secretValuesOf', () => {
  it('masks the token, the whole headers input, each line and each value', () => {
    const raw = { 'server-headers': 'authorization: Bearer s3cr3t-t0ken\nx-api-key: abcd1234', model: 'resnet' };
    expect(secretValuesOf(raw, 'ghs_FAKE_TOKEN_0123456789')).toEqual([
      'ghs_FAKE_TOKEN_0123456789',
      'authorization: Bearer s3cr3t-t0ken\nx-api-key: abcd1234',
      'authorization: Bearer s3cr3t-t0ken',
      'Bearer s3cr3t-t0ken',
      'x-api-key: abcd1234',
      'abcd1234',
    ]);
  });

  it('splits comma-separated headers and skips values too short to mask without wrecking the log', () => {
    expect(secretValuesOf({ 'server-headers': 'x-a: 1, x-token: long-enough' }, undefined)).toEqual([
      'x-a: 1, x-token: long-enough',
      'x-a: 1',
      'x-token: long-enough',
      'long-enough',
    ]);
    expect(secretValuesOf({}, undefined)).toEqual([]);
  });

  it('masks the userinfo of a URL input (refused, but echoed before the refusal)', () => {
    const values = secretValuesOf(
      { 'server-url': 'grpc://user:SECRET-pw@triton:8001', 'metrics-url': 'none' },
      undefined,
    );
    expect(values).toEqual(['user:SECRET-pw', 'SECRET-pw']);
  });

  it('masks parsed header values from a config file too', () => {
    expect(headerSecretValues({ authorization: 'Bearer abc', 'x-v': '2' })).toEqual(['Bearer abc']);
  });
});

describe('maskSecrets and scrubSecretInputs', () => {
  it('registers every value and removes the secret inputs from the environment', () => {
    const masked: string[] = [];
    maskSecrets(['one1', 'two2'], (value) => masked.push(value));
    expect(masked).toEqual(['one1', 'two2']);
    const env: Record<string, string | undefined> = {
      'INPUT_GITHUB-TOKEN': 't',
      'INPUT_SERVER-HEADERS': 'h',
      INPUT_MODEL: 'm',
      PATH: '/bin',
    };
    scrubSecretInputs(env);
    expect(env).toEqual({ INPUT_MODEL: 'm', PATH: '/bin' });
  });
});
