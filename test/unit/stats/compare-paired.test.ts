import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../src/rng.js';
import { comparePaired } from '../../../src/stats/compare-paired.js';
import type { PairedCellInput, PairedVerdict } from '../../../src/model/paired-comparison.js';

const OPTIONS = { alpha: 0.05, minEffect: 0.05, seed: 7, resamples: 400 };

/** Standard normal by Box-Muller from the seeded stream. */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** A matrix whose head is `1 + change` times the base, with per-side noise `sd` and per-round drift. */
function simulate(rng: Rng, cells: number, rounds: number, change: number, sd: number): PairedCellInput[] {
  const drift = Array.from({ length: rounds }, () => Math.exp(0.1 * gaussian(rng)));
  return Array.from({ length: cells }, (_, index) => ({
    maxBatch: 8 * (1 + Math.floor(index / 10)),
    users: 1 + (index % 10),
    rounds: drift.map((factor, round) => ({
      round,
      base: 100 * factor * Math.exp(sd * gaussian(rng)),
      head: 100 * (1 + change) * factor * Math.exp(sd * gaussian(rng)),
    })),
  }));
}

function swapped(cells: readonly PairedCellInput[]): PairedCellInput[] {
  return cells.map((cell) => ({
    ...cell,
    rounds: cell.rounds.map((round) => ({ round: round.round, head: round.base, base: round.head })),
  }));
}

const MIRROR: Record<PairedVerdict, PairedVerdict> = {
  regressed: 'improved',
  improved: 'regressed',
  same: 'same',
  unknown: 'unknown',
};

