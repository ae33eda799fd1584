import { describe, expect, it } from 'vitest';
import { shouldSaveBaseline, type RunEvent } from '../../src/pipeline.js';
import { makeRun } from '../support/baseline-runs.js';
import { makeShardRun } from '../support/shard-runs.js';

const DEFAULT_PUSH: RunEvent = { name: 'push', isDefaultBranch: true, isTag: false };

describe('shouldSaveBaseline', () => {
  it('saves a complete run pushed to the default branch, never a PR run', () => {
    expect(shouldSaveBaseline('auto', DEFAULT_PUSH, makeRun())).toBe(true);
    expect(
      shouldSaveBaseline('always', { name: 'pull_request', isDefaultBranch: false, isTag: false }, makeRun()),
    ).toBe(false);
  });

  it('never saves a shard: its rows are part of the run the merge job saves', () => {
    const shard = makeShardRun({ maxBatch: [8, 16], users: [1], count: 2 }, 1);
    expect(shouldSaveBaseline('auto', DEFAULT_PUSH, shard)).toBe(false);
    expect(shouldSaveBaseline('always', DEFAULT_PUSH, shard)).toBe(false);
  });
});
