import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../src/rng.js';
import { signFlipUnitsTest, unitValues, type UnitCell } from '../../../src/stats/sign-flip-units.js';

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** `cells` cells sharing `units` units (one value each), cell k with noise `sds[k]` around `shift`. */
function matrix(rng: Rng, units: number, sds: readonly number[], shift: number): UnitCell[] {
  return sds.map((sd) => ({
    values: Array.from({ length: units }, () => shift + sd * gaussian(rng)),
    units: Array.from({ length: units }, (_, unit) => unit),
  }));
}

describe('unitValues', () => {
  it('weighs a steady cell far above a noisy one', () => {
    const steady = { values: [0.01, -0.01, 0.02, -0.02, 0.0], units: [0, 1, 2, 3, 4] };
    const noisy = { values: [0.5, -0.4, 0.3, -0.6, 0.45], units: [0, 1, 2, 3, 4] };
    const values = unitValues([steady, noisy], 5);
    values.forEach((value, unit) => {
      const own = steady.values[unit] ?? 0;
      const plain = (own + (noisy.values[unit] ?? 0)) / 2;
      expect(Math.abs(value - own)).toBeLessThan(Math.abs(plain - own));
    });
  });

  it('does not shrink a uniform change towards 0', () => {
    // A scale taken from |log ratio| would favour the rounds nearest 0 and pull this towards 0.
    const rng = createRng(12);
    const cells = matrix(rng, 40, [0.05, 0.1, 0.2, 0.3], Math.log(0.95));
    const values = [...unitValues(cells, 40)].sort((a, b) => a - b);
    const middle = ((values[19] ?? 0) + (values[20] ?? 0)) / 2;
    expect(middle).toBeGreaterThan(Math.log(0.95) - 0.02);
    expect(middle).toBeLessThan(Math.log(0.95) + 0.02);
  });
});

describe('signFlipUnitsTest', () => {
  it('negating every value swaps the two p-values exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        (seed, shift) => {
          const cells = matrix(createRng(seed), 6, [0.05, 0.2], shift);
          const negated = cells.map((cell) => ({ ...cell, values: cell.values.map((value) => -value) }));
          const forward = signFlipUnitsTest(cells, 6, createRng(1), 200);
          const backward = signFlipUnitsTest(negated, 6, createRng(1), 200);
          expect(backward.pLess).toBe(forward.pGreater);
          expect(backward.pGreater).toBe(forward.pLess);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('never reports a p-value below 1 / (draws + 1), and finds a clear slowdown', () => {
    const cells = matrix(createRng(3), 20, [0.02, 0.05, 0.1], Math.log(0.8));
    const result = signFlipUnitsTest(cells, 20, createRng(4), 499);
    expect(result.pLess).toBe(1 / 500);
    expect(result.pGreater).toBeGreaterThan(0.9);
  });

  it('A/A with cells of different spread and heavy tails: rejects at about the level', () => {
    const rng = createRng(2027);
    const runs = 300;
    let rejected = 0;
    for (let run = 0; run < runs; run++) {
      const cells = matrix(rng, 10, [0.05, 0.1, 0.2, 0.3], 0).map((cell) => ({
        ...cell,
        // One wild round in ten, as on the shared CPU runner.
        values: cell.values.map((value) => (rng.next() < 0.1 ? value * 4 : value)),
      }));
      if (signFlipUnitsTest(cells, 10, createRng(run), 199).pLess <= 0.1) rejected++;
    }
    // Nominal 10%; 300 runs give a binomial sd of 1.7 points.
    expect(rejected / runs).toBeLessThan(0.15);
    expect(rejected / runs).toBeGreaterThan(0.05);
  });
});
