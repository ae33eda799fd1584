import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../src/stats/benjamini-hochberg.js';

describe('benjaminiHochberg', () => {
  it('matches a hand-worked example (m = 5)', () => {
    // Sorted: 0.005 0.01 0.03 0.04 0.2 → p·m/rank: 0.025 0.025 0.05 0.05 0.2 → already monotone.
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2]);
    [0.025, 0.05, 0.05, 0.025, 0.2].forEach((expected, i) => {
      expect(q[i]).toBeCloseTo(expected, 12);
    });
  });

  it('enforces monotonicity by the step-up minimum (m = 4)', () => {
    // Sorted: 0.01 0.011 0.012 0.5 → p·m/rank: 0.04 0.022 0.016 0.5 → running minimum from the
    // top: 0.016 0.016 0.016 0.5. The smallest p gets 0.016, not its own 0.04.
    const q = benjaminiHochberg([0.01, 0.011, 0.5, 0.012]);
    [0.016, 0.016, 0.5, 0.016].forEach((expected, i) => {
      expect(q[i]).toBeCloseTo(expected, 12);
    });
  });

  it('rejects 4 of the 15 hypotheses of Benjamini & Hochberg (1995), §4, at 0.05', () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
    ];
    const q = benjaminiHochberg(p);
    expect(q.filter((value) => value <= 0.05)).toHaveLength(4);
    expect(q[3]).toBeCloseTo((0.0095 * 15) / 4, 12);
  });

  it('caps at 1, keeps equal p-values equal, and handles the empty list', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
    expect(benjaminiHochberg([0.02, 0.02, 0.02])).toEqual([0.02, 0.02, 0.02]);
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
  });

  it('rejects p-values outside [0, 1] as a bug', () => {
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(/p-value 1/);
    expect(() => benjaminiHochberg([1.5])).toThrow();
  });

  it('is monotone, >= p, order-equivariant and equal to the BH rejection rule', () => {
    const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(pValues, fc.double({ min: 0.001, max: 0.2, noNaN: true }), (p, alpha) => {
        const q = benjaminiHochberg(p);
        const m = p.length;
        p.forEach((pi, i) => {
          expect(q[i]).toBeGreaterThanOrEqual(pi);
          expect(q[i]).toBeLessThanOrEqual(1);
          p.forEach((pj, j) => {
            if (pi < pj) expect(q[i]).toBeLessThanOrEqual(q[j] ?? 1);
          });
        });
        expect(benjaminiHochberg([...p].reverse())).toEqual([...q].reverse());
        // BH: reject the k smallest, k the largest rank with p_(k) <= k·alpha/m.
        const sorted = [...p].sort((a, b) => a - b);
        let k = 0;
        sorted.forEach((value, index) => {
          if (value <= ((index + 1) * alpha) / m) k = index + 1;
        });
        expect(q.filter((value) => value <= alpha)).toHaveLength(k);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
