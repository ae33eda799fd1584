import fc from 'fast-check';
import { probit } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../../src/model/run-result.js';
import { compareRun } from '../../../src/stats/compare-run.js';
import type { CellComparison } from '../../../src/model/comparison.js';
import { baseline, cell, DEFAULT_GATE, run, scaled } from './fixtures.js';

// Two stored runs of 5 trials around 1000 dps (CV ~1%): 10 pooled baseline trials.
const BASE_A = [1000, 1010, 990, 1005, 995];
const BASE_B = [1002, 1012, 992, 1007, 997];
const AT = { maxBatch: 8, users: 2 } as const;

function compareOne(current: Cell, baseCells: readonly Cell[]) {
  const load = baseline(baseCells.map((baseCell, i) => run(`base-${i}`, [baseCell])));
  return compareRun(run('current', [current]), load, DEFAULT_GATE);
}

function only(cells: readonly CellComparison[]): CellComparison {
  const [first] = cells;
  if (first === undefined) throw new Error('no cell');
  return first;
}

const twoRuns = [cell({ ...AT, dps: BASE_A }), cell({ ...AT, dps: BASE_B })];

describe('compareRun — verdict rules', () => {
  it('regressed: significant after BH and a median drop beyond the threshold', () => {
    const result = only(compareOne(cell({ ...AT, dps: scaled(BASE_A, 0.9) }), twoRuns).cells);
    expect(result.verdict).toBe('regressed');
    // Pooled baseline median: (1000 + 1002) / 2.
    expect(result.delta).toBeCloseTo(900 / 1001 - 1, 12);
    // 5 current trials all below 10 baseline trials: the exact minimum 1 / C(15, 5).
    expect(result.pValue).toBeCloseTo(1 / 3003, 12);
    expect(result.qValue).toBeCloseTo(1 / 3003, 12);
    expect(result.threshold).toBe(0.05);
    expect(result.baseline).toMatchObject({ trials: 10, runs: 2 });
    // Two nearly identical stored runs: the interval is narrow and lies wholly beyond −5%.
    expect(result.evidence).toBe('worse-beyond');
    expect(result.reason).toBe('−10.1% (q <0.001): significantly slower; the whole interval lies beyond −5%');
  });

  it('improved: the mirror image', () => {
    const result = only(compareOne(cell({ ...AT, dps: scaled(BASE_A, 1.1) }), twoRuns).cells);
    expect(result.verdict).toBe('improved');
    expect(result.delta).toBeGreaterThan(0.05);
  });

  it('unchanged: significant but smaller than min-effect', () => {
    const result = only(compareOne(cell({ ...AT, dps: scaled(BASE_A, 0.97) }), twoRuns).cells);
    expect(result.verdict).toBe('unchanged');
    expect(result.evidence).toBe('worse-within');
    expect(result.reason).toMatch(/significantly slower; the interval stops short of −5%: the change is smaller$/);
  });

  it('unchanged: a large drop that is not significant (one slow trial among normal ones)', () => {
    const current = cell({ ...AT, dps: [700, 1001, 999, 1003, 995] });
    const result = only(compareOne(current, twoRuns).cells);
    expect(result.verdict).toBe('unchanged');
    expect(result.reason).toMatch(/not significant/);
  });

  it('the threshold grows to 2 × baseline noise: a 7% drop under 4% between-run noise is not a regression', () => {
    // Run medians 1000 and 1057: one pairwise difference ln 1.057, robust between-run noise
    // 1.4826 · ln 1.057 / √2 ≈ 5.8% → threshold ≈ 11.6%.
    const noisyRuns = [cell({ ...AT, dps: BASE_A }), cell({ ...AT, dps: scaled(BASE_A, 1.057) })];
    const result = only(compareOne(cell({ ...AT, dps: scaled(BASE_A, 0.955) }), noisyRuns).cells);
    expect(result.noise).toBeCloseTo((1.4826 * Math.log(1.057)) / Math.SQRT2, 12);
    expect(result.threshold).toBeCloseTo(2 * (result.noise ?? 0), 12);
    expect(result.delta).toBeLessThan(-0.06);
    expect(result.verdict).toBe('unchanged');
  });

  it('failed: the current cell failed, whatever the baseline', () => {
    const failed = cell({ ...AT, dps: [], status: 'failed', message: 'model did not load' });
    const result = only(compareOne(failed, twoRuns).cells);
    expect(result).toMatchObject({ verdict: 'failed', reason: 'cell failed: model did not load' });
    expect(result.baseline?.trials).toBe(10);
  });

  it('new: no baseline cell', () => {
    const result = compareOne(cell({ ...AT, dps: BASE_A }), [cell({ maxBatch: 16, users: 2, dps: BASE_A })]);
    expect(result.cells.map((c) => [c.maxBatch, c.users, c.verdict])).toEqual([
      [8, 2, 'new'],
      [16, 2, 'missing'],
    ]);
  });

  it('missing: baseline cells absent from the run come last, sorted by max_batch then users', () => {
    const load = baseline([
      run('b', [
        cell({ maxBatch: 32, users: 1, dps: BASE_A }),
        cell({ maxBatch: 8, users: 4, dps: BASE_A }),
        cell({ maxBatch: 8, users: 1, dps: BASE_A }),
      ]),
    ]);
    const result = compareRun(run('c', [cell({ maxBatch: 8, users: 1, dps: BASE_A })]), load, DEFAULT_GATE);
    expect(result.cells.map((c) => `${c.maxBatch}x${c.users}:${c.verdict}`)).toEqual([
      '8x1:unchanged',
      '8x4:missing',
      '32x1:missing',
    ]);
  });

  it.each([
    [[1000, 1001], BASE_A, '2 current trials, need 3'],
    [BASE_A, [1000, 1001], '2 baseline trials, need 3'],
    [[1000], [1000], '1 current and 1 baseline trials, need 3 each'],
  ])('inconclusive: too few successful trials (%j vs %j)', (currentDps, baseDps, reason) => {
    // Errored trials are recorded but never count.
    const current = cell({ ...AT, dps: currentDps, erroredDps: [1, 2, 3] });
    const result = only(compareOne(current, [cell({ ...AT, dps: baseDps, erroredDps: [5] })]).cells);
    expect(result).toMatchObject({ verdict: 'inconclusive', reason });
  });

  it('inconclusive: a baseline too noisy for "unchanged" to mean anything', () => {
    const wild = [cell({ ...AT, dps: [500, 1500, 1000, 700, 1300] })];
    const result = only(compareOne(cell({ ...AT, dps: [950, 1000, 1050, 990, 1010] }), wild).cells);
    expect(result.verdict).toBe('inconclusive');
    // Robust CV: 1.4826 · median |ln(x / 1000)| = 1.4826 · ln(1000 / 700) = 52.9%.
    expect(result.reason).toMatch(/^baseline noise 52\.9% is too high to tell$/);
  });

  it('inconclusive: a current side too noisy, unless the drop is clear anyway', () => {
    const noisy = only(compareOne(cell({ ...AT, dps: [500, 1500, 1000, 700, 1300] }), twoRuns).cells);
    expect(noisy).toMatchObject({ verdict: 'inconclusive' });
    expect(noisy.reason).toMatch(/^current trial spread 52\.9% \(robust CV\)/);
    const brokenAndSlow = only(compareOne(cell({ ...AT, dps: [100, 300, 200, 150, 250] }), twoRuns).cells);
    expect(brokenAndSlow.verdict).toBe('regressed');
  });
});

