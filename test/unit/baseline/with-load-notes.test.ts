import { describe, expect, it } from 'vitest';
import { noBaselineStore } from '../../../src/compose/create-store.js';
import { withLoadNotes } from '../../../src/baseline/with-load-notes.js';
import { makeQuery, makeRun } from '../../support/baseline-runs.js';

describe('withLoadNotes', () => {
  it('appends the notes to every load and leaves saves alone', async () => {
    const store = withLoadNotes(noBaselineStore, ['merge-base of the PR not found']);
    expect((await store.load(makeQuery())).notes).toEqual(['merge-base of the PR not found']);
    expect(await store.save(makeRun())).toEqual(await noBaselineStore.save(makeRun()));
  });

  it('returns the store itself when there is nothing to add', () => {
    expect(withLoadNotes(noBaselineStore, [])).toBe(noBaselineStore);
  });
});
