// How prose names users: ranges for contiguous columns, lists otherwise.
import { describe, expect, it } from 'vitest';
import { joinWords, usersRange } from '../../../src/report/matrix-view.js';

describe('usersRange', () => {
  it.each([
    [[1], '1 user'],
    [[3], '3 users'],
    [[2, 3], '2–3 users'],
    [[1, 2, 3, 4], '1–4 users'],
    [[1, 2, 4], '1, 2 and 4 users'],
    [[], ''],
  ])('%j → %s', (users, expected) => {
    expect(usersRange(users)).toBe(expected);
  });
});

describe('joinWords', () => {
  it('joins with commas and a final "and"', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['8'])).toBe('8');
    expect(joinWords(['8', '16', '32'])).toBe('8, 16 and 32');
  });
});
