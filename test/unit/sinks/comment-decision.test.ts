import { describe, expect, it } from 'vitest';
import type { CommentMode } from '../../../src/config/config.js';
import { decideComment, isNotableResult } from '../../../src/sinks/comment-decision.js';
import type { Verdict } from '../../../src/model/comparison.js';
import { pipelineResult, withVerdicts } from '../github/github-fixtures.js';

describe('decideComment', () => {
  const quiet = { isNotable: false, state: 's1' };
  const notable = { isNotable: true, state: 's2' };

  it.each<[CommentMode, { isNotable: boolean; state: string }, { state: string | undefined } | undefined, boolean]>([
    ['never', notable, undefined, false],
    ['never', notable, { state: 's1' }, false],
    ['always', quiet, undefined, true],
    ['always', quiet, { state: 's1' }, true],
    ['on-change', quiet, undefined, false], // nothing to say, nothing said before
    ['on-change', notable, undefined, true], // something to say
    ['on-change', quiet, { state: 's1' }, false], // same verdicts as the comment shows
    ['on-change', notable, { state: 's2' }, false],
    ['on-change', quiet, { state: 's2' }, true], // a fixed regression: the ❌ comment turns ✅
    ['on-change', notable, { state: 's1' }, true],
    ['on-change', quiet, { state: undefined }, true], // a comment of another version: rewrite it
  ])('%s, run %o, existing %o → write %s', (mode, run, existing, shouldWrite) => {
    const decision = decideComment(mode, run, existing);
    expect(decision.shouldWrite).toBe(shouldWrite);
    expect(decision.reason).not.toBe('');
  });
});

describe('isNotableResult', () => {
  const result = pipelineResult('typical');

  it.each<[Verdict, boolean]>([
    ['unchanged', false],
    ['new', false],
    ['improved', true],
    ['regressed', true],
    ['inconclusive', true],
    ['missing', true],
    ['failed', true],
  ])('every cell %s → notable %s', (verdict, expected) => {
    expect(isNotableResult(withVerdicts(result, verdict))).toBe(expected);
  });

  it('a failing gate is notable even when every cell is unchanged', () => {
    expect(isNotableResult(withVerdicts(result, 'unchanged', { shouldFail: true, verdict: 'failure' }))).toBe(true);
  });
});
