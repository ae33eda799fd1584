// The tool's own version in the fingerprint (src/tool-version.ts) is package.json's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/tool-version.js';

describe('TOOL_VERSION', () => {
  it('is the version in package.json', () => {
    const onDisk = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(TOOL_VERSION).toBe(onDisk.version);
    expect(TOOL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
