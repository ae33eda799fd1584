import { describe, expect, it } from 'vitest';
import type { CellComparison, Comparison, LatencyCellComparison, Verdict } from '../../../src/model/comparison.js';
import { summarizeComparison } from '../../../src/stats/comparison-summary.js';
import { decideGate } from '../../../src/stats/decide-gate.js';
import { cell, run } from './fixtures.js';
import type { Cell } from '../../../src/model/run-result.js';

function comparisonOf(
  cells: readonly CellComparison[],
  hasBaseline = true,
  runCells: readonly Cell[] = [],
): Comparison {
  return {
    run: run('c', runCells),
    ...(hasBaseline ? { baseline: { runIds: ['b'], selectedBy: 'merge-base' } } : {}),
    cells,
    summary: summarizeComparison(cells),
    history: [],
    notes: [],
  };
}

function at(maxBatch: number, users: number, verdict: Verdict, extra: Partial<CellComparison> = {}): CellComparison {
  return { maxBatch, users, verdict, reason: '', ...extra };
}

/** 40 cells, of which the given ones replace unchanged cells. */
function matrix(special: readonly CellComparison[]): CellComparison[] {
  const cells: CellComparison[] = [];
  for (const maxBatch of [8, 16, 32, 64]) {
    for (let users = 1; users <= 10; users++) {
      cells.push(special.find((c) => c.maxBatch === maxBatch && c.users === users) ?? at(maxBatch, users, 'unchanged'));
    }
  }
  return cells;
}

const TWO_REGRESSED = matrix([at(32, 8, 'regressed', { delta: -0.1237 }), at(64, 8, 'regressed', { delta: -0.061 })]);

