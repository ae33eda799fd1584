/**
 * Golden files of the answers (docs/answers.md), each through the real pipeline step
 * (`evaluateRun`: comparison, gate, recommendation, report):
 * - `single-trial.md` / `run-tables-single-trial.txt`: a study measured by hand, 4 rows × 10
 *   users, one trial per cell, 1 item per request (test/fixtures/single-trial-run.json): the
 *   rows agree within 4% at 1–2 users and differ by 10–24% at 3–10 users, dps rising from
 *   max_batch 8 to 32. Every users column gets a line; none is dropped by the ceiling argument.
 * - `latency-budget.md`: the typical fixture's run as a scheduled study with
 *   `latency-budget-ms: 12`: the best cell within p99 ≤ 12 ms, per users level and overall.
 * Review a diff like code: users read it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawInputs } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse-config.js';
import type { RunResult } from '../../src/model/run-result.js';
import { evaluateRun } from '../../src/pipeline.js';
import { renderRunTables } from '../../src/report/render-run-tables.js';
import { loadScenario } from '../fixtures/scenarios.js';

const NO_BASELINE = { runs: [], selectedBy: 'none', history: [], notes: [] } as const;

function evaluate(run: RunResult, raw: RawInputs): ReturnType<typeof evaluateRun> {
  const config = parseConfig({ model: run.environment.model, 'benchmark-key': run.benchmarkKey, ...raw });
  return evaluateRun(run, { ...NO_BASELINE, runs: [], history: [], notes: [] }, config);
}

describe('answers golden files', () => {
  it('single trial per cell: every column in a line, gaps with their sizes, the ceiling as an explanation', async () => {
    const run = JSON.parse(
      readFileSync(new URL('../fixtures/single-trial-run.json', import.meta.url), 'utf8'),
    ) as RunResult;
    const evaluated = evaluate(run, {});
    const { markdown } = evaluated.report;
    expect(markdown).toContain('1 trial × 480 requests per cell');
    expect(markdown).not.toMatch(/cannot matter|never mattered/);
    for (const users of ['1–2 users', '3–8 users', '9 users', '10 users']) expect(markdown).toContain(`**${users}:**`);
    await expect(markdown).toMatchFileSnapshot('./single-trial.md');
    await expect(`${renderRunTables(evaluated.run)}\n`).toMatchFileSnapshot('./run-tables-single-trial.txt');
  });

  it('latency budget: the best cell within p99 ≤ 12 ms, per users level and overall, and the rows never within', async () => {
    const { run } = loadScenario('typical').comparison;
    const study: RunResult = { ...run, source: { ...run.source, event: 'schedule' } };
    const evaluated = evaluate(study, { 'latency-budget-ms': '12' });
    expect(evaluated.run.recommendation?.budget?.overall).toMatchObject({ maxBatch: 64, users: 8 });
    await expect(evaluated.report.markdown).toMatchFileSnapshot('./latency-budget.md');
  });
});
