import { describe, expect, it } from 'vitest';
import { renderHeadline } from '../../../src/report/render-header.js';
import type { Comparison, GateOutcome } from '../../../src/model/comparison.js';
import { makeCell, makeComparison, makeRun } from './make-comparison.js';

function gate(partial: Partial<GateOutcome>): GateOutcome {
  return { verdict: 'pass', shouldFail: false, message: '', regressedCells: [], toConfirm: [], ...partial };
}

function withCounts(comparison: Comparison, counts: Partial<Comparison['summary']['counts']>): Comparison {
  return { ...comparison, summary: { ...comparison.summary, counts: { ...comparison.summary.counts, ...counts } } };
}

const run = makeRun([makeCell(8, 1, 100), makeCell(8, 2, 190), makeCell(16, 1, 100), makeCell(16, 2, 200)]);

describe('renderHeadline', () => {
  it('names the worst regression', () => {
    const comparison = {
      ...withCounts(makeComparison(run), { regressed: 1, unchanged: 3 }),
      summary: {
        counts: { regressed: 1, failed: 0, improved: 0, unchanged: 3, inconclusive: 0, new: 0, missing: 0 },
        worst: { maxBatch: 16, users: 2, delta: -0.124 },
      },
    };
    expect(renderHeadline(comparison, gate({ verdict: 'regression', shouldFail: true }))).toBe(
      '❌ 1 of 4 cells regressed, worst −12.4% at max_batch 16 / 2 users',
    );
    expect(renderHeadline(comparison, gate({ verdict: 'regression', shouldFail: false, toConfirm: ['16x2'] }))).toBe(
      '⚠️ 1 of 4 cells regressed, worst −12.4% at max_batch 16 / 2 users (not yet confirmed by a re-measurement)',
    );
  });

  it('passes quietly when nothing changed', () => {
    expect(renderHeadline(makeComparison(run), gate({}))).toBe('✅ no regression in 4 cells');
  });

  it('warns about failed cells when they do not fail the check, and fails when they do', () => {
    const comparison = withCounts(makeComparison(run), { unchanged: 2, failed: 2 });
    expect(renderHeadline(comparison, gate({ verdict: 'failure' }))).toBe(
      '⚠️ no regression in 2 compared cells; 2 failed',
    );
    expect(renderHeadline(comparison, gate({ verdict: 'failure', shouldFail: true }))).toBe('❌ 2 of 4 cells failed');
  });

  it('leads with a run failure: a store that could not be read is never a first run', () => {
    const first = { ...makeComparison(run), baseline: undefined };
    const failed = gate({
      verdict: 'failure',
      shouldFail: true,
      runFailures: ['the baseline store could not be read: GitHub answered HTTP 502'],
    });
    expect(renderHeadline(first, failed)).toBe('❌ the baseline store could not be read: GitHub answered HTTP 502');
  });

  it('announces a first run', () => {
    const { baseline: _baseline, ...first } = withCounts(makeComparison(run, {}, 'new'), {});
    expect(renderHeadline(first, gate({}))).toBe('🆕 first run: no baseline yet');
  });
});
