/**
 * The trend comment (issue 5 item 4): with `trend-issue: N`, runs outside PRs (push to the
 * default branch or a tag, schedule, workflow_dispatch) keep one sticky comment per benchmark
 * key on issue N with the latest tables and the trend chart over the stored history. Always
 * edited in place (the `comment` input governs the PR comment only); a token without
 * `issues: write` is a warning.
 */
import type { ConclusionsMode } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { PipelineResult, Sink } from '../pipeline.js';
import { escapeMarkdown, formatSha } from '../report/escape-markdown.js';
import { denialAsWarning } from './comment-denied.js';
import { describeSave } from './describe-save.js';
import { commentMarker, commentOverheadChars, composeCommentBody, resultStateOf } from './comment-marker.js';
import type { IssueCommentsClient } from '../github-api/issue-comments-client.js';
import type { ActionRunContext } from '../github/run-context.js';
import { findStickyComment, fitReportMarkdown, writeStickyComment } from './sticky-comment.js';

/** Options of {@link createTrendIssueSink}. */
export interface TrendIssueSinkOptions {
  readonly client: IssueCommentsClient;
  readonly issueNumber: number;
  readonly benchmarkKey: string;
  readonly context: Pick<ActionRunContext, 'eventName' | 'ref' | 'sha'>;
  readonly log: Logger;
  readonly runUrl?: string;
  /** The `conclusions` input, as the pipeline rendered with it. */
  readonly conclusions?: ConclusionsMode;
}

/** Events whose runs update the trend comment (never a PR: its numbers are not history). */
export function isTrendEvent(context: Pick<ActionRunContext, 'eventName' | 'isDefaultBranch' | 'isTag'>): boolean {
  if (context.eventName === 'schedule' || context.eventName === 'workflow_dispatch') return true;
  return context.eventName === 'push' && (context.isDefaultBranch || context.isTag);
}

/** The first lines of the trend comment: what it is, which run last wrote it, whether it was saved. */
export function trendIntro(
  options: Pick<TrendIssueSinkOptions, 'benchmarkKey' | 'context'>,
  result: Pick<PipelineResult, 'saved'>,
): string {
  const { eventName, ref, sha } = options.context;
  const where = [
    ref === undefined ? undefined : `**${escapeMarkdown(ref.replace(/^refs\/(heads|tags)\//, ''), 100)}**`,
    sha === undefined ? undefined : formatSha(sha),
  ].filter((part) => part !== undefined);
  const saved = describeSave(result);
  return [
    `## Throughput trend: ${escapeMarkdown(options.benchmarkKey, 100)}`,
    `Latest ${escapeMarkdown(eventName, 40)} run${where.length > 0 ? ` on ${where.join(' at ')}` : ''}. ` +
      'This comment is edited by every run; its trend section covers the stored history.' +
      (saved === undefined ? '' : `<br>\n${saved}`),
  ].join('\n\n');
}

/** The trend-issue sink. */
export function createTrendIssueSink(options: TrendIssueSinkOptions): Sink {
  const { client, issueNumber, log } = options;
  const marker = commentMarker('trend', options.benchmarkKey);
  return {
    name: `trend comment on issue #${issueNumber}`,
    publish: async (result: PipelineResult) => {
      await denialAsWarning({ kind: 'trend', number: issueNumber }, log, async () => {
        const intro = `${trendIntro(options, result)}\n\n`;
        const markdown = fitReportMarkdown(result, {
          benchmarkKey: options.benchmarkKey,
          overheadChars: commentOverheadChars(marker) + intro.length,
          runUrl: options.runUrl,
          conclusions: options.conclusions,
        });
        const existing = await findStickyComment(client, issueNumber, marker);
        const body = composeCommentBody(marker, resultStateOf(result), `${intro}${markdown}`);
        const written = await writeStickyComment(client, issueNumber, existing, body);
        log.info(`trend comment ${written.action} on issue #${issueNumber}: ${written.comment.html_url}`);
      });
    },
  };
}
