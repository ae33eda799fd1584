/**
 * Gate quality, part 2 (docs/architecture.md#measuring-the-tool-itself): how often an injected slowdown fails the gate,
 * as a rate over seeded simulations of a 4 × 10 matrix (gate-simulation.ts). Simulated noise,
 * not a real server: `npm run bench:gate` measures the real thing. Rates are printed as test
 * annotations (`--reporter=verbose`) and quoted in docs/statistics.md.
 */
import { describe, expect, it } from 'vitest';
import { simulateGate, type NoiseModel, type Scenario } from './gate-simulation.js';

/** 3% per trial, run-wide shift 1.5%, per-cell-per-run shift 1% (docs/statistics.md). */
const REALISTIC: NoiseModel = { trialCv: 0.03, runShift: 0.015, cellShift: 0.01 };
const RUNS = 200;
const RECOMMENDED: Omit<Scenario, 'slowdown' | 'affected'> = {
  noise: REALISTIC,
  trials: 5,
  baselineRuns: 3,
  historyRuns: 0,
  shouldConfirm: true,
};

describe('gate quality: detection of injected slowdowns', () => {
  it('a uniform 10% slowdown fails the gate in >= 95% of runs', { timeout: 120_000 }, async ({ annotate }) => {
    const result = simulateGate({ ...RECOMMENDED, slowdown: 0.1, affected: 'all' }, RUNS, 201);
    await annotate(`uniform 10%: ${result.failures} of ${RUNS} runs failed`);
    expect(result.failures / RUNS).toBeGreaterThanOrEqual(0.95);
  });

  it(
    'a uniform 5% slowdown (at min-effect, below the 6% noise threshold) fails in >= 45%',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const result = simulateGate({ ...RECOMMENDED, slowdown: 0.05, affected: 'all' }, RUNS, 202);
      await annotate(`uniform 5%: ${result.failures} of ${RUNS} runs failed`);
      expect(result.failures / RUNS).toBeGreaterThanOrEqual(0.45);
    },
  );

  it(
    'a 10% slowdown of one cell in 40 is caught in >= 60% of runs, rarely with a wrong cell',
    { timeout: 120_000 },
    async ({ annotate }) => {
      const result = simulateGate({ ...RECOMMENDED, slowdown: 0.1, affected: 'one' }, RUNS, 203);
      await annotate(
        `one cell 10%: caught in ${result.targetCaught} of ${RUNS} runs; another cell failed in ${result.falseCellRuns}`,
      );
      expect(result.targetCaught / RUNS).toBeGreaterThanOrEqual(0.6);
      expect(result.falseCellRuns / RUNS).toBeLessThanOrEqual(0.05);
    },
  );

  it(
    '5 vs 5 trials (one baseline run) cannot resolve a one-cell 10% slowdown among 40 cells',
    { timeout: 120_000 },
    async ({ annotate }) => {
      // The design fact of docs/statistics.md: min p = 1/252 > 0.05/40 for a lone cell.
      const result = simulateGate(
        { ...RECOMMENDED, baselineRuns: 1, historyRuns: 10, slowdown: 0.1, affected: 'one' },
        RUNS,
        204,
      );
      await annotate(`one cell 10%, 1 baseline run: caught in ${result.targetCaught} of ${RUNS} runs`);
      expect(result.targetCaught / RUNS).toBeLessThanOrEqual(0.1);
    },
  );
});
