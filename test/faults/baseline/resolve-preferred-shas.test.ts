/**
 * The PR's merge-base and its first-parent ancestors, through a real Octokit and the fake's
 * compare and list-commits endpoints (docs/baseline-store.md, selection rules).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePreferredShas } from '../../../src/github-api/resolve-preferred-shas.js';
import { silentLogger } from '../../../src/logger.js';
import { startHarness, type Harness } from '../../support/data-branch-harness.js';
import { githubFaults } from '../../support/github-faults.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.github.close();
});

let minute = 0;
/** Commits `files` on `branch`, one minute after the previous commit. */
function commit(branch: string, name: string): string {
  minute += 1;
  return harness.github.git.commitFiles(
    branch,
    { [`${name}.txt`]: name },
    new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
    name,
  );
}

/** main: initial ← m1 ← m2 ← merge(m2, s1) ← m3; feature branches off m2's merge. */
function seedHistory(): { initial: string; m1: string; m2: string; merge: string; m3: string; feature: string } {
  const git = harness.github.git;
  const initial = git.refs.get('refs/heads/main') ?? '';
  const m1 = commit('main', 'm1');
  const m2 = commit('main', 'm2');
  git.refs.set('refs/heads/side', m1);
  const s1 = commit('side', 's1');
  const tree = git.commit(m2)?.tree ?? '';
  const who = { name: 'dev', email: 'dev@example.com', date: new Date(Date.UTC(2026, 0, 1, 1)).toISOString() };
  const merge = git.putCommit({ tree, parents: [m2, s1], message: 'merge side', author: who, committer: who });
  git.refs.set('refs/heads/main', merge);
  git.refs.set('refs/heads/feature', merge);
  minute = 120;
  const feature = commit('feature', 'f1');
  const m3 = commit('main', 'm3');
  return { initial, m1, m2, merge, m3, feature };
}

const base = (options: { baseSha: string; headSha: string }) => ({
  octokit: harness.octokit,
  owner: harness.github.owner,
  repo: harness.github.repo,
  log: silentLogger,
  clock: harness.clock,
  ...options,
});

describe('resolvePreferredShas', () => {
  it('returns the merge-base, then its first parents only (not the merged side branch)', async () => {
    const { initial, m1, m2, merge, m3, feature } = seedHistory();
    const result = await resolvePreferredShas(base({ baseSha: m3, headSha: feature }));
    expect(result).toEqual({ shas: [merge, m2, m1, initial], notes: [] });
  });

  it('stops after maxAncestors', async () => {
    const { m2, merge, m3, feature } = seedHistory();
    const result = await resolvePreferredShas({ ...base({ baseSha: m3, headSha: feature }), maxAncestors: 1 });
    expect(result.shas).toEqual([merge, m2]);
  });

  it('retries a 5xx of compare', async () => {
    const { merge, m3, feature } = seedHistory();
    harness.github.inject('repos/compare-commits-with-basehead', githubFaults.serverError(503));
    const result = await resolvePreferredShas(base({ baseSha: m3, headSha: feature }));
    expect(result.shas[0]).toBe(merge);
  });

  it('returns no sha and a note when the merge-base cannot be found (selection falls back to latest)', async () => {
    const { m3 } = seedHistory();
    const result = await resolvePreferredShas(base({ baseSha: m3, headSha: 'f'.repeat(40) }));
    expect(result.shas).toEqual([]);
    expect(result.notes).toEqual([
      expect.stringMatching(
        /^merge-base of the PR not found \(HTTP 404: Not Found.*\): the baseline is the latest run on the default branch$/,
      ),
    ]);
  });

  it('keeps the merge-base when only listing its ancestors fails', async () => {
    const { merge, m3, feature } = seedHistory();
    harness.github.inject('repos/list-commits', githubFaults.forbidden('contents=read'));
    const result = await resolvePreferredShas(base({ baseSha: m3, headSha: feature }));
    expect(result.shas).toEqual([merge]);
    expect(result.notes).toEqual([expect.stringContaining('only the merge-base is tried before the latest run')]);
  });
});
