import { describe, expect, it } from 'vitest';
import type { CommitsClient, GitDataClient } from '../../../src/github-api/github-client.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { createStore, noBaselineStore } from '../../../src/compose/create-store.js';
import { parseRunContext } from '../../../src/github/run-context.js';
import { collectingLogger } from '../github/github-fixtures.js';

const MERGE_BASE = 'a'.repeat(40);
const PARENT = 'b'.repeat(40);

/** Only the commit calls are answered; the store itself makes no call until load/save. */
function fakeOctokit(calls: string[]): GitDataClient & CommitsClient {
  const unexpected = (): never => {
    throw new Error('no git data call expected while building the store');
  };
  return {
    rest: {
      git: {
        getRef: unexpected,
        getCommit: unexpected,
        getTree: unexpected,
        getBlob: unexpected,
        createBlob: unexpected,
        createTree: unexpected,
        createCommit: unexpected,
        updateRef: unexpected,
        createRef: unexpected,
      },
      repos: {
        compareCommitsWithBasehead: (params) => {
          calls.push(`compare ${params.basehead}`);
          return Promise.resolve({ data: { merge_base_commit: { sha: MERGE_BASE } } });
        },
        listCommits: (params) => {
          calls.push(`list ${params.sha}`);
          return Promise.resolve({
            data: [
              { sha: MERGE_BASE, parents: [{ sha: PARENT }] },
              { sha: PARENT, parents: [] },
            ],
          });
        },
      },
    },
  };
}

const PR_CONTEXT = parseRunContext(
  { GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_NAME: 'pull_request' },
  {
    pull_request: { number: 7, base: { sha: 'c'.repeat(40) }, head: { sha: 'd'.repeat(40) } },
    repository: { default_branch: 'main' },
  },
);
const PUSH_CONTEXT = parseRunContext(
  { GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' },
  {},
);

describe('createStore with GitHub access (Action)', () => {
  it('in a PR: the merge-base and its first-parent ancestors, best first', async () => {
    const calls: string[] = [];
    const built = await createStore(parseConfig({ model: 'demo' }).store, {
      log: collectingLogger(),
      github: { context: PR_CONTEXT, octokit: fakeOctokit(calls) },
    });
    expect(built.preferredShas).toEqual([MERGE_BASE, PARENT]);
    expect(calls).toEqual([`compare ${'c'.repeat(40)}...${'d'.repeat(40)}`, `list ${MERGE_BASE}`]);
  });

  it('outside a PR: no commit lookups', async () => {
    const calls: string[] = [];
    const built = await createStore(parseConfig({ model: 'demo' }).store, {
      log: collectingLogger(),
      github: { context: PUSH_CONTEXT, octokit: fakeOctokit(calls) },
    });
    expect(built.preferredShas).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('without a token the branch store degrades to no baseline, with a warning', async () => {
    const log = collectingLogger();
    const built = await createStore(parseConfig({ model: 'demo' }).store, {
      log,
      github: { context: PR_CONTEXT, octokit: undefined },
    });
    expect(built.store).toBe(noBaselineStore);
    expect(log.warnings).toEqual([
      "baseline-store 'branch' needs the repository's API: github-token is empty, so nothing is compared or saved",
    ]);
  });

  it("'none' and 'file' stores need no GitHub at all", async () => {
    const calls: string[] = [];
    const none = await createStore(parseConfig({ model: 'demo', 'baseline-store': 'none' }).store, {
      log: collectingLogger(),
      github: { context: PR_CONTEXT, octokit: fakeOctokit(calls) },
    });
    expect(none.store).toBe(noBaselineStore);
    const file = await createStore(
      parseConfig({ model: 'demo', 'baseline-store': 'file', 'baseline-path': '/tmp/ttg-baselines' }).store,
      {
        log: collectingLogger(),
        github: { context: PR_CONTEXT, octokit: fakeOctokit(calls) },
      },
    );
    expect(file.preferredShas).toEqual([]);
    expect(calls).toEqual([]);
  });
});
