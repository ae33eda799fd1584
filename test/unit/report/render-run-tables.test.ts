import { describe, expect, it } from 'vitest';
import { renderRunTables } from '../../../src/report/render-run-tables.js';
import { renderTextTable } from '../../../src/report/text-table.js';
import type { Trial } from '../../../src/model/run-result.js';
import { makeCell, makeRun } from './make-comparison.js';

describe('renderTextTable', () => {
  it('left-aligns the first column, right-aligns the rest', () => {
    expect(
      renderTextTable({
        title: 'T',
        header: ['mb', '1', '10'],
        rows: [
          ['8', '1,111', '5'],
          ['64', '9', 'failed'],
        ],
      }),
    ).toBe(['T', 'mb      1      10', '-----------------', '8   1,111       5', '64      9  failed'].join('\n'));
  });
});

describe('renderRunTables', () => {
  it('prints dps, requests/s, p99 and formed batch tables with noisy and failed cells marked', () => {
    const run = makeRun([
      makeCell(8, 1, 220),
      makeCell(8, 2, 400, { status: 'noisy', cv: 0.2 }),
      makeCell(16, 1, 0, { status: 'failed', message: 'boom' }),
      makeCell(16, 2, 0, { status: 'failed', message: 'boom' }),
    ]);
    const text = renderRunTables({
      ...run,
      rows: [
        { maxBatch: 8, model: 'demo', status: 'ok', applySeconds: 1 },
        { maxBatch: 16, model: 'demo', status: 'failed', message: '\u001b[31mno\u001b[0m\nluck', applySeconds: 1 },
      ],
    });
    expect(text).toContain('Throughput (data items/s), median of 5 trials × 480 requests');
    expect(text).toMatch(/^8 +220 +400~$/m);
    expect(text).toMatch(/^16 +failed +failed$/m);
    expect(text).toContain('~ noisy');
    expect(text).toContain('  max_batch 16 did not load:\n    no\n    luck');
    expect(text).not.toContain('\u001b');
    expect(text).not.toMatch(/[*|`#]/);
  });

  it("says a paired run's figures are the head's medians over its rounds", () => {
    const trial: Trial = {
      requests: 480,
      items: 470,
      seconds: 2,
      dps: 235,
      rps: 235,
      errors: 0,
      errorsByStatus: {},
      latencyMs: { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 },
      order: 0,
    };
    const trials = (n: number): Trial[] => Array.from({ length: n }, (_, round) => ({ ...trial, round }));
    const run = makeRun([makeCell(8, 1, 220, { trials: trials(5) }), makeCell(8, 2, 400, { trials: trials(7) })]);
    const base = { model: 'demo__base', serverAddress: '127.0.0.1:8001', minRounds: 5, maxRounds: 9, cells: run.cells };
    expect(renderRunTables({ ...run, base })).toContain(
      "Throughput (data items/s), head's median of 5–7 paired rounds × 480 requests",
    );
  });
});
