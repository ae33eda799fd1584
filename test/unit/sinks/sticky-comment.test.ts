import { describe, expect, it } from 'vitest';
import { COMMENT_MAX_CHARS, commentMarker } from '../../../src/sinks/comment-marker.js';
import { findStickyComment, fitReportMarkdown, writeStickyComment } from '../../../src/sinks/sticky-comment.js';
import { createFakeCommentsClient, pipelineResult } from '../github/github-fixtures.js';

const MARKER = commentMarker('pr', 'demo');

describe('findStickyComment', () => {
  it('finds the marker comment on a later page and stops reading there', async () => {
    const client = createFakeCommentsClient(3);
    client.seed(7, ['first', null, `> ${MARKER} quoted`, 'chatter', 'more', `${MARKER}\nours`, 'after', 'x', 'y', 'z']);
    const found = await findStickyComment(client, 7, MARKER);
    expect(found?.body).toBe(`${MARKER}\nours`);
    expect(client.pagesRead).toEqual([1, 2]); // pages 3 and 4 are never requested
  });

  it('reads every page when there is no marker comment', async () => {
    const client = createFakeCommentsClient(3);
    client.seed(
      7,
      Array.from({ length: 8 }, (_, i) => `comment ${i}`),
    );
    expect(await findStickyComment(client, 7, MARKER)).toBeUndefined();
    expect(client.pagesRead).toEqual([1, 2, 3]);
  });

  it('takes the oldest when two jobs raced and both created one', async () => {
    const client = createFakeCommentsClient(100);
    client.seed(7, [`${MARKER}\nfirst`, `${MARKER}\nsecond`]);
    expect((await findStickyComment(client, 7, MARKER))?.body).toBe(`${MARKER}\nfirst`);
  });

  it('ignores the sticky comment of another key or of the trend', async () => {
    const client = createFakeCommentsClient();
    client.seed(7, [`${commentMarker('pr', 'other')}\n`, `${commentMarker('trend', 'demo')}\n`]);
    expect(await findStickyComment(client, 7, MARKER)).toBeUndefined();
  });
});

describe('writeStickyComment', () => {
  it('creates when there is none and updates in place after', async () => {
    const client = createFakeCommentsClient();
    const created = await writeStickyComment(client, 7, undefined, `${MARKER}\none`);
    expect(created.action).toBe('created');
    const updated = await writeStickyComment(client, 7, created.comment, `${MARKER}\ntwo`);
    expect(updated.action).toBe('updated');
    expect(client.issues.get(7)?.map((comment) => comment.body)).toEqual([`${MARKER}\ntwo`]);
    expect(client.writes.map((write) => write.kind)).toEqual(['create', 'update']);
  });
});

describe('fitReportMarkdown', () => {
  it('keeps the pipeline report when it fits with the overhead', () => {
    const result = pipelineResult('typical');
    expect(fitReportMarkdown(result, { benchmarkKey: 'demo', overheadChars: 120 })).toBe(result.report.markdown);
  });

  it('renders again for the room left when the overhead would push it over 65,536', () => {
    const result = pipelineResult('oversize');
    const overheadChars = COMMENT_MAX_CHARS - 10_000;
    const markdown = fitReportMarkdown(result, { benchmarkKey: 'demo', overheadChars });
    expect(result.report.markdown.length).toBeGreaterThan(10_000);
    expect(markdown.length).toBeLessThanOrEqual(10_000);
    expect(markdown.split('\n')[0]).toBe(result.report.markdown.split('\n')[0]); // same headline
  });
});
