import { describe, expect, it } from 'vitest';
import type { Cell, RunResult, Trial } from '../../../src/model/run-result.js';
import {
  comparePairedLatency,
  compareStoredLatency,
  rateDropOf,
  rateRunOf,
} from '../../../src/stats/compare-latency.js';
import { baseline, cell, run, trial } from './fixtures.js';

const GATE = { alpha: 0.05, policy: 'auto', latency: { percentile: 'p99', minEffect: 0.1 } } as const;

/** A trial of 1000 dps whose p99 is `p99` ms (p50 and p90 below it). */
function latencyTrial(p99: number, round?: number): Trial {
  return {
    ...trial(1000),
    latencyMs: { p50: p99 / 3, p90: p99 / 2, p99, max: p99 * 1.2, mean: p99 / 3 },
    ...(round === undefined ? {} : { round }),
  };
}

function latencyCell(users: number, p99s: readonly number[], paired = false): Cell {
  return {
    ...cell({ maxBatch: 8, users, dps: p99s.map(() => 1000) }),
    trials: p99s.map((p99, index) => latencyTrial(p99, paired ? index : undefined)),
  };
}

/** Rounds' p99 around `centre` ms (no two equal: the signed-rank test sees every round). */
function rounds(centre: number): number[] {
  return Array.from({ length: 10 }, (_, index) => centre * (1 + 0.01 * (((index * 7) % 10) - 4.5)));
}

function pairedRun(head: readonly number[][], base: readonly number[][]): RunResult {
  const cells = (sides: readonly number[][]): Cell[] => sides.map((p99s, index) => latencyCell(index + 1, p99s, true));
  return {
    ...run('paired', cells(head)),
    base: { model: 'base', serverAddress: '127.0.0.1:8001', minRounds: 5, maxRounds: 10, cells: cells(base) },
  };
}

describe('comparePairedLatency', () => {
  it('catches a p99 rise in one cell while its dps holds, and words it', () => {
    const base = [rounds(10), rounds(10), rounds(10)];
    const head = [rounds(10), rounds(15), rounds(10.2)];
    const result = comparePairedLatency(pairedRun(head, base), GATE, { seed: 1, looks: 6 });
    expect(result.cells.map((c) => [c.users, c.verdict, c.evidence])).toEqual([
      [1, 'unchanged', 'same'],
      [2, 'regressed', 'worse-beyond'],
      [3, 'unchanged', 'worse-within'],
    ]);
    const risen = result.cells[1];
    expect(risen?.delta).toBeCloseTo(0.5, 2);
    expect(risen?.currentMs).toBeCloseTo(15, 0);
    expect(risen?.baselineMs).toBeCloseTo(10, 0);
    expect(risen?.deltaCi?.[0]).toBeGreaterThan(0.1);
    expect(risen?.reason).toBe('p99 significantly higher; the whole interval lies beyond +10% (10 rounds)');
    // A 2% rise, significant, its interval short of +10%: smaller than the effect, never counted.
    expect(result.cells[2]?.reason).toMatch(/^p99 significantly higher; the interval stops short of \+10%/);
  });

  it('a fall is the mirror image, and the threshold is the latency rise itself', () => {
    const result = comparePairedLatency(pairedRun([rounds(6)], [rounds(10)]), GATE, { seed: 1, looks: 6 });
    expect(result.cells[0]).toMatchObject({ verdict: 'improved', evidence: 'better-beyond', threshold: 0.1 });
    expect(rateDropOf(0.1)).toBeCloseTo(0.1 / 1.1, 12);
  });
});

describe('compareStoredLatency', () => {
  const stable = (id: string, factor: number): RunResult =>
    run(id, [
      latencyCell(
        1,
        [10, 10.1, 9.9, 10.05, 9.95].map((v) => v * factor),
      ),
    ]);

  it('tests trial percentiles against three stored runs: a 50% rise regresses', () => {
    const load = baseline([stable('a', 1), stable('b', 1.01), stable('c', 0.99)]);
    const result = compareStoredLatency(stable('head', 1.5), load, GATE);
    expect(result.calibration?.isCalibrating).toBe(false);
    expect(result.cells[0]).toMatchObject({ verdict: 'regressed', evidence: 'worse-beyond' });
    expect(result.cells[0]?.delta).toBeCloseTo(0.5, 2);
    expect(result.cells[0]?.reason).toMatch(/^\+50\.\d% \(q [<0-9.]+\): p99 significantly higher/);
  });

  it('calibrates while the latency noise rests on one stored run, and says so', () => {
    const result = compareStoredLatency(stable('head', 1.5), baseline([stable('a', 1)]), GATE);
    expect(result.calibration?.isCalibrating).toBe(true);
    expect(result.notes[0]).toMatch(/^latency gate: p99's run-to-run noise is not measured yet/);
  });

  it('a trial without a positive percentile does not count', () => {
    const rates = rateRunOf(run('x', [latencyCell(1, [10, 0, 20])]), 'p99');
    expect(rates.cells[0]?.trials.map((t) => [t.dps, t.errors])).toEqual([
      [100, 0],
      [1000, 1],
      [50, 0],
    ]);
    expect(rates.cells[0]?.dpsMedian).toBe(75);
  });
});
