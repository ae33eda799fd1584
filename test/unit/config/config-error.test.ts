import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigIssue } from '../../../src/config/config-error.js';

describe('ConfigError', () => {
  it('is an Error named ConfigError carrying its issues', () => {
    const error = new ConfigError([{ input: 'users', value: '0-4', expected: 'integers >= 1 ("1,2,4" or "1-10")' }]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe(`input 'users': got '0-4', expected integers >= 1 ("1,2,4" or "1-10")`);
    expect(error.issues).toEqual([{ input: 'users', value: '0-4', expected: 'integers >= 1 ("1,2,4" or "1-10")' }]);
    expect(Object.isFrozen(error.issues)).toBe(true);
  });

  it('lists every issue on its own line and keeps the cause', () => {
    const cause = new Error('EACCES');
    const error = new ConfigError(
      [
        { input: 'trials', value: '1', expected: 'an integer from 2 to 100' },
        {
          input: 'config-file',
          value: 'perf.yml',
          expected: 'a readable YAML file',
          hint: 'it cannot be read (EACCES)',
        },
      ],
      { cause },
    );
    expect(error.message).toBe(
      "input 'trials': got '1', expected an integer from 2 to 100\n" +
        "input 'config-file': got 'perf.yml', expected a readable YAML file; it cannot be read (EACCES)",
    );
    expect(error.cause).toBe(cause);
  });

  it('masks values of secret inputs in issues and message', () => {
    const error = new ConfigError([{ input: 'server-headers', value: 'authorization: Bearer x', expected: 'headers' }]);
    expect(error.issues[0]?.value).toBe('***');
    expect(error.message).toBe("input 'server-headers': got '***', expected headers");
  });
});

describe('formatConfigIssue', () => {
  it.each([
    [
      { input: 'model', value: '', expected: 'a model name (required)' },
      "input 'model': got '', expected a model name (required)",
    ],
    [
      { input: 'inputs', value: '[\n{"name": "a"}\n]', expected: 'a list' },
      `input 'inputs': got '[\\n{"name": "a"}\\n]', expected a list`,
    ],
    [
      { input: 'out', value: 'x'.repeat(100), expected: 'a path' },
      `input 'out': got '${'x'.repeat(79)}…', expected a path`,
    ],
    [
      { input: 'shard', value: '9/8', expected: "'i/n'", hint: 'i must be from 1 to 8' },
      "input 'shard': got '9/8', expected 'i/n'; i must be from 1 to 8",
    ],
    [
      { input: 'server-headers', value: 'a: b', expected: 'headers' },
      "input 'server-headers': got '***', expected headers",
    ],
  ])('%j', (issue, line) => {
    expect(formatConfigIssue(issue)).toBe(line);
  });
});
