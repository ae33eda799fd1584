/**
 * The sticky PR comment sink (docs/architecture.md#comparison-store-and-reports): one comment per benchmark key on the PR, found by
 * its marker, edited in place, created once; `comment: always | on-change | never`
 * (comment-decision.ts). A token that may not comment (fork PR, no `pull-requests: write`) is
 * a warning, never a failure: summary and outputs come from their own sinks.
 */
import type { CommentMode, ConclusionsMode } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { PipelineResult, Sink } from '../pipeline.js';
import { decideComment, isNotableResult } from './comment-decision.js';
import { denialAsWarning, type CommentTarget } from './comment-denied.js';
import {
  commentMarker,
  commentOverheadChars,
  composeCommentBody,
  readCommentState,
  resultStateOf,
} from './comment-marker.js';
import type { IssueCommentsClient } from '../github-api/issue-comments-client.js';
import type { PullRequestInfo } from '../github/run-context.js';
import { findStickyComment, fitReportMarkdown, writeStickyComment, type FitOptions } from './sticky-comment.js';

/** Options of {@link createPrCommentSink}. */
export interface PrCommentSinkOptions {
  readonly client: IssueCommentsClient;
  readonly pullRequest: PullRequestInfo;
  readonly mode: CommentMode;
  readonly benchmarkKey: string;
  readonly log: Logger;
  readonly runUrl?: string;
  /** The `conclusions` input, as the pipeline rendered with it. */
  readonly conclusions?: ConclusionsMode;
}

/** The PR comment sink. Rejects only on unexpected failures (the pipeline turns them into warnings). */
export function createPrCommentSink(options: PrCommentSinkOptions): Sink {
  const { client, pullRequest, log } = options;
  const target: CommentTarget = {
    kind: 'pr',
    number: pullRequest.number,
    isFork: pullRequest.isFork,
    ...(pullRequest.headRepo === undefined ? {} : { headRepo: pullRequest.headRepo }),
  };
  const marker = commentMarker('pr', options.benchmarkKey);
  return {
    name: 'PR comment',
    publish: async (result: PipelineResult) => {
      if (options.mode === 'never') {
        log.info("PR comment: not written (comment is 'never'); the report is in the job summary");
        return;
      }
      await denialAsWarning(target, log, async () => {
        const existing = await findStickyComment(client, pullRequest.number, marker);
        const state = resultStateOf(result);
        const decision = decideComment(
          options.mode,
          { isNotable: isNotableResult(result), state },
          existing === undefined ? undefined : { state: readCommentState(existing.body) },
        );
        if (!decision.shouldWrite) {
          log.info(`PR comment: not written (${decision.reason})`);
          return;
        }
        const body = composeCommentBody(marker, state, fitReportMarkdown(result, fitOptions(options, marker)));
        const written = await writeStickyComment(client, pullRequest.number, existing, body);
        log.info(`PR comment ${written.action} (${decision.reason}): ${written.comment.html_url}`);
      });
    },
  };
}

function fitOptions(options: PrCommentSinkOptions, marker: string): FitOptions {
  return {
    benchmarkKey: options.benchmarkKey,
    overheadChars: commentOverheadChars(marker),
    runUrl: options.runUrl,
    conclusions: options.conclusions,
  };
}