describe('comparePaired', () => {
  it('flags a clear 20% slowdown in a cell and a uniform 6% slowdown overall', () => {
    const rng = createRng(3);
    const result = comparePaired(simulate(rng, 40, 5, -0.06, 0.03), OPTIONS);
    expect(result.overall?.verdict).toBe('regressed');
    expect(result.overall?.delta).toBeLessThan(-0.05);
    const oneCell = simulate(createRng(4), 4, 8, 0, 0.01);
    const slowed = oneCell.map((cell, index) =>
      index === 0 ? { ...cell, rounds: cell.rounds.map((round) => ({ ...round, head: round.head * 0.8 })) } : cell,
    );
    expect(comparePaired(slowed, OPTIONS).cells.map((cell) => cell.verdict)).toEqual([
      'regressed',
      'same',
      'same',
      'same',
    ]);
  });

  it('calls an unchanged quiet cell same, a noisy short one unknown, and too few rounds unknown', () => {
    const quiet = simulate(createRng(5), 1, 6, 0, 0.005);
    expect(comparePaired(quiet, OPTIONS).cells[0]?.verdict).toBe('same');
    const noisy = simulate(createRng(6), 1, 5, 0, 0.2);
    expect(comparePaired(noisy, OPTIONS).cells[0]?.verdict).toBe('unknown');
    const short = simulate(createRng(6), 1, 2, 0, 0.01);
    const result = comparePaired(short, OPTIONS);
    expect(result.cells[0]?.reason).toBe('2 complete rounds, need 3');
    expect(result.overall).toBeUndefined();
  });

  it('swapping the sides mirrors every verdict and flips the sign of every estimate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        (seed, change) => {
          const cells = simulate(createRng(seed), 3, 6, change, 0.03);
          const forward = comparePaired(cells, OPTIONS);
          const backward = comparePaired(swapped(cells), OPTIONS);
          forward.cells.forEach((cell, index) => {
            const other = backward.cells[index];
            expect(other?.verdict).toBe(MIRROR[cell.verdict]);
            expect(Math.log(1 + (other?.delta ?? 0))).toBeCloseTo(-Math.log(1 + cell.delta), 9);
            expect(other?.pSlower).toBeCloseTo(cell.pFaster, 12);
          });
          expect(backward.overall?.verdict).toBe(MIRROR[forward.overall?.verdict ?? 'unknown']);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('A/A data: cells flagged regressed at most at about the level, the matrix rarely', () => {
    const rng = createRng(2026);
    let cellRegressions = 0;
    let cellsTested = 0;
    let runsRegressed = 0;
    const runs = 200;
    for (let run = 0; run < runs; run++) {
      // minEffect 0 isolates the test's level: only significance decides.
      const result = comparePaired(simulate(rng, 10, 8, 0, 0.05), {
        ...OPTIONS,
        minEffect: 0,
        resamples: 50,
        permutations: 200,
      });
      cellsTested += result.cells.length;
      cellRegressions += result.cells.filter((cell) => cell.pSlower <= 0.05).length;
      if (result.cells.some((cell) => cell.verdict === 'regressed') || result.overall?.verdict === 'regressed') {
        runsRegressed++;
      }
    }
    // Raw per-cell rejections at 5% (exact test: at most 5% in expectation, ~4% at n = 8).
    expect(cellRegressions / cellsTested).toBeLessThan(0.065);
    // BH across cells plus the overall test: well under 2 × alpha of runs.
    expect(runsRegressed / runs).toBeLessThan(0.1);
  });

  it('flags a change whose interval reaches min-effect, not one shown smaller or under half of it', () => {
    // Exact rounds around a centre: the test is significant in every case below.
    const cell = (centre: number, spread: number): PairedCellInput => ({
      maxBatch: 8,
      users: 1,
      rounds: Array.from({ length: 12 }, (_, round) => ({
        round,
        base: 1,
        head: Math.exp(centre + spread * (((round * 7) % 12) / 11 - 0.5)),
      })),
    });
    const verdict = (centre: number, spread: number): PairedVerdict | undefined =>
      comparePaired([cell(centre, spread)], OPTIONS).cells[0]?.verdict;
    // Estimate −4.4%, but a 5% drop is inside the interval: caught (the estimate alone is not enough).
    expect(verdict(Math.log(0.956), 0.04)).toBe('regressed');
    // Estimate −4.4%, interval narrow and inside ±5%: significant but smaller, so same.
    expect(verdict(Math.log(0.956), 0.005)).toBe('same');
    // Every round slower (significant), estimate −1%, a third of the rounds at −20% so the
    // interval reaches −5%: under half of min-effect, not flagged.
    const skewed = [...Array<number>(8).fill(0.99), ...Array<number>(4).fill(0.8)];
    const result = comparePaired(
      [{ maxBatch: 8, users: 1, rounds: skewed.map((head, round) => ({ round, head, base: 1 })) }],
      OPTIONS,
    );
    expect(result.cells[0]?.deltaCi[0]).toBeLessThan(-0.05);
    expect(result.cells[0]?.verdict).toBe('unknown');
    expect(result.cells[0]?.evidence).toBe('worse-reaches');
    expect(result.cells[0]?.reason).toBe(
      'significantly slower; the interval reaches −5%: a change of −5% is not ruled out; the estimate is under 2.5%, half of min-effect',
    );
  });

  it('says what the rounds establish, and the gate policy decides which changes count', () => {
    const cell = (centre: number, spread: number): PairedCellInput => ({
      maxBatch: 8,
      users: 1,
      rounds: Array.from({ length: 12 }, (_, round) => ({
        round,
        base: 1,
        head: Math.exp(centre + spread * (((round * 7) % 12) / 11 - 0.5)),
      })),
    });
    const judged = (centre: number, spread: number, policy?: 'established' | 'estimate' | 'not-ruled-out') => {
      const result = comparePaired([cell(centre, spread)], { ...OPTIONS, ...(policy === undefined ? {} : { policy }) });
      return [result.cells[0]?.evidence, result.cells[0]?.verdict];
    };
    // −4.4%, interval reaching −5%: slower, a 5% drop not ruled out; counted by default only.
    expect(judged(Math.log(0.956), 0.04)).toEqual(['worse-reaches', 'regressed']);
    expect(judged(Math.log(0.956), 0.04, 'estimate')).toEqual(['worse-reaches', 'unknown']);
    expect(judged(Math.log(0.956), 0.04, 'established')).toEqual(['worse-reaches', 'unknown']);
    // −4.4%, narrow interval inside ±5%: slower by less than 5%, never counted.
    expect(judged(Math.log(0.956), 0.005)).toEqual(['worse-within', 'same']);
    // −12%, the whole interval beyond −5%: at least 5% slower, counted by every policy.
    for (const policy of ['established', 'estimate', 'not-ruled-out'] as const) {
      expect(judged(Math.log(0.88), 0.02, policy)).toEqual(['worse-beyond', 'regressed']);
    }
    // −6%, interval −7.7 … −4.3%: the estimate beyond 5% counts under estimate, not established.
    expect(judged(Math.log(0.94), 0.08, 'estimate')).toEqual(['worse-reaches', 'regressed']);
    expect(judged(Math.log(0.94), 0.08, 'established')).toEqual(['worse-reaches', 'unknown']);
    // The mirror image: 12% faster.
    expect(judged(-Math.log(0.88), 0.02, 'established')).toEqual(['better-beyond', 'improved']);
  });

  it("tests the whole matrix on rows' rounds as units", () => {
    const result = comparePaired(simulate(createRng(8), 20, 6, 0, 0.03), OPTIONS);
    // 20 cells: max_batch 8 (users 1..10) and 16 (users 1..10), 6 rounds each.
    expect(result.overall?.units).toBe(12);
    expect(result.overall?.rounds).toBe(6);
    expect(result.overall?.pairs).toBe(120);
  });

  it('is deterministic for a seed', () => {
    const cells = simulate(createRng(9), 5, 5, -0.02, 0.03);
    expect(comparePaired(cells, OPTIONS)).toEqual(comparePaired(cells, OPTIONS));
  });
});
