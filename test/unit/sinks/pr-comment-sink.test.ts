import { describe, expect, it } from 'vitest';
import type { CommentMode } from '../../../src/config/config.js';
import { commentMarker, readCommentState, resultStateOf } from '../../../src/sinks/comment-marker.js';
import { createPrCommentSink } from '../../../src/sinks/pr-comment-sink.js';
import type { PullRequestInfo } from '../../../src/github/run-context.js';
import {
  collectingLogger,
  createFakeCommentsClient,
  pipelineResult,
  requestError,
  withVerdicts,
} from '../github/github-fixtures.js';

const PR: PullRequestInfo = { number: 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), isFork: false };

function setup(mode: CommentMode = 'always', pullRequest: PullRequestInfo = PR) {
  const client = createFakeCommentsClient();
  const log = collectingLogger();
  const sink = createPrCommentSink({
    client,
    pullRequest,
    mode,
    benchmarkKey: 'demo',
    log,
    runUrl: 'https://github.com/o/r/actions/runs/1',
  });
  return { client, log, sink };
}

describe('the PR comment sink', () => {
  it('creates one comment: marker, verdict state, then the report', async () => {
    const { client, log, sink } = setup();
    const result = pipelineResult('typical');
    await sink.publish(result);
    const [comment] = client.issues.get(7) ?? [];
    expect(comment?.body?.split('\n')[0]).toBe(commentMarker('pr', 'demo'));
    expect(readCommentState(comment?.body)).toBe(resultStateOf(result));
    expect(comment?.body?.endsWith(result.report.markdown)).toBe(true);
    expect(log.infos.at(-1)).toMatch(/^PR comment created \(first run on this PR\): https:/);
  });

  it('edits that comment on the next runs, never adds another', async () => {
    const { client, sink } = setup();
    await sink.publish(pipelineResult('typical'));
    client.seed(7, ['LGTM']);
    await sink.publish(pipelineResult('no-baseline'));
    await sink.publish(pipelineResult('typical'));
    expect(client.issues.get(7)?.length).toBe(2);
    expect(client.writes.map((write) => write.kind)).toEqual(['create', 'update', 'update']);
  });

  it("writes nothing with 'never' and does not even list comments", async () => {
    const { client, log, sink } = setup('never');
    await sink.publish(pipelineResult('typical'));
    expect(client.writes).toEqual([]);
    expect(client.pagesRead).toEqual([]);
    expect(log.infos).toEqual(["PR comment: not written (comment is 'never'); the report is in the job summary"]);
  });

  it("with 'on-change': silent on a quiet PR, then edits only when the verdicts change", async () => {
    const { client, log, sink } = setup('on-change');
    const quiet = withVerdicts(pipelineResult('typical'), 'unchanged');
    await sink.publish(quiet);
    expect(client.writes).toEqual([]);
    expect(log.infos.at(-1)).toContain('every cell is unchanged or new');
    await sink.publish(pipelineResult('typical')); // regressions: comment
    await sink.publish(pipelineResult('typical')); // same verdicts: leave it
    await sink.publish(quiet); // fixed: the comment must not stay red
    expect(client.writes.map((write) => write.kind)).toEqual(['create', 'update']);
    expect(readCommentState(client.issues.get(7)?.[0]?.body)).toBe(resultStateOf(quiet));
  });

  it('turns a refused comment into one warning naming the cause', async () => {
    const { client, log, sink } = setup();
    client.failNext(
      'create',
      requestError(403, 'Resource not accessible by integration - https://docs.github.com/rest'),
    );
    await expect(sink.publish(pipelineResult('typical'))).resolves.toBeUndefined();
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(
      /^the token cannot comment on this PR #7 \(fork PR or missing `pull-requests: write`\): the report is in the job summary \(GitHub said: HTTP 403 Resource not accessible by integration/,
    );
  });

  it('says so when the PR comes from a fork', async () => {
    const { client, log, sink } = setup('always', { ...PR, isFork: true, headRepo: 'someone/models' });
    client.failNext('list', requestError(404, 'Not Found'));
    await sink.publish(pipelineResult('typical'));
    expect(log.warnings[0]).toContain('this PR comes from the fork someone/models, and fork PRs get a read-only token');
  });

  it('lets other failures through (the pipeline logs them as a warning of this sink)', async () => {
    const { client, sink } = setup();
    client.failNext('update', requestError(502, 'Bad Gateway'));
    await sink.publish(pipelineResult('typical'));
    await expect(sink.publish(pipelineResult('typical'))).rejects.toThrow('Bad Gateway');
    client.failNext('create', requestError(403, 'You have exceeded a secondary rate limit'));
    client.issues.clear();
    await expect(sink.publish(pipelineResult('typical'))).rejects.toThrow('rate limit');
  });
});
