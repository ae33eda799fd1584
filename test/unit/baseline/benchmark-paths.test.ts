import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import { benchmarkDirOf, pathSegmentOf, runFileNameOf } from '../../../src/baseline/benchmark-paths.js';

// Path-hostile ASCII, other ASCII, and code points of 2 to 4 UTF-8 bytes; at most 16 of them
// so that even 4-byte ones (12 characters once encoded) stay under the 200-character limit.
const anyChar = fc.oneof(
  fc.constantFrom('.', '/', '\\', '%', ':', ' ', '\0'),
  fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x80, max: 0xd7ff }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
);
const anyKey = fc.array(anyChar, { minLength: 1, maxLength: 16 }).map((chars) => chars.join(''));

describe('pathSegmentOf — benchmark keys and run ids as one safe path segment', () => {
  it.each([
    ['demo', 'demo'],
    ['resnet50_mb-v1.2', 'resnet50_mb-v1.2'],
    ['a/b', 'a%2Fb'],
    ['../etc/passwd', '%2E.%2Fetc%2Fpasswd'],
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['.git', '%2Egit'],
    ['key.', 'key%2E'],
    ['100%', '100%25'],
    ['a\\b:c', 'a%5Cb%3Ac'],
    ['modèle', 'mod%C3%A8le'],
  ])('%j → %j', (value, expected) => {
    expect(pathSegmentOf(value, 'benchmark-key')).toBe(expected);
  });

  it('property: never a separator, never a dot name, and decodes back to the value (no two keys share a directory)', () => {
    fc.assert(
      fc.property(anyKey, (value) => {
        const segment = pathSegmentOf(value, 'benchmark-key');
        expect(segment).toMatch(/^[A-Za-z0-9_.%-]+$/);
        expect(segment.startsWith('.') || segment.endsWith('.')).toBe(false);
        expect(decodeURIComponent(segment)).toBe(value);
      }),
    );
  });

  it('rejects an empty value with an error naming what it is', () => {
    expect(() => pathSegmentOf('', 'benchmark-key')).toThrow(BaselineStoreError);
    expect(() => pathSegmentOf('', 'benchmark-key')).toThrow(/benchmark-key '' cannot name a file/);
  });

  it('rejects a value too long for a file name', () => {
    expect(() => pathSegmentOf('é'.repeat(100), 'run id')).toThrow(
      /run id '.*' cannot name a file: expected 1 to 200 characters once encoded \(got 600\)/,
    );
  });
});

describe('layout', () => {
  it('puts a key under benchmarks/ and a run under its id', () => {
    expect(benchmarkDirOf('yolo/v8')).toBe('benchmarks/yolo%2Fv8');
    expect(runFileNameOf('2026-01-01T00-00-00-000Z-abc1234')).toBe('2026-01-01T00-00-00-000Z-abc1234.json');
  });
});
