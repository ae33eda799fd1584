import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/baseline/save-backoff.js';

describe('backoffMs', () => {
  it('doubles per attempt, capped, with half of it random', () => {
    const knobs = { baseDelayMs: 1_000, maxWaitMs: 5_000 };
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, { ...knobs, random: () => 0 }))).toEqual([
      500, 1000, 2000, 2500,
    ]);
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, { ...knobs, random: () => 0.999 }))).toEqual([
      1000, 1999, 3998, 4998,
    ]);
  });
});