describe('compareRun — Benjamini-Hochberg across the matrix', () => {
  const users = Array.from({ length: 10 }, (_, i) => i + 1);
  const rows = [8, 16, 32, 64];
  const matrix = (factor: (mb: number, u: number) => number, base: readonly number[]) =>
    rows.flatMap((maxBatch) =>
      users.map((u) => cell({ maxBatch, users: u, dps: scaled(base, factor(maxBatch, u) * maxBatch * u) })),
    );

  it('5 vs 5: a single-cell 10% drop cannot be significant among 40 cells, a uniform one is', () => {
    const load = baseline([
      run(
        'b',
        matrix(() => 1, BASE_A),
      ),
    ]);
    const single = compareRun(
      run(
        'c',
        matrix((mb, u) => (mb === 32 && u === 8 ? 0.9 : 1), BASE_A),
      ),
      load,
      DEFAULT_GATE,
    );
    expect(single.summary.counts.regressed).toBe(0);
    // p = 1/252 ≈ 0.004 > 0.05/40: BH needs at least 4 such cells.
    expect(single.notes.join('\n')).toMatch(
      /smallest possible p-value is 0\.004: a change must show in at least 4 of 40 cells/,
    );
    const uniform = compareRun(
      run(
        'c',
        matrix(() => 0.9, BASE_A),
      ),
      load,
      DEFAULT_GATE,
    );
    expect(uniform.summary.counts.regressed).toBe(40);
  });

  it('5 vs 10 (two pooled baseline runs): the single-cell 10% drop is caught', () => {
    const load = baseline([
      run(
        'b1',
        matrix(() => 1, BASE_A),
      ),
      run(
        'b2',
        matrix(() => 1, BASE_B),
      ),
    ]);
    const single = compareRun(
      run(
        'c',
        matrix((mb, u) => (mb === 32 && u === 8 ? 0.9 : 1), BASE_A),
      ),
      load,
      DEFAULT_GATE,
    );
    expect(single.cells.filter((c) => c.verdict === 'regressed').map((c) => `${c.maxBatch}x${c.users}`)).toEqual([
      '32x8',
    ]);
    expect(single.notes.join('\n')).not.toMatch(/smallest possible p-value/);
  });
});

