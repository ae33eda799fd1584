/**
 * One markdown line saying whether this run became a baseline (`PipelineResult.saved`), for
 * the job summary and the trend comment: the report itself is about the comparison, and a
 * reader of a nightly run wants to know that its numbers joined the history. Pure.
 */
import type { PipelineResult } from '../pipeline.js';
import { escapeMarkdown } from '../report/escape-markdown.js';

/** `undefined` when no save was attempted (PR runs, `save-baseline: never`, `baseline-store: none`). */
export function describeSave(result: Pick<PipelineResult, 'saved'>): string | undefined {
  if (result.saved === undefined) return undefined;
  const detail = escapeMarkdown(result.saved.detail, 300);
  return result.saved.isSaved ? `💾 Saved as a baseline: ${detail}` : `⚠️ Not saved as a baseline: ${detail}`;
}
