// A refused URL's userinfo never reaches a message: ConfigError masks it in every issue's value.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseConfig } from '../../../src/config/parse-config.js';

describe('ConfigError and URL userinfo', () => {
  it('names the input and the refusal, never the password', () => {
    let error: unknown;
    try {
      parseConfig({ model: 'm', 'server-url': 'grpc://user:SECRET-pw@triton:8001' });
    } catch (err: unknown) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("input 'server-url': got 'grpc://***@triton:8001'");
    expect(message).toContain('credentials belong in server-headers');
    expect(message).not.toContain('SECRET-pw');
    expect((error as ConfigError).issues.map((issue) => issue.value)).not.toContain(
      'grpc://user:SECRET-pw@triton:8001',
    );
  });
});