describe('compareRun — run-to-run noise', () => {
  const users = Array.from({ length: 10 }, (_, i) => i + 1);
  const rows = [8, 16, 32, 64];
  const tight = [0.998, 0.999, 1, 1.001, 1.002];
  // Stored runs whose cell medians move ±3% from run to run (a realistic runner), with tight trials.
  const storedRun = (r: number) =>
    run(
      `base-${r}`,
      rows.flatMap((maxBatch, i) =>
        users.map((u) => {
          const factor = [0.97, 1, 1.03][(r + i + u) % 3] ?? 1;
          return cell({ maxBatch, users: u, dps: scaled(tight, 1000 * factor * maxBatch * u) });
        }),
      ),
    );
  const currentRun = run(
    'c',
    rows.flatMap((maxBatch) =>
      users.map((u) =>
        cell({ maxBatch, users: u, dps: scaled(tight, 1000 * maxBatch * u * (maxBatch === 32 && u === 8 ? 0.93 : 1)) }),
      ),
    ),
  );

  it('a drop within what stored runs show between runs is not a regression, though every trial is lower', () => {
    const result = compareRun(currentRun, baseline([0, 1, 2].map(storedRun)), DEFAULT_GATE);
    const target = result.cells.find((c) => c.maxBatch === 32 && c.users === 8);
    expect(target?.delta).toBeCloseTo(-0.07, 2);
    expect(target?.threshold).toBeCloseTo(0.06, 2);
    expect(target?.verdict).toBe('unchanged');
    const noiseNote = result.notes.find((note) => note.startsWith('run-to-run noise'));
    expect(noiseNote).toMatch(/^run-to-run noise 3\.\d% \(3\.\d% across 3 baseline runs\)$/);
  });

  it('with one stored run and no history, run-to-run noise is assumed (half of min-effect here) and said so', () => {
    const result = compareRun(currentRun, baseline([storedRun(1)]), DEFAULT_GATE);
    expect(result.notes.join('\n')).toMatch(/run-to-run noise not measured yet .*: assumed 2\.5%/);
    expect(result.cells.every((c) => c.noise === 0.025)).toBe(true);
  });
});

