import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { createActionSinks } from '../../../src/sinks/action-sinks.js';
import { parseRunContext, type ActionEnv } from '../../../src/github/run-context.js';
import type { Sink } from '../../../src/pipeline.js';
import { collectingLogger, createFakeCommentsClient } from '../github/github-fixtures.js';

const logSink: Sink = { name: 'log', publish: () => Promise.resolve() };
const ENV: ActionEnv = { GITHUB_REPOSITORY: 'o/r', RUNNER_TEMP: '/tmp/runner' };
const PR_PAYLOAD = { pull_request: { number: 7, base: { sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } };

function sinkNames(event: { env: ActionEnv; payload: unknown }, config: Config, hasToken = true) {
  const log = collectingLogger();
  const sinks = createActionSinks({
    config,
    context: parseRunContext({ ...ENV, ...event.env }, event.payload),
    comments: hasToken ? createFakeCommentsClient() : undefined,
    log,
    logSink,
    summary: {
      addRaw: () => {
        throw new Error('not used');
      },
      write: () => Promise.resolve(),
    },
    isSummaryAvailable: true,
    setOutput: () => undefined,
    writeTextFile: () => Promise.resolve(),
  });
  return { names: sinks.map((sink) => sink.name), log };
}

const config = (extra: Record<string, string> = {}): Config => parseConfig({ model: 'demo', ...extra });
const push = (ref: string) => ({
  env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: ref },
  payload: { repository: { default_branch: 'main' } },
});
const pr = { env: { GITHUB_EVENT_NAME: 'pull_request' }, payload: PR_PAYLOAD };

describe('createActionSinks', () => {
  it('a PR: log, outputs, summary, then the PR comment', () => {
    expect(sinkNames(pr, config()).names).toEqual(['log', 'step outputs', 'job summary', 'PR comment']);
  });

  it('a push: no comment at all, unless a trend issue is configured', () => {
    expect(sinkNames(push('refs/heads/main'), config()).names).toEqual(['log', 'step outputs', 'job summary']);
    expect(sinkNames(push('refs/heads/main'), config({ 'trend-issue': '3' })).names).toEqual([
      'log',
      'step outputs',
      'job summary',
      'trend comment on issue #3',
    ]);
  });

  it('a trend issue is not updated from a PR or a feature branch, and the log says why', () => {
    const fromPr = sinkNames(pr, config({ 'trend-issue': '3' }));
    expect(fromPr.names).not.toContain('trend comment on issue #3');
    expect(fromPr.log.infos).toEqual([
      expect.stringContaining('trend-issue #3: not updated by a pull_request run') as string,
    ]);
    expect(sinkNames(push('refs/heads/feature'), config({ 'trend-issue': '3' })).names).not.toContain(
      'trend comment on issue #3',
    );
  });

  it('a shard of a job matrix: no PR or trend comment (the merge job posts the one comment), and the log says so', () => {
    const { names, log } = sinkNames(pr, config({ shard: '2/3', 'max-batch': '8,16,32', 'trend-issue': '3' }));
    expect(names).toEqual(['log', 'step outputs', 'job summary']);
    expect(log.infos).toEqual(['shard 2/3: no PR or trend comment; the merge job (mode: merge) posts the one comment']);
  });

  it('without a token: summary and outputs only, with a warning', () => {
    const { names, log } = sinkNames(pr, config(), false);
    expect(names).toEqual(['log', 'step outputs', 'job summary']);
    expect(log.warnings).toEqual(['github-token is empty: no PR comment; the report is in the job summary']);
  });

  it('a PR event whose payload lacks the PR: no comment, a warning', () => {
    const { names, log } = sinkNames({ env: { GITHUB_EVENT_NAME: 'pull_request' }, payload: {} }, config());
    expect(names).not.toContain('PR comment');
    expect(log.warnings[0]).toContain('without pull_request details');
  });
});
