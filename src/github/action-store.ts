/**
 * The Action's baseline store (DESIGN §7) and the commits to take a PR's baseline from
 * (DESIGN §6), as docs/baseline-store.md suggests wiring them. Only the `branch` store needs
 * GitHub; without a token or a repository it degrades to "no baseline", with a warning,
 * rather than failing the check.
 */
import type { BaselineStore } from '../model/baseline-store.js';
import { createBaselineStore, noBaselineStore } from '../baseline/create-baseline-store.js';
import { createDataBranchStore } from '../baseline/data-branch-store.js';
import type { CommitsClient, GitDataClient } from '../baseline/github-client.js';
import { resolvePreferredShas } from '../baseline/resolve-preferred-shas.js';
import { withLoadNotes } from '../baseline/with-load-notes.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { ActionRunContext } from './run-context.js';

/** Options of {@link createActionStore}. */
export interface ActionStoreOptions {
  readonly config: Config;
  readonly context: ActionRunContext;
  /** Undefined when `github-token` is empty. */
  readonly octokit: (GitDataClient & CommitsClient) | undefined;
  readonly log: Logger;
}

/** The store and the preferred baseline commits (empty outside PRs). */
export interface ActionStore {
  readonly store: BaselineStore;
  readonly preferredShas: readonly string[];
}

/**
 * Builds the store. In a PR the merge-base and its ancestors are resolved first (never fails;
 * its notes reach the report through `withLoadNotes`).
 *
 * `latest` (no merge-base data) is limited to runs of the default branch, except on a tag push:
 * there any ref counts, so with a benchmark key used only by the release workflow the baseline
 * is the previous release's run (README, release gating).
 */
export async function createActionStore(options: ActionStoreOptions): Promise<ActionStore> {
  const { config, context, octokit, log } = options;
  if (config.store.kind !== 'branch') return { store: createBaselineStore(config.store, { log }), preferredShas: [] };
  const { owner, repo } = context;
  if (octokit === undefined || owner === undefined || repo === undefined) {
    const why = octokit === undefined ? 'github-token is empty' : 'GITHUB_REPOSITORY is not set';
    log.warn(`baseline-store 'branch' needs the repository's API: ${why}, so nothing is compared or saved`);
    return { store: noBaselineStore, preferredShas: [] };
  }
  const pr = context.pullRequest;
  const preferred = pr === undefined
    ? { shas: [], notes: [] }
    : await resolvePreferredShas({ octokit, owner, repo, baseSha: pr.baseSha, headSha: pr.headSha, log });
  const defaultRef = context.isTag || context.defaultBranch === undefined ? {} : { defaultRef: `refs/heads/${context.defaultBranch}` };
  const store = createDataBranchStore({
    octokit,
    owner,
    repo,
    branch: config.store.branch,
    history: config.store.history,
    log,
    ...defaultRef,
  });
  return { store: withLoadNotes(store, preferred.notes), preferredShas: preferred.shas };
}
