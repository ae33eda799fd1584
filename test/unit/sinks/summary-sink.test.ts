import { describe, expect, it } from 'vitest';
import { createSummarySink, SUMMARY_MAX_CHARS, type SummaryWriter } from '../../../src/sinks/summary-sink.js';
import { collectingLogger, pipelineResult } from '../github/github-fixtures.js';

function fakeSummary(): SummaryWriter & { readonly written: string[] } {
  let buffer = '';
  const written: string[] = [];
  const writer = {
    written,
    addRaw: (text: string, addEOL = false) => {
      buffer += addEOL ? `${text}\n` : text;
      return writer;
    },
    write: () => {
      written.push(buffer);
      buffer = '';
      return Promise.resolve(writer);
    },
  };
  return writer;
}

describe('the job summary sink', () => {
  it('writes the full report, rendered for the 1 MiB summary limit, not the comment limit', async () => {
    const summary = fakeSummary();
    const result = pipelineResult('oversize');
    await createSummarySink({ summary, benchmarkKey: 'demo', isAvailable: true, log: collectingLogger() }).publish(
      result,
    );
    expect(summary.written).toHaveLength(1);
    const text = summary.written[0] ?? '';
    expect(text.length).toBeGreaterThan(result.report.markdown.length); // the comment had to drop sections
    expect(text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS + 1);
  });

  it('ends with whether the run was saved as a baseline', async () => {
    const summary = fakeSummary();
    const result = {
      ...pipelineResult('no-baseline'),
      saved: { isSaved: true, detail: 'o/r@data:benchmarks/demo/runs/x.json' },
    };
    await createSummarySink({ summary, benchmarkKey: 'demo', isAvailable: true, log: collectingLogger() }).publish(
      result,
    );
    // `@` gets a zero-width joiner, like all text escaped for GitHub (no mention).
    expect(
      summary.written[0]?.endsWith('\n\n💾 Saved as a baseline: o/r@\u200Ddata:benchmarks/demo/runs/x.json\n\n'),
    ).toBe(true);
  });

  it('says it was skipped outside the runner instead of failing', async () => {
    const summary = fakeSummary();
    const log = collectingLogger();
    await createSummarySink({ summary, benchmarkKey: 'demo', isAvailable: false, log }).publish(
      pipelineResult('typical'),
    );
    expect(summary.written).toEqual([]);
    expect(log.infos).toEqual(['job summary: GITHUB_STEP_SUMMARY is not set (not on a runner), skipped']);
  });
});
