// Row rounds (docs/answers.md#measuring-rows-interleaved): every round visits every row, in the
// configured order and reversed in turn (the turning row's two visits are one), every cell gets
// exactly its trials spread evenly over the rounds, and only a row's last visit re-runs and probes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRowRounds, trialsInRound, type RowVisit } from '../../../src/matrix/plan.js';

const count = (visits: readonly RowVisit[], maxBatch: number, users: number, round?: number): number =>
  visits
    .filter((visit) => visit.maxBatch === maxBatch)
    .flatMap((visit) => visit.trials)
    .filter((trial) => trial.users === users && (round === undefined || trial.round === round)).length;

describe('trialsInRound', () => {
  it('spreads the trials evenly, the later rounds taking the extra ones', () => {
    expect([0, 1].map((round) => trialsInRound(5, 2, round))).toEqual([2, 3]);
    expect([0, 1, 2].map((round) => trialsInRound(5, 3, round))).toEqual([1, 2, 2]);
    expect([0, 1, 2, 3, 4].map((round) => trialsInRound(5, 5, round))).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('planRowRounds', () => {
  it('visits the rows forward, backward, forward, merging the visits at each turn', () => {
    const visits = planRowRounds([8, 16, 32], [1, 4], { trials: 3, rowRounds: 3, seed: 1 });
    expect(visits.map((visit) => visit.maxBatch)).toEqual([8, 16, 32, 16, 8, 16, 32]);
    expect(visits.map((visit) => visit.isLast)).toEqual([false, false, false, false, true, true, true]);
    // The turning visits hold two rounds' trials: 32's first visit rounds 0 and 1, 8's rounds 1 and 2.
    expect([...new Set(visits[2]?.trials.map((trial) => trial.round))].sort()).toEqual([0, 1]);
    expect([...new Set(visits[4]?.trials.map((trial) => trial.round))].sort()).toEqual([1, 2]);
  });

  it('gives every cell exactly its trials, each round its share (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 128 }), { minLength: 2, maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (rows, users, trials, rounds, seed) => {
          const rowRounds = Math.min(rounds, trials);
          const visits = planRowRounds(rows, users, { trials, rowRounds, seed });
          for (const maxBatch of rows) {
            expect(visits.filter((visit) => visit.maxBatch === maxBatch && visit.isLast)).toHaveLength(1);
            for (const u of users) {
              expect(count(visits, maxBatch, u)).toBe(trials);
              for (let round = 0; round < rowRounds; round++) {
                expect(count(visits, maxBatch, u, round)).toBe(trialsInRound(trials, rowRounds, round));
              }
            }
          }
          // Each round visits every row: consecutive visits never repeat a row.
          expect(visits.every((visit, i) => i === 0 || visits[i - 1]?.maxBatch !== visit.maxBatch)).toBe(true);
        },
      ),
    );
  });

  it('shuffles a visit with the seed: the same seed gives the same plan', () => {
    const plan = (seed: number) => planRowRounds([8, 16], [1, 2, 3], { trials: 4, rowRounds: 2, seed });
    expect(plan(7)).toEqual(plan(7));
    expect(plan(7).map((visit) => visit.trials)).not.toEqual(plan(8).map((visit) => visit.trials));
  });
});
