import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../../src/sinks/comment-marker.js';
import { createTrendIssueSink, isTrendEvent, trendIntro } from '../../../src/sinks/trend-issue-sink.js';
import { collectingLogger, createFakeCommentsClient, pipelineResult, requestError } from '../github/github-fixtures.js';

const CONTEXT = { eventName: 'push', ref: 'refs/heads/main', sha: 'c0be536'.padEnd(40, '0') };

describe('isTrendEvent', () => {
  it.each([
    ['push', true, false, true],
    ['push', false, true, true],
    ['push', false, false, false], // a feature branch is no history
    ['schedule', false, false, true],
    ['workflow_dispatch', false, false, true],
    ['pull_request', false, false, false],
    ['pull_request_target', false, false, false],
  ])('%s (default branch %s, tag %s) → %s', (eventName, isDefaultBranch, isTag, expected) => {
    expect(isTrendEvent({ eventName, isDefaultBranch, isTag })).toBe(expected);
  });
});

describe('the trend-issue sink', () => {
  it('keeps one comment per key on the issue, with the intro and the full report', async () => {
    const client = createFakeCommentsClient();
    client.seed(3, ['Tracking issue for throughput', `${commentMarker('trend', 'other-key')}\nanother benchmark`]);
    const log = collectingLogger();
    const sink = createTrendIssueSink({ client, issueNumber: 3, benchmarkKey: 'demo', context: CONTEXT, log });
    const result = pipelineResult('typical');
    await sink.publish(result);
    await sink.publish(result);
    const ours = client.issues.get(3)?.filter((comment) => comment.body?.startsWith(commentMarker('trend', 'demo')));
    expect(ours).toHaveLength(1);
    expect(ours?.[0]?.body).toContain(
      `${trendIntro({ benchmarkKey: 'demo', context: CONTEXT }, result)}\n\n${result.report.markdown}`,
    );
    expect(client.writes.map((write) => write.kind)).toEqual(['create', 'update']);
    expect(log.infos.at(-1)).toMatch(/^trend comment updated on issue #3: /);
  });

  it('names the run that wrote it and whether it joined the history, escaping the ref', () => {
    const saved = { saved: { isSaved: true, detail: 'o/r@triton-throughput-data:benchmarks/demo/runs/x.json' } };
    expect(trendIntro({ benchmarkKey: 'demo', context: CONTEXT }, saved)).toBe(
      '## Throughput trend: demo\n\nLatest push run on **main** at `c0be536`. This comment is edited by every run; ' +
        'its trend section covers the stored history.<br>\n💾 Saved as a baseline: o/r@\u200Dtriton-throughput-data:benchmarks/demo/runs/x.json',
    );
    expect(
      trendIntro({ benchmarkKey: '@team *x*', context: { eventName: 'schedule', ref: 'refs/tags/<v1>' } }, {}),
    ).toBe(
      '## Throughput trend: @\u200Dteam \\*x\\*\n\nLatest schedule run on **&lt;v1&gt;**. This comment is edited by every run; its trend section covers the stored history.',
    );
    expect(
      trendIntro(
        { benchmarkKey: 'demo', context: { eventName: 'workflow_dispatch' } },
        { saved: { isSaved: false, detail: 'needs `contents: write`' } },
      ),
    ).toContain('⚠️ Not saved as a baseline: needs \\`contents: write\\`');
  });

  it('a token without issues: write is a warning', async () => {
    const client = createFakeCommentsClient();
    client.failNext('create', requestError(403, 'Resource not accessible by integration'));
    const log = collectingLogger();
    await createTrendIssueSink({ client, issueNumber: 3, benchmarkKey: 'demo', context: CONTEXT, log }).publish(
      pipelineResult('typical'),
    );
    expect(log.warnings).toEqual([
      'the token cannot comment on issue #3 (missing `issues: write`, or no such issue): the trend is in the job summary ' +
        '(GitHub said: HTTP 403 Resource not accessible by integration). Add `permissions: issues: write` to the job or check trend-issue.',
    ]);
  });
});
