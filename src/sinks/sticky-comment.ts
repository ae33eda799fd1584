/**
 * Finding and writing one sticky comment (docs/architecture.md#comparison-store-and-reports): the first comment whose first line is
 * the marker, searched page by page (100 per page) so a PR with hundreds of comments is still
 * searched to the end, then edited in place; created only when none exists.
 */
import type { ConclusionsMode } from '../config/config.js';
import type { PipelineResult } from '../pipeline.js';
import { renderReport } from '../report/render-report.js';
import { COMMENT_MAX_CHARS, hasMarker } from './comment-marker.js';
import type { IssueComment, IssueCommentsClient } from '../github-api/issue-comments-client.js';

/** What a write did. */
export interface StickyWrite {
  readonly action: 'created' | 'updated';
  readonly comment: IssueComment;
}

/**
 * The oldest comment of issue/PR `issueNumber` starting with `marker`, or undefined. Listing
 * stops at the page that has it. Only a comment that *starts* with the marker counts, so a
 * person quoting our comment further down does not get their comment overwritten.
 */
export async function findStickyComment(
  client: IssueCommentsClient,
  issueNumber: number,
  marker: string,
): Promise<IssueComment | undefined> {
  for await (const page of client.listCommentPages(issueNumber)) {
    const found = page.find((comment) => hasMarker(comment.body, marker));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Updates `existing` with `body`, or creates the comment when there is none. */
export async function writeStickyComment(
  client: IssueCommentsClient,
  issueNumber: number,
  existing: IssueComment | undefined,
  body: string,
): Promise<StickyWrite> {
  if (existing !== undefined) return { action: 'updated', comment: await client.updateComment(existing.id, body) };
  return { action: 'created', comment: await client.createComment(issueNumber, body) };
}

/** What renders the report again when the marker lines would push it over the limit. */
export interface FitOptions {
  readonly benchmarkKey: string;
  readonly runUrl?: string;
  /** Characters added around the report (marker, state, intro lines). */
  readonly overheadChars: number;
  /** The `conclusions` input, as the pipeline rendered with it. */
  readonly conclusions?: ConclusionsMode;
}

/**
 * The report markdown such that `overheadChars + markdown` fits GitHub's 65,536 characters:
 * the pipeline's report when it fits (it is rendered for 65,000), else the same comparison
 * rendered for the room left (report/ drops whole sections, never cuts a table).
 */
export function fitReportMarkdown(
  result: Pick<PipelineResult, 'comparison' | 'gate' | 'report'>,
  options: FitOptions,
): string {
  const room = COMMENT_MAX_CHARS - options.overheadChars;
  if (result.report.markdown.length <= room) return result.report.markdown;
  return renderReport(result.comparison, {
    benchmarkKey: options.benchmarkKey,
    gate: result.gate,
    maxChars: Math.max(0, room),
    runUrl: options.runUrl,
    conclusions: options.conclusions,
  }).markdown;
}
