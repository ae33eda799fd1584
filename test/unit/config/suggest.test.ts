import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../../src/config/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['reload', 'relaod', 2],
    ['max_batch', 'max-batch', 1],
    ['file', 'files', 1],
  ])('%j -> %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it('is a metric: zero on itself, symmetric, triangle inequality', () => {
    const word = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      }),
    );
  });
});

describe('closestMatch and didYouMean', () => {
  const STRATEGIES = ['reload', 'models', 'command', 'fixed'];
  it.each([
    ['relaod', 'reload'],
    ['RELOAD', 'reload'],
    ['model', 'models'],
    ['fix', 'fixed'],
    ['restart', undefined],
    ['', undefined],
  ])('%j -> %j', (value, expected) => {
    expect(closestMatch(value, STRATEGIES)).toBe(expected);
    expect(didYouMean(value, STRATEGIES)).toBe(expected === undefined ? undefined : `did you mean '${expected}'?`);
  });

  it('prefers the nearest, then the earlier candidate', () => {
    expect(closestMatch('abd', ['abx', 'abc', 'abd'])).toBe('abd');
    expect(closestMatch('ab', ['abx', 'aby'])).toBe('abx');
  });
});
