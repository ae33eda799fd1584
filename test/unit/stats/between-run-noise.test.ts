import { describe, expect, it } from 'vitest';
import { betweenRunNoise, betweenRunPValues } from '../../../src/stats/between-run-noise.js';
import type { HistoryPoint } from '../../../src/model/comparison.js';

function history(values: readonly number[]): HistoryPoint[] {
  return values.map((value, i) => ({
    runId: `r${i}`,
    startedAt: `2026-01-0${i + 1}`,
    bestDps: { '8': value },
    cellDps: { '8x1': value },
  }));
}

const ASSUMPTION = { withinRunCv: 0.01, minEffect: 0.05 } as const;

describe('betweenRunNoise', () => {
  it('pools pairwise differences of log run medians over the matrix, robustly', () => {
    // Each cell: two runs 10% apart → |d| = ln 1.1 twice; sd = 1.4826 · median |d| / √2.
    const noise = betweenRunNoise({ runMedians: [[100, 110], [200, 220], [300]], history: [], ...ASSUMPTION });
    expect(noise.fromRuns).toEqual({
      cv: expect.closeTo((1.4826 * Math.log(1.1)) / Math.SQRT2, 12) as number,
      runs: 2,
    });
    expect(noise.cv).toBeCloseTo((1.4826 * Math.log(1.1)) / Math.SQRT2, 12);
    expect(noise).toMatchObject({ isAssumed: false });
    expect(noise.fromHistory).toBeUndefined();
  });

  it('estimates from history robustly: a level shift on the base branch does not inflate it', () => {
    // Differences ±ln 1.02 four times, then ln 1.5 (a real change): MAD = 2·ln 1.02 → 0.041520
    // (1.4826 · MAD / √2; Python statistics gives the same).
    const noise = betweenRunNoise({
      runMedians: [[100]],
      history: history([100, 102, 100, 102, 100, 150]),
      ...ASSUMPTION,
    });
    expect(noise.fromHistory?.points).toBe(6);
    expect(noise.cv).toBeCloseTo(0.0415204, 6);
    expect(noise.fromRuns).toBeUndefined();
  });

  it('takes the larger of the two estimates', () => {
    const noise = betweenRunNoise({
      runMedians: [[100, 110]],
      history: history([100, 102, 100, 102, 100]),
      ...ASSUMPTION,
    });
    expect(noise.cv).toBeCloseTo((1.4826 * Math.log(1.1)) / Math.SQRT2, 12);
    expect(noise.fromHistory?.cv).toBeLessThan(noise.cv);
  });

  it('a few cells measured badly in one run do not widen the estimate', () => {
    const cells = [
      [100, 102],
      [200, 204],
      [300, 306],
      [400, 300],
      [500, 510],
    ];
    const noise = betweenRunNoise({ runMedians: cells, history: [], ...ASSUMPTION });
    expect(noise.cv).toBeCloseTo((1.4826 * Math.log(1.02)) / Math.SQRT2, 12);
  });

  it('assumes max(within-run CV, min-effect / 2) until 2 baseline runs or 5 history points with cell medians exist', () => {
    const short = betweenRunNoise({
      runMedians: [[100], [200]],
      history: history([100, 102, 100, 102]),
      ...ASSUMPTION,
    });
    expect(short).toEqual({ cv: 0.025, isAssumed: true });
    const rowMaximaOnly = history([100, 102, 100, 102, 100, 150]).map(({ cellDps: _, ...point }) => point);
    expect(
      betweenRunNoise({ runMedians: [[100]], history: rowMaximaOnly, withinRunCv: 0.04, minEffect: 0.05 }),
    ).toEqual({ cv: 0.04, isAssumed: true });
  });
});

describe('betweenRunPValues', () => {
  it('is a normal test of the log median against the baseline runs (hand-computed)', () => {
    // z = ln(0.9) / (0.05 · √2) = −1.49002 → Φ = 0.0681091 (Python statistics.NormalDist).
    const single = betweenRunPValues(90, [100], 0.05);
    expect(single.pLess).toBeCloseTo(0.0681091, 6);
    expect(single.pGreater).toBeCloseTo(1 - 0.0681091, 6);
    // Three runs: z = (ln 95 − mean ln{100, 104, 98}) / (0.02 · √(4/3)) = −2.49557 → 0.0062878.
    expect(betweenRunPValues(95, [100, 104, 98], 0.02).pLess).toBeCloseTo(0.0062878, 6);
  });

  it('falls back to the sign of the difference when the stored runs show no noise at all', () => {
    expect(betweenRunPValues(90, [100, 100], 0)).toEqual({ pLess: 0, pGreater: 1 });
    expect(betweenRunPValues(100, [100, 100], 0)).toEqual({ pLess: 1, pGreater: 1 });
  });
});
