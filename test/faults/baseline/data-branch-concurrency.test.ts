/**
 * Concurrent writers on the data branch (docs/baseline-store.md; GAB #272: a 12-job matrix lost runs to
 * rejected pushes): whoever loses the race re-reads the new head, rebuilds the index from it,
 * and lands on top, so no run is lost and the index lists them all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRun, sha } from '../../support/baseline-runs.js';
import { DATA_BRANCH, expectSoundBranch, startHarness, type Harness } from '../../support/data-branch-harness.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.github.close();
});

const runAt = (n: number) => makeRun({ sha: sha(`w${n}`), startedAt: `2026-01-0${n}T00:00:00.000Z` });

describe('data-branch store — concurrent writers', () => {
  it('a writer that lost the ref update (422 not a fast forward) re-reads, rebuilds the index and lands', async () => {
    const first = runAt(1);
    const second = runAt(2);
    await harness.store().save(runAt(3));
    // The other job saves between our read of the head and our ref update.
    harness.github.before('git/update-ref', () => harness.store().save(second));
    const outcome = await harness.store().save(first);
    expect(outcome.detail).toMatch(/\(after 1 concurrent update\(s\) of the branch\)$/);
    expect(
      harness.github.calls.filter((call) => call.operationId === 'git/update-ref').map((call) => call.status),
    ).toEqual([200, 422, 200]);
    expectSoundBranch(harness.github, { runIds: [first.id, second.id, runAt(3).id] });
    expect(harness.logs.info.join('\n')).toContain('Update is not a fast forward');
  });

  it('two writers creating the branch at once: the loser (422 Reference already exists) updates instead', async () => {
    const first = runAt(1);
    const second = runAt(2);
    harness.github.before('git/create-ref', () => harness.store().save(second));
    await harness.store().save(first);
    expect(
      harness.github.calls.filter((call) => call.operationId === 'git/create-ref').map((call) => call.status),
    ).toEqual([201, 422]);
    expectSoundBranch(harness.github, { runIds: [first.id, second.id] });
    // The survivor built on the winner's orphan commit: one root, a linear history.
    const head = harness.head() ?? '';
    const parent = harness.github.git.commit(head)?.parents[0] ?? '';
    expect(harness.github.git.commit(parent)?.parents).toEqual([]);
  });

  it('many writers at once all land, whatever the interleaving', async () => {
    const runs = [1, 2, 3, 4, 5, 6].map(runAt);
    const outcomes = await Promise.all(runs.map((run) => harness.store({ maxAttempts: 10 }).save(run)));
    expect(outcomes.every((outcome) => outcome.isSaved)).toBe(true);
    expectSoundBranch(harness.github, { runIds: runs.map((run) => run.id) });
    expect(harness.github.git.commit(harness.head() ?? '')?.message).toMatch(/^triton-throughput-gate: add run /);
  });

  it('gives up after maxAttempts lost races with a clear error, leaving the branch sound', async () => {
    await harness.store().save(runAt(9));
    // Another job lands before each of our ref updates (its own update passes the hook by).
    const others = [1, 2, 3].map(runAt);
    let isBusy = false;
    const interfere = async (): Promise<void> => {
      if (isBusy) return;
      const other = others.shift();
      if (other === undefined) return;
      isBusy = true;
      await harness.store().save(other);
      isBusy = false;
    };
    harness.github.before('git/update-ref', interfere, 10);
    const mine = runAt(8);
    const error = await harness
      .store({ maxAttempts: 2 })
      .save(mine)
      .catch((err: unknown) => err);
    expect(error).toMatchObject({
      reason: 'conflict',
      message: expect.stringMatching(
        /could not save run .* to branch triton-throughput-data: it moved under us 2 times .*serialize the saving jobs with `concurrency: triton-throughput-data`/,
      ) as unknown,
    });
    const files = [...harness.github.branchFiles(DATA_BRANCH).keys()];
    expect(files.some((path) => path.includes(mine.id))).toBe(false);
    expectSoundBranch(harness.github, { runIds: [runAt(9).id, runAt(1).id, runAt(2).id] });
  });
});
