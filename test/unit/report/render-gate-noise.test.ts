import { describe, expect, it } from 'vitest';
import { renderHeadline } from '../../../src/report/render-header.js';
import { hoursBetween, renderGateNoise } from '../../../src/report/render-gate-noise.js';
import { compareRun } from '../../../src/stats/compare-run.js';
import { decideGate } from '../../../src/stats/decide-gate.js';
import { baseline, cell, DEFAULT_GATE, run, scaled } from '../stats/fixtures.js';

const DPS = [1000, 1010, 990, 1005, 995];
const cells = (factor: number) =>
  [1, 2, 3, 4].map((users) => cell({ maxBatch: 8, users, dps: scaled(DPS, users * factor) }));

function withStart(id: string, factor: number, startedAt: string) {
  return { ...run(id, cells(factor)), startedAt };
}

describe('renderGateNoise', () => {
  it('says the gate is calibrating, what is missing, the noise, what it can see and the baseline age', () => {
    const base = withStart('base', 1, '2026-01-01T00:00:00Z');
    const head = withStart('head', 0.7, '2026-01-04T06:00:00Z');
    const comparison = compareRun(head, baseline([base]), DEFAULT_GATE);
    const gate = decideGate(comparison, 'regression', false);
    expect(gate).toMatchObject({ verdict: 'calibrating', shouldFail: false });
    expect(renderHeadline(comparison, gate)).toBe(
      '🧪 calibrating (report-only, cannot fail yet): 4 of 4 cells would have regressed',
    );
    const text = renderGateNoise(comparison, gate) ?? '';
    expect(text).toContain(
      'calibrating: 0 of 5 runs (stored default-branch runs; or 1 of 3 runs of the base commit); paired mode gates from the first PR.',
    );
    // σ = 2.5% (min-effect / 2), R = 1: 1 − exp(−1.645 · 0.025 · √2) = 5.6%; one of 4 cells needs
    // p ≤ 0.05 / 4: 1 − exp(−2.241 · 0.025 · √2) = 7.6%. Trial noise 1.4826 · ln(1000 / 995) = 0.7%.
    expect(text).toContain(
      'This runner showed 2.5% (assumed, not yet measured) run-to-run noise and 0.7% trial ' +
        'noise: it can see ≥ 5.6% changes across the matrix, ≥ 7.6% in a single cell',
    );
    expect(text).toContain('baseline measured 3 days earlier');
  });

  it('names baseline runs set aside as outliers', () => {
    const runs = [
      withStart('b1', 1, '2026-01-01T00:00:00Z'),
      withStart('b2', 1.01, '2026-01-01T01:00:00Z'),
      withStart('b3', 0.75, '2026-01-01T02:00:00Z'),
    ];
    const comparison = compareRun(withStart('head', 1, '2026-01-01T05:00:00Z'), baseline(runs), DEFAULT_GATE);
    expect(comparison.outlierRuns?.map((r) => r.id)).toEqual(['b3']);
    expect(comparison.baseline?.runIds).toEqual(['b1', 'b2']);
    const gate = decideGate(comparison, 'regression', false);
    expect(renderGateNoise(comparison, gate)).toContain('Set aside as outlier baseline run: b3 (−25');
    expect(renderGateNoise(comparison, gate)).toContain('baseline measured 4 h earlier');
  });
});

describe('hoursBetween', () => {
  it('counts across months, leap days, years and zones; refuses timestamps without a zone', () => {
    expect(hoursBetween('2024-02-28T00:00:00Z', '2024-03-01T00:00:00Z')).toBe(48);
    // Fractions of a second count (the hand-made parser dropped them).
    expect(hoursBetween('2025-12-31T23:00:00.500Z', '2026-01-01T01:00:00Z')).toBeCloseTo(2 - 0.5 / 3600, 12);
    expect(hoursBetween('1970-01-01T00:00:00Z', '2000-01-01T00:00:00Z')).toBe(10957 * 24);
    expect(hoursBetween('2026-01-01T02:00:00+02:00', '2026-01-01T01:00:00Z')).toBe(1);
    // Without a zone the text would be read in the machine's local time.
    expect(hoursBetween('2026-01-01', '2026-01-02T00:00:00Z')).toBeUndefined();
    expect(hoursBetween('2026-01-01T00:00:00', '2026-01-02T00:00:00Z')).toBeUndefined();
    expect(hoursBetween('soon Z', '2026-01-02T00:00:00Z')).toBeUndefined();
  });
});

describe('sensitivity at 5 × 5 trials over 40 cells', () => {
  it('says a single-cell change can never be significant (min p 0.004 > 0.05 / 40)', () => {
    const grid = (factor: number) =>
      [8, 16, 32, 64].flatMap((maxBatch) =>
        Array.from({ length: 10 }, (_, u) => cell({ maxBatch, users: u + 1, dps: scaled(DPS, factor * (u + 1)) })),
      );
    const comparison = compareRun(run('head', grid(1)), baseline([run('base', grid(1))]), DEFAULT_GATE);
    expect(comparison.sensitivity?.singleCell).toBeUndefined();
    expect(renderGateNoise(comparison, decideGate(comparison, 'regression', false))).toContain(
      'a change confined to one cell can never be significant at these trial counts',
    );
  });
});
