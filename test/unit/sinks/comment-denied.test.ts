import { describe, expect, it } from 'vitest';
import { deniedCommentWarning, httpStatusOf, isCommentDenied } from '../../../src/sinks/comment-denied.js';
import { requestError } from '../github/github-fixtures.js';

describe('isCommentDenied', () => {
  it.each<[string, Error, boolean]>([
    ['403 without permission', requestError(403, 'Resource not accessible by integration'), true],
    ['404 (GitHub hides what the token may not see)', requestError(404, 'Not Found'), true],
    ['403 secondary rate limit', requestError(403, 'You have exceeded a secondary rate limit'), false],
    ['403 primary rate limit', requestError(403, 'Forbidden', { 'x-ratelimit-remaining': '0' }), false],
    ['401 bad credentials', requestError(401, 'Bad credentials'), false],
    ['502', requestError(502, 'Bad Gateway'), false],
    ['a network error', new Error('ECONNRESET'), false],
  ])('%s → %s', (_what, err, expected) => {
    expect(isCommentDenied(err)).toBe(expected);
  });

  it('reads the status only when it is a number', () => {
    expect(httpStatusOf({ status: '403' })).toBeUndefined();
    expect(httpStatusOf(null)).toBeUndefined();
    expect(httpStatusOf(requestError(404, 'x'))).toBe(404);
  });
});

describe('deniedCommentWarning', () => {
  it("keeps only the first line of GitHub's message and never more than 200 characters of it", () => {
    const warning = deniedCommentWarning(
      { kind: 'pr', number: 7, isFork: false },
      requestError(403, `${'x'.repeat(300)}\nsecond line`),
    );
    expect(warning).toContain(`HTTP 403 ${'x'.repeat(200)})`);
    expect(warning).not.toContain('second line');
  });

  it('names a deleted fork', () => {
    expect(deniedCommentWarning({ kind: 'pr', number: 7, isFork: true }, requestError(403, 'denied'))).toContain(
      'the fork (deleted)',
    );
  });
});
