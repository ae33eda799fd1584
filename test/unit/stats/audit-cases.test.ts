/**
 * The audit of issue 12, case 1 replayed by hand (docs/statistics.md §2.3–§6): one outlier trial
 * in a 7-trial baseline must not blind the gate. A known answer, no simulation: the audit's
 * seeded simulations (cases 1 to 3, with their targets) are measurements, printed by
 * `npm run bench:simulate` (bench/simulate.ts).
 */
import { describe, expect, it } from 'vitest';
import { compareRun } from '../../../src/stats/compare-run.js';
import { decideGate } from '../../../src/stats/decide-gate.js';
import { historyPointOf } from '../../../src/model/history-point.js';
import { baseline, cell, DEFAULT_GATE, run, scaled } from './fixtures.js';

describe('audit case 1: one outlier trial does not hide a regression in its cell', () => {
  it('a 7-trial baseline with a 0.5× trial and current = baseline × 0.7: calibrating without history, fails with it', () => {
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
    const alone = decideGate(compareRun(current, baseline([base]), DEFAULT_GATE), 'regression', false);
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
    const gated = decideGate(compareRun(current, load, DEFAULT_GATE), 'regression', false);
    expect(gated).toMatchObject({ verdict: 'regression', shouldFail: true, regressedCells: ['8x1', '8x2'] });
  });
});
