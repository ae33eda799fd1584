// What issue 19 adds to the report: the model-kind line (markdown header and CLI text), the
// streaming tables, and distinct words for a row whose load, first request or stream failed.
import { describe, expect, it } from 'vitest';
import type { GateOutcome } from '../../../src/model/comparison.js';
import type { Row } from '../../../src/model/run-result.js';
import { renderHeaderSection, renderHeadline } from '../../../src/report/render-header.js';
import { renderFailuresSection } from '../../../src/report/render-failures.js';
import { renderReport } from '../../../src/report/render-report.js';
import { renderRunTables } from '../../../src/report/render-run-tables.js';
import { makeCell, makeComparison, makeRun } from './make-comparison.js';

const PASS: GateOutcome = { verdict: 'pass', shouldFail: false, message: '', regressedCells: [], toConfirm: [] };
const KIND = { kind: 'decoupled' as const, reason: 'decoupled (model_transaction_policy.decoupled: true): streamed' };
const method = {
  batchStrategy: 'fixed',
  requests: 48,
  itemsPerRequest: 1,
  trials: 3,
  warmupRequests: null,
  inputs: [],
  protocol: 'ModelStreamInfer' as const,
  modelKind: KIND,
};
const streaming = makeCell(8, 1, 100, {
  responsesPerSecondMedian: 300,
  firstResponseMs: { p50: 1.5, p90: 2, p99: 4.25 },
});

describe('the model-kind line and streaming tables', () => {
  it('the header and the CLI text say what was chosen and why', () => {
    const run = makeRun([streaming], { method });
    expect(renderHeaderSection(makeComparison(run), { benchmarkKey: 'demo', gate: PASS })).toContain(
      `<br>\nModel: decoupled (model\\_transaction\\_policy.decoupled: true): streamed`,
    );
    expect(renderRunTables(run).split('\n')[0]).toBe(`Model: ${KIND.reason}`);
  });

  it('streaming cells get responses/s and time to first response p50 / p99', () => {
    const run = makeRun([streaming], { method });
    const { markdown } = renderReport(makeComparison(run), { benchmarkKey: 'demo', gate: PASS });
    expect(markdown).toContain('#### Responses/s (streaming');
    expect(markdown).toContain('| **8** | 300 |');
    expect(markdown).toContain('| **8** | 1.50 / 4.25 |');
    expect(renderRunTables(run)).toContain('Time to first response (ms, p50 / p99)');
  });

  it('runs without a kind or streaming cells render as before', () => {
    const run = makeRun([makeCell(8, 1, 100)]);
    const { markdown } = renderReport(makeComparison(run), { benchmarkKey: 'demo', gate: PASS });
    expect(markdown).not.toContain('Model:');
    expect(markdown).not.toContain('Responses/s');
    expect(renderRunTables(run)).not.toContain('Model:');
  });
});

describe('sequence models', () => {
  const sequenceMethod = {
    ...method,
    protocol: undefined,
    sequence: { length: 20, variationPct: 20, idKind: 'int64' as const },
    modelKind: { kind: 'sequence' as const, reason: 'sequence model (sequence_batching)' },
  };

  it('report sequences/s beside dps and requests/s, in the markdown and the CLI text', () => {
    const run = makeRun([makeCell(8, 1, 100, { sequencesPerSecondMedian: 5.25 }), makeCell(8, 2, 180)], {
      method: sequenceMethod,
    });
    const { markdown } = renderReport(makeComparison(run), { benchmarkKey: 'demo', gate: PASS });
    expect(markdown).toContain("#### Sequences/s (sequences that ended per second; perf_analyzer's seq/sec)");
    expect(markdown).toContain('| **8** | 5.25 | — |');
    const text = renderRunTables(run);
    expect(text).toContain('Sequences/s (sequences that ended per second)');
    expect(text).toMatch(/\n8 +5\.25 +—\n/);
  });

  it('runs without sequence cells have no sequences table', () => {
    const run = makeRun([streaming], { method });
    expect(renderReport(makeComparison(run), { benchmarkKey: 'demo', gate: PASS }).markdown).not.toContain(
      'Sequences/s',
    );
    expect(renderRunTables(run)).not.toContain('Sequences/s');
  });
});

describe('failed rows', () => {
  const failed = (maxBatch: number, failure?: Row['failure']): Row => ({
    maxBatch,
    model: 'demo',
    status: 'failed',
    message: 'boom',
    applySeconds: 0,
    ...(failure === undefined ? {} : { failure }),
  });
  const run = makeRun([makeCell(4, 1, 0, { status: 'failed' }), makeCell(8, 1, 0, { status: 'failed' })], {
    rows: [failed(4, 'load'), failed(8, 'request'), failed(16, 'stream'), failed(32)],
  });

  it('name a load, a request and a stream failure differently; older runs read as loads', () => {
    const comparison = makeComparison(run, { baseline: undefined }, 'failed');
    expect(renderHeadline(comparison, PASS)).toContain(
      '(max_batch 4, 32 did not load; max_batch 8 failed its first request; max_batch 16 failed its first request on the stream)',
    );
    const section = renderFailuresSection(run) ?? '';
    expect(section).toContain('**max_batch 8** failed its first request (model');
    expect(section).toContain('**max_batch 16** failed its first request on the stream (model');
    expect(renderRunTables(run)).toContain('  max_batch 8 failed its first request:');
  });
});

describe("the CLI text's failure lines", () => {
  it('say "1 user", and "3 users" above one', () => {
    const failed = { status: 'failed' as const, message: 'deadline exceeded' };
    const run = makeRun([makeCell(8, 1, 0, failed), makeCell(8, 3, 0, failed)]);
    const text = renderRunTables(run);
    expect(text).toContain('  max_batch 8 / 1 user:');
    expect(text).toContain('  max_batch 8 / 3 users:');
  });
});
