/**
 * Golden file of a paired report (docs/statistics.md §11): the typical fixture's run as the head
 * side, a base side built from it with fixed per-round factors (a uniform ≈3% slowdown, one cell
 * ≈15% slower), compared by the real pipeline step. Review a diff like code: users read it.
 */
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import type { Cell, RunResult } from '../../src/model/run-result.js';
import { evaluateRun } from '../../src/pipeline.js';
import { loadScenario } from '../fixtures/scenarios.js';

const ROUNDS = 6;
// Per-round ratios head/base around 0.97 (no randomness: the golden file must be stable).
const WOBBLE = [0.99, 0.955, 0.975, 0.96, 0.985, 0.97];

function pairedRunOf(run: RunResult): RunResult {
  const startedAt = (round: number, side: number): string =>
    new Date(Date.UTC(2026, 0, 1, 12, 0, round * 2 + side)).toISOString();
  const sideCells = (isHead: boolean): Cell[] =>
    run.cells
      .filter((cell) => cell.maxBatch <= 16)
      .map((cell) => {
        const base = cell.dpsMedian;
        const trials = Array.from({ length: ROUNDS }, (_, round) => {
          const slow = cell.maxBatch === 16 && cell.users === 4 ? 0.85 : 1;
          const dps = isHead ? base * (WOBBLE[round] ?? 1) * slow : base * (1 + 0.004 * ((round * 7 + cell.users) % 5));
          const template = cell.trials[0];
          if (template === undefined) throw new Error('fixture cell without trials');
          return {
            ...template,
            dps,
            round,
            order: round * 2 + (isHead ? 0 : 1),
            startedAt: startedAt(round, isHead ? 0 : 1),
          };
        });
        return { ...cell, trials, dpsMedian: isHead ? base * 0.97 : base, status: 'ok' as const };
      });
  return {
    ...run,
    schemaVersion: 2,
    rows: run.rows.filter((row) => row.maxBatch <= 16),
    cells: sideCells(true),
    base: { model: 'demo_base', serverAddress: '127.0.0.1:8001', minRounds: 5, maxRounds: 6, cells: sideCells(false) },
  };
}

describe('paired report golden file', () => {
  it('headline, Δ table with intervals, rounds per cell and the whole-matrix line', async () => {
    const { comparison } = loadScenario('typical');
    const run = pairedRunOf(comparison.run);
    const config = parseConfig({ model: run.environment.model, 'baseline-model': 'demo_base', 'max-batch': '8,16' });
    const { report, gate } = evaluateRun(run, { runs: [], selectedBy: 'none', history: [], notes: [] }, config);
    expect(report.markdown).toContain('paired: head vs base measured in this job, 6 rounds');
    expect(gate.shouldFail).toBe(true);
    // Valid markdown: the Δ table renders as a table.
    const html = marked.parse(report.markdown, { gfm: true, async: false });
    expect(html).toMatch(/<th[^>]*>Δ median ratio<\/th>/);
    await expect(report.markdown).toMatchFileSnapshot('./paired.md');
  });
});
