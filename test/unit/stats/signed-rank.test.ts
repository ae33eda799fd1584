import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doubledMidRanks, signedRankTest } from '../../../src/stats/signed-rank.js';

interface ReferenceCase {
  readonly differences: readonly number[];
  readonly less: number;
  readonly greater: number;
}

// Computed independently with scipy by test/fixtures/signed-rank-reference.py.
const REFERENCE = JSON.parse(
  readFileSync(new URL('../../fixtures/signed-rank-reference.json', import.meta.url), 'utf8'),
) as { readonly cases: readonly ReferenceCase[] };

describe('signedRankTest', () => {
  it('matches scipy on n = 5..15 with ties and zeros', () => {
    expect(REFERENCE.cases.length).toBe(44);
    for (const entry of REFERENCE.cases) {
      expect(signedRankTest(entry.differences, 'less').pValue).toBeCloseTo(entry.less, 12);
      expect(signedRankTest(entry.differences, 'greater').pValue).toBeCloseTo(entry.greater, 12);
    }
  });

  it('gives 1/2^n when every difference points one way (n = 5: 0.03125)', () => {
    expect(signedRankTest([-1, -2, -3, -4, -5], 'less').pValue).toBe(1 / 32);
    expect(signedRankTest([-1, -2, -3, -4, -5], 'greater').pValue).toBe(1);
  });

  it('drops zeros and reports what entered', () => {
    const result = signedRankTest([0, 0, -1, -2, -3], 'less');
    expect(result.n).toBe(3);
    expect(result.pValue).toBe(1 / 8);
    expect(signedRankTest([0, 0], 'less')).toEqual({ statistic: 0, n: 0, pValue: 1 });
  });

  it('gives tied absolute values their mid-rank', () => {
    expect(doubledMidRanks([3, 1, 3, 2])).toEqual([7, 2, 7, 4]);
  });

  it('flips between the tails when the sides are swapped', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 14 }), (values) => {
        const negated = values.map((value) => -value);
        expect(signedRankTest(negated, 'less').pValue).toBeCloseTo(signedRankTest(values, 'greater').pValue, 12);
      }),
    );
  });

  it('rejects non-finite differences as a bug', () => {
    expect(() => signedRankTest([1, Number.NaN], 'less')).toThrow(/difference 1/);
  });
});
