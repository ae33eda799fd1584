/**
 * One attempt at saving a run on the data branch (docs/baseline-store.md): read the head, rebuild the index
 * from it, then blobs → tree (`base_tree` = the head's tree, so every other file is kept as it
 * is) → commit (parent = the head) → ref update with `force: false`, or a new orphan branch.
 * Losing a race is an outcome (`conflict`), not an error: the caller re-reads and retries.
 */
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { RUNS_DIR } from './benchmark-paths.js';
import {
  gitCall,
  keyDirReaderOf,
  readBlobText,
  readBranchHead,
  readKeyDir,
  type BranchContext,
  type BranchHead,
} from './branch-reader.js';
import type { NewTreeEntry } from '../github-api/github-client.js';
import { githubFailureOf } from '../github-api/github-failure.js';
import type { PreparedRun } from './prepare-save.js';
import { readRunIndex } from './read-run-index.js';
import { serializeRunIndex, withEntries } from './run-index.js';

/** What one attempt achieved. */
export type CommitOutcome =
  | { readonly kind: 'saved' }
  | { readonly kind: 'already-saved' }
  | { readonly kind: 'conflict'; readonly message: string };

/** The run to write and what the attempt may reuse. */
export interface RunCommit {
  readonly prepared: PreparedRun;
  readonly history: number;
  /** Blob shas by text, shared across attempts: a retry does not upload the run again. */
  readonly blobs: Map<string, string>;
  readonly maxReads: number;
}

// GitHub's answers when the ref moved between our read and our update (or the branch was
// created or deleted meanwhile): re-read and retry. Other 422s (rulesets, protected branches)
// would fail every time, so they fail at once.
const LOST_RACE = /fast.forward|already exists|does not exist|cannot be updated/i;

/** Tries once to commit the run (and the updated index) on top of the current head. */
export async function writeRunCommit(context: BranchContext, commit: RunCommit): Promise<CommitOutcome> {
  const { prepared } = commit;
  const head = await readBranchHead(context);
  const listing = head === undefined ? undefined : await readKeyDir(context, head.treeSha, prepared.keyDir);
  const existing = listing?.runFiles.get(prepared.path.slice(RUNS_DIR.length + 1));
  if (existing !== undefined) return existingRun(context, prepared, existing);
  const loaded = await readRunIndex(keyDirReaderOf(context, listing), {
    benchmarkKey: prepared.benchmarkKey,
    history: commit.history,
    maxReads: commit.maxReads,
    location: `${context.location}:${prepared.keyDir}`,
  });
  for (const warning of loaded.warnings) context.policy.log.warn(warning);
  const tree: NewTreeEntry[] = [await treeEntry(context, commit, `${prepared.keyDir}/${prepared.path}`, prepared.text)];
  if (loaded.writePath === undefined) {
    context.policy.log.warn(
      `${context.location}:${prepared.keyDir}: index not updated (no usable index file); the run file is saved`,
    );
  } else {
    const index = withEntries(loaded.index, [prepared.entry], commit.history);
    tree.push(await treeEntry(context, commit, `${prepared.keyDir}/${loaded.writePath}`, serializeRunIndex(index)));
  }
  const commitSha = await createCommit(context, head, tree, prepared);
  return moveBranch(context, head, commitSha);
}

async function existingRun(context: BranchContext, prepared: PreparedRun, sha: string): Promise<CommitOutcome> {
  // Same text: our own earlier attempt landed (e.g. its response was lost). Anything else is
  // another run that must never be overwritten.
  if ((await readBlobText(context, sha)) === prepared.text) return { kind: 'already-saved' };
  throw new BaselineStoreError(
    'exists',
    context.location,
    `${context.location}:${prepared.keyDir}/${prepared.path} already exists with other content: run files are ` +
      `never overwritten; run ${prepared.entry.id} was not saved`,
  );
}

async function treeEntry(context: BranchContext, commit: RunCommit, path: string, text: string): Promise<NewTreeEntry> {
  const { client, owner, repo } = context;
  let sha = commit.blobs.get(text);
  if (sha === undefined) {
    const blob = await gitCall(context, `create blob for ${path}`, 'write', () =>
      client.rest.git.createBlob({ owner, repo, content: text, encoding: 'utf-8' }),
    );
    sha = blob.data.sha;
    commit.blobs.set(text, sha);
  }
  return { path, mode: '100644', type: 'blob', sha };
}

async function createCommit(
  context: BranchContext,
  head: BranchHead | undefined,
  tree: NewTreeEntry[],
  prepared: PreparedRun,
): Promise<string> {
  const { client, owner, repo } = context;
  const newTree = await gitCall(context, 'create tree', 'write', () =>
    client.rest.git.createTree({ owner, repo, tree, ...(head === undefined ? {} : { base_tree: head.treeSha }) }),
  );
  // No parent only for the very first commit: the data branch is an orphan (docs/baseline-store.md).
  const created = await gitCall(context, 'create commit', 'write', () =>
    client.rest.git.createCommit({
      owner,
      repo,
      message: `triton-throughput-gate: add run ${prepared.entry.id} of ${prepared.benchmarkKey}`,
      tree: newTree.data.sha,
      parents: head === undefined ? [] : [head.sha],
    }),
  );
  return created.data.sha;
}

async function moveBranch(context: BranchContext, head: BranchHead | undefined, sha: string): Promise<CommitOutcome> {
  const { client, owner, repo, branch } = context;
  try {
    if (head === undefined) {
      await gitCall(context, `create branch ${branch}`, 'write', () =>
        client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha }),
      );
    } else {
      await gitCall(context, `update branch ${branch}`, 'write', () =>
        client.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: false }),
      );
    }
    return { kind: 'saved' };
  } catch (err: unknown) {
    if (err instanceof BaselineStoreError) throw err;
    const failure = githubFailureOf(err, context.policy.clock.now());
    if (failure.kind === 'conflict' && (failure.status === 409 || LOST_RACE.test(failure.message))) {
      return { kind: 'conflict', message: `HTTP ${failure.status} ${failure.message}` };
    }
    if (failure.kind !== 'conflict') throw err;
    throw new BaselineStoreError(
      'refused',
      context.location,
      `GitHub refused to move branch ${branch} (HTTP ${failure.status}: ${failure.message}); a ruleset or ` +
        `branch protection may cover it: exempt ${branch} or choose another baseline-branch`,
      { cause: err },
    );
  }
}
