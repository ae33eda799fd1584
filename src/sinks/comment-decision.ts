/**
 * Whether the sticky PR comment is written (`comment: always | on-change | never`, docs/architecture.md#config).
 * Pure: the sink finds the existing comment, this decides.
 *
 * - `always`: create the comment once, then update it on every run.
 * - `on-change`: write only when there is something to say — a cell whose verdict is not
 *   `unchanged` or `new`, or a failing gate — or when a comment already exists and its verdicts
 *   changed (so a fixed regression turns the old ❌ comment into ✅ instead of leaving it
 *   stale). Numbers moving within the noise with the same verdicts do not edit the comment.
 * - `never`: no comment (the job summary and outputs still have the report).
 */
import type { CommentMode } from '../config/config.js';
import type { PipelineResult } from '../pipeline.js';
import type { Verdict } from '../model/comparison.js';

/** What to do with the comment, and why (for the log). */
export interface CommentDecision {
  readonly shouldWrite: boolean;
  readonly reason: string;
}

/** The comment already on the PR, as far as the decision cares. */
export interface ExistingComment {
  /** The verdict state it records (`readCommentState`); undefined if unreadable. */
  readonly state: string | undefined;
}

/** Verdicts that alone are no reason to comment under `on-change`. */
const QUIET_VERDICTS: readonly Verdict[] = ['unchanged', 'new'];

/** True when the run has something a reviewer should see: a notable verdict or a failing gate. */
export function isNotableResult(result: Pick<PipelineResult, 'comparison' | 'gate'>): boolean {
  return result.gate.shouldFail || result.comparison.cells.some((cell) => !QUIET_VERDICTS.includes(cell.verdict));
}

/** Decides for one run. `state` is `resultStateOf(result)`. */
export function decideComment(
  mode: CommentMode,
  run: { readonly isNotable: boolean; readonly state: string },
  existing: ExistingComment | undefined,
): CommentDecision {
  switch (mode) {
    case 'never':
      return { shouldWrite: false, reason: "comment is 'never'" };
    case 'always':
      return { shouldWrite: true, reason: existing === undefined ? 'first run on this PR' : "comment is 'always'" };
    case 'on-change':
      if (existing !== undefined) {
        return existing.state === run.state
          ? {
              shouldWrite: false,
              reason: "comment is 'on-change' and the verdicts are the same as in the existing comment",
            }
          : { shouldWrite: true, reason: 'the verdicts changed since the existing comment' };
      }
      return run.isNotable
        ? { shouldWrite: true, reason: 'a verdict other than unchanged/new, or a failing gate' }
        : { shouldWrite: false, reason: "comment is 'on-change' and every cell is unchanged or new" };
  }
}
