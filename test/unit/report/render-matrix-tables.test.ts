import { describe, expect, it } from 'vitest';
import { buildMatrixView } from '../../../src/report/matrix-view.js';
import { dpsCellText, renderDpsSection } from '../../../src/report/render-matrix-tables.js';
import type { CellComparison } from '../../../src/model/comparison.js';
import { makeCell, makeComparison, makeRun } from './make-comparison.js';

function compared(partial: Partial<CellComparison>): CellComparison {
  return {
    maxBatch: 8,
    users: 1,
    verdict: 'unchanged',
    reason: '',
    current: { dpsMedian: 1111.4, trials: 5, cv: 0.01 },
    ...partial,
  };
}

describe('dpsCellText', () => {
  const cell = makeCell(8, 1, 1111.4);

  it.each<[Partial<CellComparison>, string]>([
    [{ verdict: 'regressed', delta: -0.131 }, '1,111&nbsp;🔴<br>−13.1%'],
    [{ verdict: 'improved', delta: 0.08 }, '1,111&nbsp;🟢<br>+8.0%'],
    [{ verdict: 'inconclusive', delta: 0.04 }, '1,111&nbsp;❔<br>+4.0%'],
    [{ verdict: 'unchanged', delta: 0.004 }, '1,111<br>+0.4%'],
    [{ verdict: 'new' }, '1,111&nbsp;🆕'],
    [{ verdict: 'missing' }, '➖'],
    [{ verdict: 'failed' }, '⚠️'],
  ])('%j → %s', (partial, expected) => {
    expect(dpsCellText(compared(partial), cell, true)).toBe(expected);
  });

  it('shows plain numbers on a first run and nothing outside the matrix', () => {
    expect(dpsCellText(compared({ verdict: 'new' }), cell, false)).toBe('1,111');
    expect(dpsCellText(undefined, undefined, true)).toBe('');
    expect(dpsCellText(undefined, makeCell(8, 1, 0, { status: 'failed' }), true)).toBe('⚠️');
  });
});

describe('renderDpsSection', () => {
  it('lays rows out as max_batch and columns as users, including baseline-only cells', () => {
    const comparison = makeComparison(makeRun([makeCell(16, 2, 300), makeCell(16, 1, 200), makeCell(8, 1, 100)]));
    const view = buildMatrixView({
      ...comparison,
      cells: [...comparison.cells, { maxBatch: 4, users: 3, verdict: 'missing', reason: 'baseline only' }],
    });
    const table = renderDpsSection(view, { trials: 5, hasBaseline: true })
      .split('\n')
      .filter((line) => line.startsWith('|'));
    expect(table).toEqual([
      '| max_batch | 1 | 2 | 3 |',
      '| --- | ---: | ---: | ---: |',
      '| **16** | 200<br>0.0% | 300<br>0.0% |  |',
      '| **8** | 100<br>0.0% |  |  |',
      '| **4** |  |  | ➖ |',
    ]);
  });

  it('says what a paired run measured: the head median over its rounds, Δ the head/base ratio', () => {
    const view = buildMatrixView(makeComparison(makeRun([makeCell(8, 1, 100)])));
    const lines = (rounds: { min: number; max: number }) =>
      renderDpsSection(view, { trials: 5, hasBaseline: true, pairedRounds: rounds }).split('\n');
    expect(lines({ min: 5, max: 9 })[0]).toBe(
      "#### Throughput (data items/s, head's median of 5–9 paired rounds): rows max_batch, columns users",
    );
    expect(lines({ min: 6, max: 6 })[0]).toBe(
      "#### Throughput (data items/s, head's median of 6 paired rounds): rows max_batch, columns users",
    );
    expect(lines({ min: 6, max: 6 }).at(-1)).toMatch(/ · Δ = median head\/base ratio of the rounds$/);
    expect(renderDpsSection(view, { trials: 5, hasBaseline: true }).split('\n')[0]).toBe(
      '#### Throughput (data items/s, median of 5 trials): rows max_batch, columns users',
    );
  });
});