describe('decideGate', () => {
  it('regression: fails on regressed cells with a one-line message naming the worst', () => {
    const outcome = decideGate(comparisonOf(TWO_REGRESSED), 'regression', false);
    expect(outcome).toEqual({
      verdict: 'regression',
      shouldFail: true,
      message: '2 of 40 cells regressed, worst −12.4% at max_batch 32 / 8 users',
      regressedCells: ['32x8', '64x8'],
      failedCells: [],
      toConfirm: [],
    });
  });

  it('regression: a cell that failed in the baseline too is reported, not counted', () => {
    const cells = matrix([at(8, 1, 'improved', { delta: 0.08 }), at(8, 2, 'failed')]);
    const outcome = decideGate(comparisonOf(cells), 'regression', false);
    expect(outcome).toMatchObject({ verdict: 'failure', shouldFail: false, regressedCells: [], failedCells: [] });
    expect(outcome.message).toBe(
      'no regression in 40 cells; 1 failed (1 also failed in the baseline, not counted); 1 improved',
    );
  });

  it('regression: fails on a cell that loaded on the base and fails on the head', () => {
    const side = { dpsMedian: 100, trials: 5, cv: 0.01 };
    const outcome = decideGate(comparisonOf(matrix([at(64, 3, 'failed', { baseline: side })])), 'regression', false);
    expect(outcome).toMatchObject({ verdict: 'failure', shouldFail: true, regressedCells: [], failedCells: ['64x3'] });
    expect(outcome.message).toBe('no regression in 40 cells; 1 failed');
  });

  it('regression: fails on failed cells when there is no baseline to show they failed before', () => {
    const outcome = decideGate(comparisonOf([at(8, 1, 'new'), at(16, 1, 'failed')], false), 'regression', false);
    expect(outcome).toMatchObject({ verdict: 'failure', shouldFail: true, failedCells: ['16x1'] });
  });

  it('regression: fails on errored trials in a cell that still has enough good ones', () => {
    const errored = cell({ maxBatch: 8, users: 4, dps: [100, 101, 99], erroredDps: [50] });
    const outcome = decideGate(comparisonOf(matrix([]), true, [errored]), 'regression', false);
    expect(outcome).toMatchObject({ verdict: 'failure', shouldFail: true, failedCells: ['8x4'] });
    expect(outcome.message).toBe('no regression in 40 cells; 1 cell with errored trials');
  });

  it('any-failure: also fails on cells that failed in the baseline too', () => {
    const outcome = decideGate(comparisonOf(matrix([at(8, 2, 'failed')])), 'any-failure', false);
    expect(outcome).toMatchObject({ verdict: 'failure', shouldFail: true, failedCells: ['8x2'] });
  });

  it('cancelled: verdict cancelled and the gate fails, whatever fail-on says', () => {
    for (const failOn of ['regression', 'never', 'any-failure'] as const) {
      const outcome = decideGate(comparisonOf(matrix([])), failOn, false, { isCancelled: true });
      expect(outcome).toMatchObject({ verdict: 'cancelled', shouldFail: true });
      expect(outcome.message).toMatch(/^the run was cancelled; /);
    }
  });

  it('never: never fails, but the verdict still says regression', () => {
    const outcome = decideGate(comparisonOf(TWO_REGRESSED), 'never', false);
    expect(outcome).toMatchObject({ verdict: 'regression', shouldFail: false, regressedCells: ['32x8', '64x8'] });
    expect(outcome.message).toMatch(/\(fail-on: never\)$/);
  });

  it('confirmation on, no re-measurement yet: fails closed and lists the cells to re-measure', () => {
    const outcome = decideGate(comparisonOf(TWO_REGRESSED), 'regression', true);
    expect(outcome).toMatchObject({ verdict: 'regression', shouldFail: true, toConfirm: ['32x8', '64x8'] });
    expect(outcome.message).toMatch(/not yet confirmed by a re-measurement$/);
  });

  it('confirmation on, after re-measurement: only confirmed cells fail', () => {
    const cells = matrix([
      at(32, 8, 'regressed', { delta: -0.12, confirmation: 'confirmed' }),
      at(64, 8, 'unchanged', { delta: -0.02, confirmation: 'not-confirmed' }),
    ]);
    const outcome = decideGate(comparisonOf(cells), 'regression', true);
    expect(outcome).toMatchObject({ verdict: 'regression', shouldFail: true, regressedCells: ['32x8'], toConfirm: [] });
    expect(outcome.message).toBe(
      '1 of 40 cells regressed, worst −12.0% at max_batch 32 / 8 users; 1 cell flagged, not confirmed on re-measurement',
    );
  });

  it('confirmation on: a flagged cell that was not confirmed is no failure', () => {
    const cells = matrix([at(64, 8, 'unchanged', { delta: -0.02, confirmation: 'not-confirmed' })]);
    const outcome = decideGate(comparisonOf(cells), 'regression', true);
    expect(outcome).toMatchObject({ verdict: 'pass', shouldFail: false, regressedCells: [], toConfirm: [] });
  });

  it('confirmation on: a cell regressed only in the pooled pass counts only once re-measured', () => {
    const cells = matrix([
      at(64, 8, 'unchanged', { confirmation: 'not-confirmed' }),
      at(16, 1, 'regressed', { delta: -0.07 }),
    ]);
    const outcome = decideGate(comparisonOf(cells), 'regression', true);
    expect(outcome).toMatchObject({ verdict: 'pass', shouldFail: false });
    expect(outcome.message).toMatch(/1 cell also regressed, not re-measured/);
  });

  it('says when there was no baseline', () => {
    const outcome = decideGate(comparisonOf([at(8, 1, 'new'), at(8, 2, 'new')], false), 'regression', true);
    expect(outcome).toMatchObject({
      verdict: 'pass',
      shouldFail: false,
      message: 'no baseline to compare with (2 cells)',
    });
  });

  it('uses the singular for one user', () => {
    const outcome = decideGate(comparisonOf([at(8, 1, 'regressed', { delta: -0.2 })]), 'regression', false);
    expect(outcome.message).toBe('1 of 1 cell regressed, worst −20.0% at max_batch 8 / 1 user');
  });

  it('fails when nothing was measured, even under fail-on regression (nothing was gated)', () => {
    const allFailed = matrix([]).map((cell) => ({ ...cell, verdict: 'failed' as const }));
    const outcome = decideGate(comparisonOf(allFailed), 'regression', true);
    expect(outcome.shouldFail).toBe(true);
    expect(outcome.verdict).toBe('failure');
    expect(outcome.message).toMatch(/^nothing was measured: every cell failed \(40 cells\)/);
    expect(decideGate(comparisonOf(allFailed), 'never', true).shouldFail).toBe(false);
  });

  describe('latency gate', () => {
    const latencyCell = (
      maxBatch: number,
      users: number,
      verdict: Verdict,
      extra: Partial<LatencyCellComparison> = {},
    ): LatencyCellComparison => ({ maxBatch, users, verdict, reason: '', threshold: 0.1, ...extra });
    const withLatency = (cells: readonly LatencyCellComparison[], calibrating = false): Comparison => ({
      ...comparisonOf(matrix([]), true, [cell({ maxBatch: 8, users: 1, dps: [100, 100, 100] })]),
      latency: {
        percentile: 'p99',
        minEffect: 0.1,
        cells,
        notes: [],
        ...(calibrating
          ? {
              calibration: {
                isCalibrating: true,
                historyRuns: 0,
                neededHistoryRuns: 5,
                baselineRuns: 1,
                neededBaselineRuns: 3,
              },
            }
          : {}),
      },
    });
    const risen = latencyCell(32, 8, 'regressed', { delta: 0.35, evidence: 'worse-beyond' });

    it('a p99 regression fails while dps holds, and is named in the message and the output', () => {
      const outcome = decideGate(withLatency([latencyCell(8, 1, 'unchanged'), risen]), 'regression', false);
      expect(outcome).toMatchObject({
        verdict: 'regression',
        shouldFail: true,
        regressedCells: [],
        latencyRegressedCells: ['32x8'],
      });
      expect(outcome.message).toBe(
        'p99 regressed in 1 of 2 cells (1 p99 ≥ 10% higher), worst +35.0% at max_batch 32 / 8 users',
      );
    });

    it('re-measures a p99 regression before it counts, like dps', () => {
      const before = decideGate(withLatency([risen]), 'regression', true);
      expect(before).toMatchObject({ shouldFail: true, toConfirm: ['32x8'] });
      const confirmed = decideGate(withLatency([{ ...risen, confirmation: 'confirmed' }]), 'regression', true);
      expect(confirmed).toMatchObject({ shouldFail: true, toConfirm: [], latencyRegressedCells: ['32x8'] });
      const cleared = decideGate(
        withLatency([{ ...risen, verdict: 'unchanged', confirmation: 'not-confirmed' }]),
        'regression',
        true,
      );
      expect(cleared).toMatchObject({ verdict: 'pass', shouldFail: false, latencyRegressedCells: [] });
    });

    it('reports, and does not count, a p99 regression while its noise is not measured', () => {
      const outcome = decideGate(withLatency([risen], true), 'regression', true);
      expect(outcome).toMatchObject({ verdict: 'pass', shouldFail: false, latencyRegressedCells: [], toConfirm: [] });
      expect(outcome.message).toMatch(/p99 regressed in 1 cell, not counted: its noise is not measured yet$/);
    });
  });
});
