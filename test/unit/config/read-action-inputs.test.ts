// The action-input reader is a 20-line edge over `@actions/core` `getInput`, which reads
// `INPUT_<NAME>` environment variables. No mock of @actions/core (docs/architecture.md#tests): the variables are
// stubbed and restored after each test.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTION_ONLY_INPUTS, INPUT_NAMES } from '../../../src/config/inputs.js';
import { readActionInputs, readGithubToken } from '../../../src/config/read-action-inputs.js';

const envName = (input: string): string => `INPUT_${input.toUpperCase()}`;

describe('readActionInputs', () => {
  beforeEach(() => {
    // Start from "nothing given", whatever the environment running the tests holds.
    for (const name of [...INPUT_NAMES, ...ACTION_ONLY_INPUTS]) vi.stubEnv(envName(name), '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads every given input by its kebab-case name and leaves out empty ones', () => {
    vi.stubEnv(envName('max-batch'), '8,16');
    vi.stubEnv(envName('model'), 'resnet');
    vi.stubEnv(envName('users'), '');
    expect(readActionInputs()).toEqual({ 'max-batch': '8,16', model: 'resnet' });
  });

  it('trims surrounding whitespace like getInput, keeping inner newlines', () => {
    vi.stubEnv(envName('server-headers'), 'x-a: 1\nx-b: 2\n');
    vi.stubEnv(envName('requests'), '  480 ');
    vi.stubEnv(envName('comment'), '   ');
    expect(readActionInputs()).toEqual({ 'server-headers': 'x-a: 1\nx-b: 2', requests: '480' });
  });

  it('does not put github-token into the raw inputs', () => {
    vi.stubEnv(envName('github-token'), 'ghs_token');
    expect(readActionInputs()).toEqual({});
    expect(readGithubToken()).toBe('ghs_token');
  });

  it('reads an empty github-token as not given', () => {
    expect(readGithubToken()).toBeUndefined();
  });
});
