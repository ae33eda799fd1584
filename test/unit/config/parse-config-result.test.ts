import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { INPUT_NAMES, type RawInputs } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { configErrorOf, issuesOf } from './issues-of.js';

describe('parseConfig collects every issue before throwing', () => {
  it('reports all invalid inputs in one ConfigError, one line each, in input order', () => {
    const error = configErrorOf(() =>
      parseConfig({
        users: '0-4',
        trials: '1',
        'server-url': 'http://triton:8000',
        'fail-on': 'sometimes',
        confirm: 'yes',
      }),
    );
    expect(error.issues.map((issue) => issue.input)).toEqual([
      'model',
      'server-url',
      'users',
      'trials',
      'fail-on',
      'confirm',
    ]);
    expect(error.message.split('\n')).toHaveLength(6);
    expect(error.message.split('\n')[2]).toBe(
      `input 'users': got '0-4', expected integers >= 1 ("1,2,4" or "1-10"); '0-4' goes below 1`,
    );
  });

  it('reports single-field and cross-field issues together', () => {
    const inputs = issuesOf({ trials: '0', 'batch-strategy': 'models', users: '1-20', requests: '10' }).map(
      (issue) => issue.input,
    );
    expect(inputs).toEqual(['trials', 'requests', 'model-template']);
  });
});

describe('parseConfig result', () => {
  const config = parseConfig({
    model: 'resnet',
    inputs: '[{"name": "a", "shape": [3], "data": {"file": "a.json"}}]',
    'server-headers': 'x-a: 1',
  });

  it.each([
    ['config', config],
    ['server', config.server],
    ['server.headers', config.server.headers],
    ['matrix', config.matrix],
    ['matrix.maxBatch', config.matrix.maxBatch],
    ['matrix.users', config.matrix.users],
    ['matrix.shard', config.matrix.shard],
    ['matrix.inputs', config.matrix.inputs],
    ['matrix.inputs[0]', config.matrix.inputs[0]],
    ['matrix.inputs[0].shape', config.matrix.inputs[0]?.shape],
    ['matrix.inputs[0].data', config.matrix.inputs[0]?.data],
    ['control', config.control],
    ['gate', config.gate],
    ['store', config.store],
    ['report', config.report],
  ])('%s is frozen', (_path, value) => {
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('throws on mutation (ES modules run in strict mode)', () => {
    expect(() => {
      (config.matrix.users as number[]).push(11);
    }).toThrow(TypeError);
    expect(() => {
      (config.gate as { alpha: number }).alpha = 0.5;
    }).toThrow(TypeError);
    expect(() => {
      (config.server.headers as Record<string, string>)['x-b'] = '2';
    }).toThrow(TypeError);
  });

  it('does not modify its input and gives equal results for equal inputs', () => {
    const raw: RawInputs = Object.freeze({ model: 'resnet', users: '4,1,2' });
    expect(parseConfig(raw)).toEqual(parseConfig({ ...raw }));
    expect(raw).toEqual({ model: 'resnet', users: '4,1,2' });
  });
});

describe('secrets', () => {
  it('never appear in the message or the issues', () => {
    const secret = 'Bearer s3cr3t-t0ken';
    const error = configErrorOf(() => parseConfig({ model: 'resnet', 'server-headers': `Authorization: ${secret}` }));
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toContain("input 'server-headers': got '***'");
    expect(JSON.stringify(error.issues)).not.toContain('s3cr3t');
  });
});

describe('parseConfig properties', () => {
  it('max-batch keeps the given order and users come out ascending', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 30 }), (values) => {
        const config = parseConfig({
          model: 'm',
          'max-batch': values.join(','),
          users: values.join(', '),
          requests: '5000',
        });
        expect(config.matrix.maxBatch).toEqual(values);
        expect(config.matrix.users).toEqual([...values].sort((a, b) => a - b));
      }),
    );
  });

  it('any text in any input either parses or throws a ConfigError, never anything else', () => {
    const anyRaw = fc.dictionary(
      fc.constantFrom(...INPUT_NAMES),
      fc.oneof(fc.string(), fc.stringMatching(/^[\d,.\-/%: a-z]{0,12}$/)),
    );
    fc.assert(
      fc.property(anyRaw, (raw) => {
        try {
          parseConfig(raw);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
