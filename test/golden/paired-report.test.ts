/**
 * Golden files of paired reports (docs/statistics.md §11), each a paired RunResult of
 * test/fixtures (written by generate-paired-fixtures.ts) compared by the real pipeline step.
 * Review a diff like code: users read it.
 */
import { readFileSync } from 'node:fs';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { RawInputs } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse-config.js';
import type { RunResult } from '../../src/model/run-result.js';
import { evaluateRun } from '../../src/pipeline.js';

const NO_STORED_RUNS = { runs: [], selectedBy: 'none', history: [], notes: [] };

function evaluate(fixture: string, inputs: RawInputs = {}): ReturnType<typeof evaluateRun> {
  const run = JSON.parse(readFileSync(new URL(`../fixtures/${fixture}`, import.meta.url), 'utf8')) as RunResult;
  const config = parseConfig({
    model: run.environment.model,
    'baseline-model': 'demo_base',
    'max-batch': '8,16',
    ...inputs,
  });
  return evaluateRun(run, NO_STORED_RUNS, config);
}

describe('paired report golden files', () => {
  it('a uniform ≈3% slowdown: what the rounds establish, cell by cell and for the whole matrix', async () => {
    const { report, gate } = evaluate('paired.json');
    expect(report.markdown).toContain('paired: head vs base measured in this job, 6 rounds');
    expect(gate.shouldFail).toBe(true);
    // −3.3% with −5% inside its interval fails by default; −3.8% whose interval stops short does not.
    expect(report.markdown).toContain('| 8 × 2 | 6 | −3.3% | −5.1% … −1.8% | 0.016 | 🔴 slower, −5% not ruled out |');
    expect(report.markdown).toContain('| 8 × 4 | 6 | −3.8% | −4.5% … −2.6% | 0.016 | slower by < 5% |');
    // Valid markdown: the Δ table renders as a table.
    const html = marked.parse(report.markdown, { gfm: true, async: false });
    expect(html).toMatch(/<th[^>]*>Δ median ratio<\/th>/);
    await expect(report.markdown).toMatchFileSnapshot('./paired.md');
  });

  it('gate-policy established: only a drop shown to be at least min-effect fails', () => {
    const { gate } = evaluate('paired.json', { 'gate-policy': 'established' });
    expect(gate).toMatchObject({ verdict: 'regression', regressedCells: ['16x4'] });
  });

  it('gate-metric responses: a decoupled model whose responses/s dropped 20% fails while its dps holds', async () => {
    const onDps = evaluate('paired-responses.json');
    expect(onDps.gate).toMatchObject({ verdict: 'pass', regressedCells: [] });
    expect(onDps.comparison.gateMetric).toBeUndefined();
    const { report, gate, comparison } = evaluate('paired-responses.json', { 'gate-metric': 'responses' });
    expect(comparison.gateMetric).toBe('responses');
    // Every cell of row 16 (and only those) lost a fifth of its responses: with 6 rounds no single
    // cell is significant after the correction, the whole matrix is.
    expect(gate.verdict).toBe('regression');
    expect(comparison.paired?.overall?.verdict).toBe('regressed');
    for (const cell of comparison.paired?.cells ?? []) {
      expect(cell.delta).toBeCloseTo(cell.maxBatch === 16 ? -0.2 : 0, 1);
    }
    const html = marked.parse(report.markdown, { gfm: true, async: false });
    expect(html).toMatch(/<th[^>]*>Δ median ratio of responses\/s<\/th>/);
    expect(html).toMatch(/<h4>Responses\/s \(the gate&#39;s metric, gate-metric: responses/);
    expect(html).toMatch(/<h4>Time between responses \(ms, p50 \/ p99; within one request\)<\/h4>/);
    await expect(report.markdown).toMatchFileSnapshot('./paired-responses.md');
  });

  it('a p99-only regression: the latency gate fails the check while dps holds', async () => {
    const { report, gate } = evaluate('latency-p99.json', { 'latency-gate': 'p99', 'max-rounds': '10' });
    expect(gate).toMatchObject({
      verdict: 'regression',
      shouldFail: true,
      regressedCells: [],
      latencyRegressedCells: ['16x8', '16x9', '16x10'],
    });
    const html = marked.parse(report.markdown, { gfm: true, async: false });
    expect(html).toMatch(/<h4>p99 latency gate/);
    await expect(report.markdown).toMatchFileSnapshot('./latency-p99.md');
  });
});
