/**
 * The one baseline store factory, for the Action and the CLI (docs/baseline-store.md):
 * `none` stores nothing, `file` a directory, `branch` the repository's data branch through the
 * GitHub API. In a PR the commits to take the baseline from (merge-base first) are resolved
 * here too. Without a token or a repository the `branch` store degrades to "no baseline", with
 * a warning, rather than failing the check; on the CLI (no GitHub access) it is a ConfigError.
 */
import type { BaselineStore } from '../model/baseline-store.js';
import { createDataBranchStore } from '../baseline/data-branch-store.js';
import { createFileStore } from '../baseline/file-store.js';
import { withLoadNotes } from '../baseline/with-load-notes.js';
import type { StoreConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import type { CommitsClient, GitDataClient } from '../github-api/github-client.js';
import { resolvePreferredShas } from '../github-api/resolve-preferred-shas.js';
import type { ActionRunContext } from '../github/run-context.js';
import type { Logger } from '../logger.js';

/** The repository's API as the Action sees it. */
export interface GitHubStoreAccess {
  readonly context: ActionRunContext;
  /** Undefined when `github-token` is empty. */
  readonly octokit: (GitDataClient & CommitsClient) | undefined;
}

/** What the factory needs besides the store config. */
export interface StoreDeps {
  readonly log: Logger;
  /** Present in the Action only; the `branch` store needs it. */
  readonly github?: GitHubStoreAccess;
}

/** The store and the preferred baseline commits (empty outside PRs). */
export interface CreatedStore {
  readonly store: BaselineStore;
  readonly preferredShas: readonly string[];
}

/** A store that loads nothing and saves nothing, saying why (`baseline-store: none`). */
export const noBaselineStore: BaselineStore = {
  load: () => Promise.resolve({ runs: [], selectedBy: 'none', history: [], notes: [] }),
  save: () =>
    Promise.resolve({
      isSaved: false,
      detail: "baseline-store is 'none': the run is not stored (use --baseline-dir <dir> to keep baselines)",
    }),
};

/**
 * Builds the store. In a PR the merge-base and its ancestors are resolved first (never fails;
 * its notes reach the report through `withLoadNotes`). Throws `ConfigError` for `branch`
 * without GitHub access (the CLI) and for `file` without a path (parseConfig already rejects
 * that; this keeps the factory total).
 *
 * `latest` (no merge-base data) is limited to runs of the default branch, except on a tag push:
 * there any ref counts, so with a benchmark key used only by the release workflow the baseline
 * is the previous release's run (README, release gating).
 */
export async function createStore(store: StoreConfig, deps: StoreDeps): Promise<CreatedStore> {
  const { log, github } = deps;
  if (store.kind === 'none') return { store: noBaselineStore, preferredShas: [] };
  if (store.kind === 'file') return { store: createLocalFileStore(store, log), preferredShas: [] };
  if (github === undefined) throw branchNeedsAction(store);
  const { context, octokit } = github;
  const { owner, repo } = context;
  if (octokit === undefined || owner === undefined || repo === undefined) {
    const why = octokit === undefined ? 'github-token is empty' : 'GITHUB_REPOSITORY is not set';
    log.warn(`baseline-store 'branch' needs the repository's API: ${why}, so nothing is compared or saved`);
    return { store: noBaselineStore, preferredShas: [] };
  }
  const pr = context.pullRequest;
  const preferred =
    pr === undefined
      ? { shas: [], notes: [] }
      : await resolvePreferredShas({ octokit, owner, repo, baseSha: pr.baseSha, headSha: pr.headSha, log });
  const defaultRef =
    context.isTag || context.defaultBranch === undefined ? {} : { defaultRef: `refs/heads/${context.defaultBranch}` };
  const dataBranch = createDataBranchStore({
    octokit,
    owner,
    repo,
    branch: store.branch,
    history: store.history,
    log,
    ...defaultRef,
  });
  return { store: withLoadNotes(dataBranch, preferred.notes), preferredShas: preferred.shas };
}

function createLocalFileStore(store: StoreConfig, log: Logger): BaselineStore {
  if (store.path === undefined) {
    throw new ConfigError([
      { input: Input.baselinePath, value: '', expected: "a directory (required by baseline-store 'file')" },
    ]);
  }
  return createFileStore({ dir: store.path, history: store.history, log });
}

function branchNeedsAction(store: StoreConfig): ConfigError {
  return new ConfigError([
    {
      input: Input.baselineStore,
      value: store.kind,
      expected: "'file' or 'none' on the CLI",
      hint:
        "the branch store writes through the GitHub API with the Action's token, so it only works in the " +
        'Action; on the CLI use --baseline-dir <dir> (a file store with the same layout)',
    },
  ]);
}