describe('compareRun — invariants (property-based)', () => {
  const dpsArray = fc.array(fc.double({ min: 500, max: 1500, noNaN: true }), { minLength: 3, maxLength: 8 });

  it('verdicts (and everything else) do not depend on the order of trials or baseline runs', () => {
    fc.assert(
      fc.property(dpsArray, dpsArray, dpsArray, (current, baseA, baseB) => {
        const forward = compareRun(
          run('c', [cell({ ...AT, dps: current })]),
          baseline([run('a', [cell({ ...AT, dps: baseA })]), run('b', [cell({ ...AT, dps: baseB })])]),
          DEFAULT_GATE,
        );
        const backward = compareRun(
          run('c', [cell({ ...AT, dps: [...current].reverse() })]),
          baseline([run('b', [cell({ ...AT, dps: [...baseB].reverse() })]), run('a', [cell({ ...AT, dps: baseA })])]),
          DEFAULT_GATE,
        );
        expect(backward.cells).toEqual(forward.cells);
      }),
      { seed: 3, numRuns: 100 },
    );
  });

  it('identical samples never regress (nor improve)', () => {
    fc.assert(
      fc.property(dpsArray, dpsArray, (a, b) => {
        const load = baseline([run('a', [cell({ ...AT, dps: a })]), run('b', [cell({ ...AT, dps: b })])]);
        const same = compareRun(run('c', [cell({ ...AT, dps: [...a, ...b] })]), load, DEFAULT_GATE);
        expect(['unchanged', 'inconclusive']).toContain(only(same.cells).verdict);
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('a large consistent drop always regresses, in every cell', () => {
    const steady = fc.array(fc.double({ min: 1000, max: 1100, noNaN: true }), { minLength: 5, maxLength: 8 });
    fc.assert(
      fc.property(steady, steady, fc.double({ min: 0.2, max: 0.9, noNaN: true }), (a, b, drop) => {
        const keys = [1, 2, 4, 8];
        const load = baseline([
          run(
            'a',
            keys.map((u) => cell({ maxBatch: 8, users: u, dps: scaled(a, u) })),
          ),
          run(
            'b',
            keys.map((u) => cell({ maxBatch: 8, users: u, dps: scaled(b, u) })),
          ),
        ]);
        const current = run(
          'c',
          keys.map((u) => cell({ maxBatch: 8, users: u, dps: scaled(a, u * (1 - drop)) })),
        );
        const result = compareRun(current, load, DEFAULT_GATE);
        expect(result.summary.counts.regressed).toBe(keys.length);
      }),
      { seed: 9, numRuns: 200 },
    );
  });
});

describe('compareRun — confirmation, summary, history, notes', () => {
  it('marks re-measured cells confirmed when still regressed, not-confirmed otherwise', () => {
    const load = baseline([
      run('a', [cell({ maxBatch: 8, users: 1, dps: BASE_A }), cell({ ...AT, dps: BASE_A })]),
      run('b', [cell({ maxBatch: 8, users: 1, dps: BASE_B }), cell({ ...AT, dps: BASE_B })]),
    ]);
    const current = run('c', [
      cell({ maxBatch: 8, users: 1, dps: scaled(BASE_A, 0.85) }),
      cell({ ...AT, dps: BASE_A }),
    ]);
    const result = compareRun(current, load, DEFAULT_GATE, { confirmed: new Set(['8x1', '8x2']) });
    expect(result.cells.map((c) => [c.verdict, c.confirmation])).toEqual([
      ['regressed', 'confirmed'],
      ['unchanged', 'not-confirmed'],
    ]);
    expect(result.notes).toContain('re-measured 2 flagged cells: 8x1 confirmed, 8x2 not-confirmed');
  });

  it('fills summary counts and the worst regression', () => {
    const load = baseline([
      run(
        'a',
        [1, 2, 3, 4].map((u) => cell({ maxBatch: 8, users: u, dps: BASE_A })),
      ),
      run(
        'b',
        [1, 2, 3, 4].map((u) => cell({ maxBatch: 8, users: u, dps: BASE_B })),
      ),
    ]);
    const current = run('c', [
      cell({ maxBatch: 8, users: 1, dps: scaled(BASE_A, 0.9) }),
      cell({ maxBatch: 8, users: 2, dps: scaled(BASE_A, 0.8) }),
      cell({ maxBatch: 8, users: 3, dps: [], status: 'failed' }),
      cell({ maxBatch: 16, users: 1, dps: BASE_A }),
    ]);
    const result = compareRun(current, load, DEFAULT_GATE);
    expect(result.summary.counts).toEqual({
      regressed: 2,
      failed: 1,
      improved: 0,
      unchanged: 0,
      inconclusive: 0,
      new: 1,
      missing: 1,
    });
    expect(result.summary.worst).toMatchObject({ maxBatch: 8, users: 2 });
    expect(result.summary.worst?.delta).toBeCloseTo(800 / 1001 - 1, 12);
  });

  it('appends the current run to the stored history (best dps per max_batch, latency medians, failed cells skipped)', () => {
    const stored = { runId: 'old', startedAt: '2025-12-01T00:00:00Z', bestDps: { '8': 900 } };
    const load = { ...baseline([run('a', [cell({ ...AT, dps: BASE_A })])]), history: [stored] };
    const current = run(
      'c',
      [
        cell({ maxBatch: 8, users: 1, dps: [500, 500, 500] }),
        cell({ maxBatch: 8, users: 2, dps: [700, 700, 700] }),
        cell({ maxBatch: 16, users: 1, dps: [], status: 'failed' }),
      ],
      'def5678',
    );
    const result = compareRun(current, load, DEFAULT_GATE);
    expect(result.history).toEqual([
      stored,
      {
        runId: 'c',
        sha: 'def5678',
        startedAt: '2026-01-01T00:00:00Z',
        bestDps: { '8': 700 },
        cellDps: { '8x1': 500, '8x2': 700 },
        // The fixtures' trials all have p50 1, p90 2, p99 3 ms.
        cellLatencyMs: { '8x1': { p50: 1, p90: 2, p99: 3 }, '8x2': { p50: 1, p90: 2, p99: 3 } },
      },
    ]);
  });

  it('the interval is the between-run test inverted: ln(1 + Δ) ± z(1 − alpha) · noise · √(1 + 1/R)', () => {
    const current = cell({ ...AT, dps: scaled(BASE_A, 0.9) });
    const measured = only(compareOne(current, twoRuns).cells);
    // Run medians 1000 and 1002: run-to-run noise 1.4826 · ln(1.002) / √2, two runs.
    const noise = (1.4826 * Math.log(1002 / 1000)) / Math.SQRT2;
    // z from simple-statistics' probit, whose approximation gives 1.6434 for 1.6449.
    const half = probit(0.95) * noise * Math.sqrt(1 + 1 / 2);
    const centre = Math.log(900 / 1001);
    expect(measured.deltaCi?.[0]).toBeCloseTo(Math.exp(centre - half) - 1, 6);
    expect(measured.deltaCi?.[1]).toBeCloseTo(Math.exp(centre + half) - 1, 6);
    // One stored run, no history: noise assumed at min-effect / 2 = 2.5%, so the interval
    // −15.1% … −4.6% reaches −5% without lying beyond it.
    const load = baseline([run('a', [cell({ ...AT, dps: BASE_A })])]);
    const assumed = only(compareRun(run('c', [current]), load, DEFAULT_GATE).cells);
    const wide = probit(0.95) * 0.025 * Math.SQRT2;
    expect(assumed.deltaCi?.[0]).toBeCloseTo(0.9 * Math.exp(-wide) - 1, 6);
    expect(assumed.deltaCi?.[1]).toBeCloseTo(0.9 * Math.exp(wide) - 1, 6);
    expect(assumed.evidence).toBe('worse-reaches');
  });

  it('the gate policy decides which significant drops count', () => {
    // −10% against one stored run (noise assumed 2.5%): the interval reaches −5%, not beyond it.
    const current = run('c', [cell({ ...AT, dps: scaled(BASE_A, 0.9) })]);
    const load = baseline([run('a', [cell({ ...AT, dps: BASE_A })]), run('b', [cell({ ...AT, dps: BASE_B })])]);
    const verdict = (policy: 'auto' | 'established' | 'estimate' | 'not-ruled-out') =>
      only(compareRun(current, load, { ...DEFAULT_GATE, policy }).cells).verdict;
    // Two close runs: the whole interval lies beyond −5%, which every policy counts.
    expect(['auto', 'established', 'estimate', 'not-ruled-out'].map((p) => verdict(p as 'auto'))).toEqual([
      'regressed',
      'regressed',
      'regressed',
      'regressed',
    ]);
    const single = baseline([run('a', [cell({ ...AT, dps: BASE_A })])]);
    const wide = (policy: 'established' | 'estimate') =>
      only(compareRun(current, single, { ...DEFAULT_GATE, policy }).cells);
    // One run, noise assumed: −10% is significant and its estimate beyond 5%, but the interval
    // (−15.1% … −4.6%) does not establish a 5% drop: inconclusive under established.
    expect(wide('estimate').verdict).toBe('regressed');
    expect(wide('established')).toMatchObject({ verdict: 'inconclusive', evidence: 'worse-reaches' });
    expect(wide('established').reason).toMatch(/not counted under gate-policy established$/);
  });

  it('reports the baseline, the store notes and environment mismatches', () => {
    const base = run('base-1', [cell({ ...AT, dps: BASE_A })]);
    const older = { ...base, environment: { ...base.environment, tritonVersion: '2.50.0' } };
    const load = { ...baseline([older], 'ancestor'), notes: ['skipped corrupt file x.json'] };
    const result = compareRun(run('c', [cell({ ...AT, dps: BASE_A })]), load, DEFAULT_GATE);
    expect(result.baseline).toEqual({
      runIds: ['base-1'],
      sha: 'abc1234',
      selectedBy: 'ancestor',
      measuredAt: '2026-01-01T00:00:00Z',
    });
    expect(result.notes).toContain('baseline: 1 stored run pooled, selected by ancestor');
    expect(result.notes).toContain('skipped corrupt file x.json');
    expect(result.notes).toContain(
      'Triton differs: 2.50.0 (baseline) vs 2.51.0 (this run): not a like-for-like comparison, the deltas include this difference',
    );
    expect(result.mismatches).toEqual([{ what: 'Triton', baseline: '2.50.0', current: '2.51.0', weight: 'untrusted' }]);
  });

  it('has no mismatches when the fingerprints agree', () => {
    const base = run('base-1', [cell({ ...AT, dps: BASE_A })]);
    const result = compareRun(run('c', [cell({ ...AT, dps: BASE_A })]), baseline([base]), DEFAULT_GATE);
    expect(result).not.toHaveProperty('mismatches');
  });

  it('notes cells that stayed noisy and compares them like any other', () => {
    const noisy = { ...cell({ ...AT, dps: BASE_A }), status: 'noisy' as const };
    const result = compareRun(run('c', [noisy]), baseline([run('a', [cell({ ...AT, dps: BASE_A })])]), DEFAULT_GATE);
    expect(only(result.cells).verdict).toBe('unchanged');
    expect(result.notes).toContain('1 cell stayed noisy after re-runs (8x2): their verdicts are less certain');
  });

  it('without a baseline every cell is new (or failed) and the comparison has no baseline', () => {
    const current = run('c', [
      cell({ ...AT, dps: BASE_A }),
      cell({ maxBatch: 16, users: 1, dps: [], status: 'failed' }),
    ]);
    const result = compareRun(current, baseline([], 'none'), DEFAULT_GATE);
    expect(result.baseline).toBeUndefined();
    expect(result.cells.map((c) => c.verdict)).toEqual(['new', 'failed']);
    expect(result.notes[0]).toBe('no baseline (selected by: none): cells are new, none can regress');
  });
});
