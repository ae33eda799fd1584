import { describe, expect, it } from 'vitest';
import { DROP_ORDER, renderReport } from '../../../src/report/render-report.js';
import type { GateOutcome } from '../../../src/model/comparison.js';
import type { Trial } from '../../../src/model/run-result.js';
import { makeCell, makeComparison, makeRun } from './make-comparison.js';

const PASS: GateOutcome = { verdict: 'pass', shouldFail: false, message: 'ok', regressedCells: [], toConfirm: [] };

/** One successful trial at `dps` (a cell with a trial gets a recommendation). */
function trialOf(dps: number): Trial {
  const latencyMs = { p50: 1, p90: 2, p99: 3, max: 4, mean: 1.5 };
  return {
    requests: 100,
    items: 100,
    seconds: 100 / dps,
    dps,
    rps: dps,
    errors: 0,
    errorsByStatus: {},
    latencyMs,
    order: 0,
  };
}

/** A 6 × 12 matrix with long notes and a failed row, every section present: big enough to need shrinking. */
function bigComparison(): ReturnType<typeof makeComparison> {
  const cells = [1, 2, 4, 8, 16, 32].flatMap((maxBatch) =>
    Array.from({ length: 12 }, (_, index) =>
      maxBatch === 32
        ? makeCell(maxBatch, index + 1, 0, { status: 'failed', message: 'x'.repeat(5_000) })
        : {
            ...makeCell(maxBatch, index + 1, 100 * (index + 1) + maxBatch, {
              trials: [trialOf(100 * (index + 1) + maxBatch)],
            }),
            metrics: { readings: 4, gpuUtilization: 0.5 },
            // Streaming and sequence figures, so that their sections are there to drop too.
            responsesPerSecondMedian: 300 * (index + 1),
            sequencesPerSecondMedian: 15 * (index + 1),
            firstResponseMs: { p50: 1, p90: 2, p99: 3 },
          },
    ),
  );
  const rows = [1, 2, 4, 8, 16, 32].map((maxBatch) => ({
    maxBatch,
    model: 'demo',
    status: maxBatch === 32 ? ('failed' as const) : ('ok' as const),
    applySeconds: 1,
  }));
  const history = Array.from({ length: 5 }, (_, index) => ({
    runId: `r${index}`,
    sha: `${index}`.repeat(40),
    startedAt: `2026-04-0${index + 1}T00:00:00Z`,
    bestDps: { '1': 100 + index, '2': 110 + index },
  }));
  return makeComparison(makeRun(cells, { rows, notes: ['n'.repeat(400)] }), { history });
}

describe('renderReport size limit', () => {
  it('keeps every section when there is room', () => {
    const report = renderReport(bigComparison(), { benchmarkKey: 'demo', gate: PASS });
    expect(report.droppedSections).toEqual([]);
    expect(report.markdown).toContain('<summary>Raw numbers');
  });

  it('stays under any limit, dropping a prefix of the drop order (then dps rows)', () => {
    const full = renderReport(bigComparison(), { benchmarkKey: 'demo', gate: PASS }).markdown.length;
    for (let maxChars = full + 10; maxChars >= 0; maxChars -= 97) {
      const report = renderReport(bigComparison(), { benchmarkKey: 'demo', gate: PASS, maxChars });
      expect(report.markdown.length).toBeLessThanOrEqual(maxChars);
      const sections = report.droppedSections.filter((id) => id !== 'dps-rows');
      expect(sections).toEqual(DROP_ORDER.slice(0, sections.length));
      if (report.droppedSections.includes('dps-rows')) expect(sections).toEqual(DROP_ORDER);
    }
  });

  it('cuts dps rows from the bottom, whole, and says so', () => {
    const comparison = bigComparison();
    const minimal = renderReport(comparison, { benchmarkKey: 'demo', gate: PASS, maxChars: 1_000_000 });
    const header = minimal.markdown.slice(0, minimal.markdown.indexOf('\n| **1** |'));
    const report = renderReport(comparison, { benchmarkKey: 'demo', gate: PASS, maxChars: header.length + 900 });
    expect(report.droppedSections.at(-1)).toBe('dps-rows');
    // The dps table may be split by users columns: count each max_batch row once.
    const rows = [...new Set(report.markdown.match(/^\| \*\*\d+\*\* \|/gm) ?? [])];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(6);
    expect(rows[0]).toMatch(/^\| \*\*1\*\* \|/);
    expect(report.markdown).toMatch(/_\d more max_batch rows? (is|are) not shown/);
  });

  it('ends with one newline and puts the headline first', () => {
    const report = renderReport(bigComparison(), { benchmarkKey: 'demo', gate: PASS });
    expect(report.markdown.startsWith('### ')).toBe(true);
    expect(report.markdown.endsWith('</details>\n')).toBe(true);
  });
});

describe('renderReport conclusions setting', () => {
  const withEvent = (event: string): ReturnType<typeof makeComparison> => {
    const comparison = bigComparison();
    return { ...comparison, run: { ...comparison.run, source: { event } } };
  };

  it('auto leaves the study conclusions out of a pull request check, and keeps the recommendation', () => {
    for (const event of ['pull_request', 'pull_request_target']) {
      const { markdown } = renderReport(withEvent(event), { benchmarkKey: 'demo', gate: PASS, maxChars: 1_000_000 });
      expect(markdown).not.toContain('#### Conclusions');
      expect(markdown).toContain('#### Recommendation');
    }
    for (const event of ['push', 'workflow_dispatch', 'schedule', 'cli']) {
      const { markdown } = renderReport(withEvent(event), { benchmarkKey: 'demo', gate: PASS, maxChars: 1_000_000 });
      expect(markdown).toContain('#### Conclusions');
    }
  });

  it('always and never decide whatever the event', () => {
    const options = { benchmarkKey: 'demo', gate: PASS, maxChars: 1_000_000 };
    expect(renderReport(withEvent('pull_request'), { ...options, conclusions: 'always' }).markdown).toContain(
      '#### Conclusions',
    );
    expect(renderReport(withEvent('push'), { ...options, conclusions: 'never' }).markdown).not.toContain(
      '#### Conclusions',
    );
  });
});
