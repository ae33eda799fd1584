/**
 * Markdown, HTML and mention payloads for the report's escaping tests (issue 6,
 * test/faults/security/report-payloads.test.ts and test/integration/report-payloads.test.ts),
 * and the report a run renders to with no baseline.
 */
import { parseConfig } from '../../src/config/parse-config.js';
import type { RunResult } from '../../src/model/run-result.js';
import { evaluateRun } from '../../src/pipeline.js';

/** Every payload kind the issue names, and a few GitHub-specific ones. */
export const PAYLOAD = [
  '@org/team @octocat',
  '<img src=x onerror=alert(1)>',
  '](javascript:alert(1))',
  '[click](javascript:alert(1))',
  '![pixel](https://evil.example/p.png)',
  '| table | breaker |',
  '<script>alert(1)</script>',
  '<details open><summary>x</summary>',
  'https://evil.example/autolink',
  '#1 `code` *em* _em_ ~~del~~ $x^2$',
].join(' ');

const EMPTY_BASELINE = { runs: [], selectedBy: 'none', history: [], notes: [] } as const;

/** The run's URL the report links to (a link that may be live). */
export const RUN_URL = 'https://github.com/acme/models/actions/runs/1';

/** The PR comment's markdown for `run` with no baseline. */
export function reportOf(run: RunResult): string {
  const config = parseConfig({ model: 'demo', 'benchmark-key': run.benchmarkKey });
  return evaluateRun(run, EMPTY_BASELINE, config, { runUrl: RUN_URL }).report.markdown;
}
