import { describe, expect, it } from 'vitest';
import type { GateOutcome } from '../../../src/model/comparison.js';
import type { Cell, Trial } from '../../../src/model/run-result.js';
import { renderReport } from '../../../src/report/render-report.js';
import { retriedNote } from '../../../src/report/retried-note.js';
import { makeCell, makeComparison, makeRun } from './make-comparison.js';

const PASS: GateOutcome = { verdict: 'pass', shouldFail: false, message: 'ok', regressedCells: [], toConfirm: [] };

function trial(retried?: number): Trial {
  return {
    requests: 96,
    items: 96,
    seconds: 1,
    dps: 96,
    rps: 96,
    errors: 0,
    errorsByStatus: {},
    latencyMs: { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 },
    order: 0,
    ...(retried === undefined ? {} : { retried }),
  };
}

function cellWithRetries(maxBatch: number, users: number, retried: readonly (number | undefined)[]): Cell {
  return makeCell(maxBatch, users, 100, { trials: retried.map(trial) });
}

const markdownOf = (cells: readonly Cell[], transport?: string): string => {
  const run = makeRun(cells);
  const withTransport = transport === undefined ? run : { ...run, environment: { ...run.environment, transport } };
  return renderReport(makeComparison(withTransport), { benchmarkKey: 'demo', gate: PASS }).markdown;
};

describe('the transport and retried requests in the report', () => {
  it('names the transport in the header line, and nothing for runs stored before it existed', () => {
    expect(markdownOf([makeCell(8, 1, 100)], 'grpc-js')).toContain('Triton 2.51.0 · transport grpc-js ·');
    expect(markdownOf([makeCell(8, 1, 100)])).not.toContain('transport');
  });

  it('adds a note with the re-sent requests per cell when any', () => {
    const markdown = markdownOf(
      [cellWithRetries(8, 1, [0, 0]), cellWithRetries(8, 4, [2, 1]), cellWithRetries(16, 4, [undefined, 1])],
      'h2',
    );
    // Notes are escaped like all untrusted text: `_` shows as `\_`.
    expect(markdown).toContain(
      '- ℹ️ 4 requests were refused unprocessed by the server (GOAWAY or REFUSED\\_STREAM) and sent again once, counted once with the retry in its latency: 8 × 4 (3), 16 × 4 (1)',
    );
  });

  it('says nothing when no request was re-sent or the transport cannot tell', () => {
    expect(retriedNote(makeRun([cellWithRetries(8, 1, [0, undefined])]))).toBeUndefined();
    expect(markdownOf([cellWithRetries(8, 1, [0, 0])], 'h2')).not.toContain('refused unprocessed');
  });

  it('counts the base side of a paired run and gives a count beyond six cells', () => {
    const cells = [1, 2, 3, 4, 5, 6, 7].map((users) => cellWithRetries(8, users, [1]));
    const run = makeRun(cells.slice(0, 1), {
      base: { model: 'b', serverAddress: 'x', minRounds: 1, maxRounds: 2, cells },
    });
    expect(retriedNote(run)).toBe(
      '8 requests were refused unprocessed by the server (GOAWAY or REFUSED_STREAM) and sent again once, counted once with the retry in its latency: 8 cells',
    );
    expect(retriedNote(makeRun([cellWithRetries(8, 1, [1])]))).toMatch(/^1 request was refused/);
  });
});
