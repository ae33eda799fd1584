/**
 * Markdown, HTML and mention payloads in everything a report quotes (issue 6, docs/architecture.md#comparison-store-and-reports): a
 * model name, a row's and a cell's server message, a note and a runner label carrying
 * `@org/team`, `<img src=x onerror=alert(1)>`, `](javascript:...)`, table breakers and more,
 * through `renderReport` directly (test/integration/report-payloads.test.ts sends them through a
 * real Triton's error message). The comment markdown is parsed with `marked`
 * (test/support/inert-markdown.ts): nothing may be live.
 */
import { describe, expect, it } from 'vitest';
import type { Cell, RunResult } from '../../../src/model/run-result.js';
import { makeRun } from '../../support/baseline-runs.js';
import { findLiveMarkup, INERT } from '../../support/inert-markdown.js';
import { PAYLOAD, reportOf, RUN_URL } from '../../support/report-payloads.js';

describe('the inertness check itself', () => {
  it('finds live markup in the raw payload', () => {
    const live = findLiveMarkup(`${PAYLOAD}\n\n| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n`);
    expect(live.html.length).toBeGreaterThan(0);
    expect(live.links).toContain('javascript:alert(1)');
    expect(live.images).toContain('https://evil.example/p.png');
    expect(live.mentions).toContain('@org/team');
    expect(live.brokenTables).toHaveLength(1);
  });
});

describe('payloads in a run result', () => {
  it('are escaped wherever the report quotes them', () => {
    const base = makeRun({ benchmarkKey: 'payloads', environment: { model: `m ${PAYLOAD}`, label: `gpu ${PAYLOAD}` } });
    const [okCell] = base.cells;
    if (okCell === undefined) throw new Error('makeRun has a cell');
    const failedCell: Cell = {
      ...okCell,
      maxBatch: 16,
      users: 1,
      status: 'failed',
      message: `cell: ${PAYLOAD}`,
      trials: [],
      dpsMedian: 0,
    };
    const run: RunResult = {
      ...base,
      rows: [
        ...base.rows,
        { maxBatch: 32, model: `row ${PAYLOAD}`, status: 'failed', message: `load: ${PAYLOAD}`, applySeconds: 1 },
        { maxBatch: 16, model: 'ok', status: 'ok', applySeconds: 1 },
      ],
      cells: [...base.cells, failedCell, { ...failedCell, maxBatch: 32, message: `load: ${PAYLOAD}` }],
      notes: [`note: ${PAYLOAD}`],
      isComplete: false,
    };
    const markdown = reportOf(run);
    // Each payload-carrying field made it into the comment (escaped), so the check means something.
    expect(markdown).toContain('\\[click\\]');
    expect(markdown.match(/&lt;img src=x onerror=alert\(1\)&gt;/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(findLiveMarkup(markdown, [RUN_URL])).toEqual(INERT);
  });
});
