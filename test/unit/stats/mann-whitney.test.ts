import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyU, minOneSidedPValue } from '../../../src/stats/mann-whitney.js';

/**
 * Distinct-valued samples whose U (pairs current > baseline) is exactly `u`: baseline at
 * 0..m−1; a current value in (b − 1, b) beats exactly b baseline values. A small distinct offset
 * per current value keeps every value untied, so the textbook no-ties distribution applies.
 */
function samplesWithU(n: number, m: number, u: number): { current: number[]; baseline: number[] } {
  const current: number[] = [];
  let left = u;
  for (let i = 0; i < n; i++) {
    const beats = Math.min(m, left);
    current.push(beats - 0.9 + i * 0.01);
    left -= beats;
  }
  return { current, baseline: Array.from({ length: m }, (_, k) => k) };
}

/** Brute force: every split of the pooled values, U from pairwise comparisons (ties = 1/2). */
function bruteForce(current: readonly number[], baseline: readonly number[]) {
  const pooled = [...current, ...baseline];
  const n = current.length;
  const pairU = (xs: readonly number[], ys: readonly number[]) =>
    xs.reduce((sum, x) => sum + ys.reduce((s, y) => s + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);
  const observed = pairU(current, baseline);
  let less = 0;
  let greater = 0;
  let total = 0;
  const visit = (start: number, chosen: number[]) => {
    if (chosen.length === n) {
      const xs = chosen.map((i) => pooled[i] ?? 0);
      const ys = pooled.filter((_, i) => !chosen.includes(i));
      const u = pairU(xs, ys);
      total++;
      if (u <= observed + 1e-9) less++;
      if (u >= observed - 1e-9) greater++;
      return;
    }
    for (let i = start; i < pooled.length; i++) visit(i + 1, [...chosen, i]);
  };
  visit(0, []);
  return { u: observed, pLess: less / total, pGreater: greater / total };
}

describe('mannWhitneyU — exact null distribution', () => {
  it('gives 1/252 for 5 vs 5 fully separated (the 5-trial resolution limit)', () => {
    const result = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(result).toMatchObject({ u: 0, method: 'exact', pGreater: 1 });
    expect(result.pLess).toBeCloseTo(1 / 252, 12);
  });

  it('matches the enumerated U distribution of 3 vs 3 (counts 1,1,2,3,3,3,3,2,1,1 of 20)', () => {
    const cumulative = [1, 2, 4, 7, 10, 13, 16, 18, 19, 20];
    cumulative.forEach((count, u) => {
      const { current, baseline } = samplesWithU(3, 3, u);
      expect(mannWhitneyU(current, baseline).u).toBe(u);
      expect(mannWhitneyU(current, baseline).pLess).toBeCloseTo(count / 20, 12);
    });
  });

  it('matches the Gaussian binomial coefficients [10 choose 5]_q for 5 vs 5', () => {
    const counts = [1, 1, 2, 3, 5, 7, 9, 11, 14, 16, 18, 19, 20, 20, 19, 18, 16, 14, 11, 9, 7, 5, 3, 2, 1, 1];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(252);
    let cumulative = 0;
    counts.forEach((count, u) => {
      cumulative += count;
      const { current, baseline } = samplesWithU(5, 5, u);
      const result = mannWhitneyU(current, baseline);
      expect(result.u).toBe(u);
      expect(result.pLess).toBeCloseTo(cumulative / 252, 12);
      expect(result.pGreater).toBeCloseTo((252 - cumulative + count) / 252, 12);
    });
  });

  // Published critical values of U for n1 = n2 (e.g. Siegel & Castellan table; any statistics
  // textbook's Mann-Whitney table): the largest c with P(U <= c) <= alpha, one-tailed.
  it.each([
    [4, 0.05, 1],
    [5, 0.05, 4],
    [6, 0.05, 7],
    [7, 0.05, 11],
    [8, 0.05, 15],
    [9, 0.05, 21],
    [10, 0.05, 27],
    [5, 0.025, 2],
    [6, 0.025, 5],
    [7, 0.025, 8],
    [8, 0.025, 13],
    [10, 0.025, 23],
  ])('reproduces the table critical value for n1 = n2 = %i at one-tailed %f: U = %i', (n, alpha, c) => {
    const atCritical = samplesWithU(n, n, c);
    const beyond = samplesWithU(n, n, c + 1);
    expect(mannWhitneyU(atCritical.current, atCritical.baseline).pLess).toBeLessThanOrEqual(alpha);
    expect(mannWhitneyU(beyond.current, beyond.baseline).pLess).toBeGreaterThan(alpha);
  });

  it("reproduces R's wilcox.test example (Hollander & Wolfe): W = 35, p = 0.1272 (greater)", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitneyU(x, y);
    expect(result.u).toBe(35);
    expect(result.pGreater).toBeCloseTo(0.1272, 4);
  });

  it('is exact with ties (midranks), against brute-force enumeration of every split', () => {
    const small = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(small, small, (current, baseline) => {
        const expected = bruteForce(current, baseline);
        const result = mannWhitneyU(current, baseline);
        expect(result.u).toBeCloseTo(expected.u, 12);
        expect(result.pLess).toBeCloseTo(expected.pLess, 12);
        expect(result.pGreater).toBeCloseTo(expected.pGreater, 12);
      }),
      { seed: 20260101, numRuns: 150 },
    );
  });

  it('gives p = 1 both ways when every value is tied', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5, 5])).toMatchObject({ pLess: 1, pGreater: 1, u: 6 });
  });

  it('does not depend on the order of values, and mirrors when the sides swap', () => {
    const values = fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(values, values, (current, baseline) => {
        const result = mannWhitneyU(current, baseline);
        const shuffled = mannWhitneyU([...current].reverse(), [...baseline].reverse());
        const swapped = mannWhitneyU(baseline, current);
        expect(shuffled).toEqual(result);
        expect(swapped.pLess).toBeCloseTo(result.pGreater, 12);
        expect(swapped.u).toBeCloseTo(current.length * baseline.length - result.u, 9);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('stays exact for 5 current trials against 150 pooled baseline trials', () => {
    const baseline = Array.from({ length: 150 }, (_, i) => 100 + i);
    const result = mannWhitneyU([1, 2, 3, 4, 5], baseline);
    expect(result.method).toBe('exact');
    expect(result.pLess).toBeCloseTo(minOneSidedPValue(5, 150), 15);
  });
});

describe('mannWhitneyU — normal approximation for large samples', () => {
  it('uses the tie- and continuity-corrected normal approximation beyond the exact limit', () => {
    // 40 vs 40, interleaved so that U = 592: z = (592 + 0.5 − 800) / sqrt(40·40·81/12)
    // = −1.99667, Φ(z) = 0.0229305 (Python statistics.NormalDist().cdf).
    const baseline = Array.from({ length: 40 }, (_, k) => k);
    const { current } = samplesWithU(40, 40, 592);
    const result = mannWhitneyU(current, baseline);
    expect(result).toMatchObject({ method: 'normal', u: 592 });
    expect(result.pLess).toBeCloseTo(0.0229305, 6);
  });

  it('applies the tie correction to the variance', () => {
    // 40 vs 40 with values 0..3 ten times each per side: U = 800, the centre. Tie term
    // 4 groups of 20: Σ(t³ − t) = 4·7980; var = 1600/12·(81 − 31920/6320) = 10126.58;
    // pLess = Φ(0.5 / 100.631) = 0.501982 (Python statistics.NormalDist().cdf).
    const side = Array.from({ length: 40 }, (_, i) => i % 4);
    const result = mannWhitneyU(side, side);
    expect(result).toMatchObject({ method: 'normal', u: 800 });
    expect(result.pLess).toBeCloseTo(0.501982, 5);
    expect(result.pGreater).toBeCloseTo(0.501982, 5);
  });
});

describe('minOneSidedPValue', () => {
  it.each([
    [3, 3, 1 / 20],
    [5, 5, 1 / 252],
    [5, 10, 1 / 3003],
    [5, 15, 1 / 15504],
    [6, 6, 1 / 924],
    [10, 10, 1 / 184756],
  ])('is 1 / C(n + m, n) for %i vs %i', (n, m, expected) => {
    expect(minOneSidedPValue(n, m)).toBeCloseTo(expected, 15);
    expect(minOneSidedPValue(m, n)).toBeCloseTo(expected, 15);
  });
});
