/**
 * The gate simulator behind `npm run bench:simulate` (bench/gate-simulation.ts) on settings whose
 * outcome is known without simulating: noise far below min-effect, and changes far above it.
 * Its rates (docs/gate-quality.md, docs/statistics.md) are worth quoting only if these hold.
 */
import { describe, expect, it } from 'vitest';
import { simulateGate, type Scenario } from '../../../bench/gate-simulation.js';

/** 0.1% noise of each kind: a change of 30% is 300 standard deviations, none is none. */
const QUIET: Omit<Scenario, 'slowdown' | 'affected'> = {
  noise: { trialCv: 0.001, runShift: 0.001, cellShift: 0.001 },
  trials: 5,
  baselineRuns: 3,
  historyRuns: 0,
  shouldConfirm: true,
};
const RUNS = 10;

describe('simulateGate, known answers', () => {
  it('never fails a run without a change', () => {
    expect(simulateGate({ ...QUIET, slowdown: 0, affected: 'all' }, RUNS, 1)).toEqual({
      runs: RUNS,
      failures: 0,
      targetCaught: 0,
      falseCellRuns: 0,
      calibrating: 0,
    });
  });

  it('fails every run when every cell is 30% slower', () => {
    const result = simulateGate({ ...QUIET, slowdown: 0.3, affected: 'all' }, RUNS, 2);
    expect(result).toMatchObject({ failures: RUNS, targetCaught: RUNS, falseCellRuns: 0 });
  });

  it('fails every run on the one slowed cell (32x8) and on no other', () => {
    const result = simulateGate({ ...QUIET, slowdown: 0.3, affected: 'one' }, RUNS, 3);
    expect(result).toMatchObject({ failures: RUNS, targetCaught: RUNS, falseCellRuns: 0 });
  });

  it('is calibrating, never failing, with one baseline run and no history', () => {
    const result = simulateGate({ ...QUIET, baselineRuns: 1, slowdown: 0.3, affected: 'all' }, RUNS, 4);
    expect(result).toMatchObject({ failures: 0, calibrating: RUNS });
  });

  it('gives the same counts for the same seed', () => {
    const noisy: Scenario = {
      ...QUIET,
      noise: { trialCv: 0.05, runShift: 0.05, cellShift: 0.05 },
      slowdown: 0.05,
      affected: 'all',
    };
    expect(simulateGate(noisy, RUNS, 5)).toEqual(simulateGate(noisy, RUNS, 5));
  });
});
