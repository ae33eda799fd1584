import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';

describe('paired inputs', () => {
  it('baseline-model pairs the run on the head server', () => {
    const config = parseConfig({ model: 'resnet', 'baseline-model': 'resnet_base', 'server-url': '10.0.0.1:9001' });
    expect(config.paired.base?.model).toBe('resnet_base');
    expect(config.paired.base?.server.address).toBe('10.0.0.1:9001');
  });

  it('baseline-server-url alone serves the head model name on the second server', () => {
    const config = parseConfig({ model: 'resnet', 'baseline-server-url': 'grpcs://old:8001', 'max-rounds': '9' });
    expect(config.paired).toMatchObject({ minRounds: 5, maxRounds: 9 });
    expect(config.paired.base?.model).toBe('resnet');
    expect(config.paired.base?.server).toMatchObject({ address: 'old:8001', isTls: true });
  });

  it('refuses the models strategy in paired mode', () => {
    expect(() =>
      parseConfig({
        model: 'resnet',
        'baseline-model': 'b',
        'batch-strategy': 'models',
        'model-template': 'r{max_batch}',
      }),
    ).toThrow(/input 'batch-strategy': got 'models', expected reload, command or fixed in paired mode/);
  });

  it('model-repository alone pairs the run with <model>__base on the head server, loaded by the run', () => {
    const config = parseConfig({
      model: 'resnet',
      'model-repository': 'models',
      'baseline-ref': 'origin/main',
      'server-url': '10.0.0.1:9001',
    });
    expect(config.paired.base).toMatchObject({
      model: 'resnet__base',
      server: { address: '10.0.0.1:9001' },
      fromRepository: { path: 'models', ref: 'origin/main' },
    });
    expect(parseConfig({ model: 'resnet', 'model-repository': 'models' }).paired.base?.fromRepository).toEqual({
      path: 'models',
      ref: undefined,
    });
  });

  it.each([
    ['-c', "a ref cannot start with '-'"],
    ['main..feature', "a ref has no whitespace, ':' or '..'"],
    ['HEAD:models', "a ref has no whitespace, ':' or '..'"],
    ['my branch', "a ref has no whitespace, ':' or '..'"],
  ])('baseline-ref %j is refused: %s', (ref, hint) => {
    expect(() => parseConfig({ model: 'm', 'model-repository': 'models', 'baseline-ref': ref })).toThrow(
      `input 'baseline-ref': got '${ref}', expected a git commit-ish (a sha, branch, tag or HEAD~1); ${hint}`,
    );
  });

  it.each(['HEAD', 'HEAD~1', 'HEAD^', 'v1.2.0', 'origin/main', 'a'.repeat(40)])(
    'baseline-ref %j is accepted',
    (ref) => {
      expect(
        parseConfig({ model: 'm', 'model-repository': 'models', 'baseline-ref': ref }).paired.base?.fromRepository?.ref,
      ).toBe(ref);
    },
  );

  it.each([
    [
      'baseline-model',
      { 'baseline-model': 'b' },
      "input 'model-repository': got 'models', expected no model-repository with baseline-model",
    ],
    [
      'baseline-server-url',
      { 'baseline-server-url': 'old:8001' },
      "input 'model-repository': got 'models', expected no model-repository with baseline-server-url",
    ],
  ])('model-repository with %s is refused (two ways to get a base)', (_name, raw, message) => {
    expect(() => parseConfig({ model: 'm', 'model-repository': 'models', ...raw })).toThrow(message);
  });

  it('refuses baseline-ref without model-repository, and batch-command with it', () => {
    expect(() => parseConfig({ model: 'm', 'baseline-ref': 'main' })).toThrow(
      "input 'baseline-ref': got 'main', expected no baseline-ref without model-repository",
    );
    expect(() =>
      parseConfig({ model: 'm', 'model-repository': 'models', 'batch-strategy': 'command', 'batch-command': 'true' }),
    ).toThrow("input 'batch-strategy': got 'command', expected reload or fixed with model-repository");
  });
});
