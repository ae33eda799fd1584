/**
 * The audit of issue 12, replayed (docs/statistics.md §2.3–§6): one outlier trial, one bad stored
 * run of the merge-base, and a new repository on a noisy runner must not blind the gate or make
 * it cry wolf. Seeded simulations with the project's noise model (gate-simulation.ts) plus the
 * audit's literal hand-built case.
 */
import { describe, expect, it } from 'vitest';
import { compareRun } from '../../../src/stats/compare-run.js';
import { decideGate } from '../../../src/stats/decide-gate.js';
import { historyPointOf } from '../../../src/model/history-point.js';
import { baseline, cell, DEFAULT_GATE, run, scaled } from './fixtures.js';
import { simulateGate, type NoiseModel } from './gate-simulation.js';

const REALISTIC: NoiseModel = { trialCv: 0.03, runShift: 0.015, cellShift: 0.01 };
const RUNS = 100;

describe('audit case 1: one outlier trial does not hide a regression in its cell', () => {
  it(
    '−27% in one cell, 3 baseline runs, one baseline trial at 0.5×: the cell fails',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const result = simulateGate(
        {
          noise: REALISTIC,
          trials: 5,
          baselineRuns: 3,
          historyRuns: 0,
          slowdown: 0.27,
          affected: 'one',
          shouldConfirm: true,
          outlierTrial: 0.5,
        },
        RUNS,
        301,
      );
      await annotate(`case 1: 32x8 caught in ${result.targetCaught} of ${RUNS} runs`);
      expect(result.targetCaught / RUNS).toBeGreaterThanOrEqual(0.95);
    },
  );

  it(
    'a 7-trial baseline with a 0.5× trial and current = baseline × 0.7: calibrating without history, fails with it',
    { timeout: 120_000 },
    () => {
      const dps = [1000, 1010, 990, 1005, 995, 1002, 500];
      const cells = [cell({ maxBatch: 8, users: 1, dps }), cell({ maxBatch: 8, users: 2, dps: scaled(dps, 2) })];
      const base = run('base', cells);
      const current = run(
        'head',
        cells.map((c) =>
          cell({
            maxBatch: c.maxBatch,
            users: c.users,
            dps: scaled(
              c.trials.map((t) => t.dps),
              0.7,
            ),
          }),
        ),
      );
      const alone = decideGate(
        compareRun(current, baseline([base]), DEFAULT_GATE, { seed: 1, resamples: 0 }),
        'regression',
        false,
      );
      expect(alone).toMatchObject({ verdict: 'calibrating', shouldFail: false });
      expect(alone.message).toMatch(
        /^calibrating: 0 of 5 runs \(.*\), report-only: 2 of 2 cells regressed.*; paired mode gates from the first PR$/,
      );
      expect(alone.message).toContain(
        'calibrating: 0 of 5 runs (stored default-branch runs; or 1 of 3 runs of the base commit)',
      );
      const history = [0.99, 1.01, 1, 0.98, 1.02].map((factor, i) =>
        historyPointOf(
          run(
            `h${i}`,
            cells.map((c) =>
              cell({
                maxBatch: c.maxBatch,
                users: c.users,
                dps: scaled(
                  c.trials.map((t) => t.dps),
                  factor,
                ),
              }),
            ),
          ),
        ),
      );
      const load = { ...baseline([base]), history: [...history, historyPointOf(base)] };
      const gated = decideGate(compareRun(current, load, DEFAULT_GATE, { seed: 1, resamples: 0 }), 'regression', false);
      expect(gated).toMatchObject({ verdict: 'regression', shouldFail: true, regressedCells: ['8x1', '8x2'] });
    },
  );
});

describe('audit case 2: one bad stored run of the merge-base does not blind every PR on it', () => {
  it(
    'uniform −30%, 3 merge-base runs of which one at 0.75×, 10 runs of history: fails',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const result = simulateGate(
        {
          noise: REALISTIC,
          trials: 5,
          baselineRuns: 3,
          historyRuns: 10,
          slowdown: 0.3,
          affected: 'all',
          shouldConfirm: true,
          badBaselineRun: 0.75,
        },
        RUNS,
        302,
      );
      await annotate(`case 2: ${result.failures} of ${RUNS} runs failed`);
      expect(result.failures / RUNS).toBeGreaterThanOrEqual(0.95);
    },
  );

  it('A/A with that bad run set aside stays quiet', { timeout: 120_000 }, async ({ annotate }) => {
    const result = simulateGate(
      {
        noise: REALISTIC,
        trials: 5,
        baselineRuns: 3,
        historyRuns: 10,
        slowdown: 0,
        affected: 'all',
        shouldConfirm: true,
        badBaselineRun: 0.75,
      },
      RUNS,
      303,
    );
    await annotate(`case 2 A/A: ${result.failures} of ${RUNS} runs failed`);
    expect(result.failures / RUNS).toBeLessThanOrEqual(0.05);
  });
});

describe('audit case 3: a new repository on a noisy runner does not cry wolf', () => {
  it(
    'A/A, one baseline run, 10% run-to-run drift, no history: <= 5% fail, the rest say calibrating',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const noisy: NoiseModel = { trialCv: 0.03, runShift: 0.1, cellShift: 0.01 };
      const result = simulateGate(
        { noise: noisy, trials: 5, baselineRuns: 1, historyRuns: 0, slowdown: 0, affected: 'all', shouldConfirm: true },
        RUNS,
        304,
      );
      await annotate(`case 3: ${result.failures} of ${RUNS} failed, ${result.calibrating} calibrating`);
      expect(result.failures / RUNS).toBeLessThanOrEqual(0.05);
      expect(result.calibrating + result.failures).toBe(RUNS);
    },
  );
});
