/**
 * Reading the data branch through the Git Data API (docs/baseline-store.md): ref → commit → trees → blobs.
 * Trees are walked one level at a time down to `benchmarks/<key>/runs`, so the cost does not
 * grow with other keys and a recursive listing can never be truncated. The Octokit client
 * retries outages and waits out short rate limits (github-api/github-octokit.ts); what still
 * fails here becomes one clear error: a permission, a long rate limit or an outage.
 */
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { INDEX_FILE, REBUILT_INDEX_FILE, RUNS_DIR } from './benchmark-paths.js';
import type { GitDataClient } from '../github-api/github-client.js';
import { describeFailure, githubFailureOf } from '../github-api/github-failure.js';
import type { SavePolicy } from './save-backoff.js';
import type { KeyDirReader } from './read-run-index.js';

/** The branch being read or written, and how hard to try. */
export interface BranchContext {
  readonly client: GitDataClient;
  readonly owner: string;
  readonly repo: string;
  readonly branch: string;
  /** The save's conflict policy; its log and clock serve every call. */
  readonly policy: SavePolicy;
  /** `owner/repo@branch`, for messages. */
  readonly location: string;
}

/** The branch's head commit and its root tree. */
export interface BranchHead {
  readonly sha: string;
  readonly treeSha: string;
}

/** Blobs of a key directory: its own files and those in `runs/`, by name. */
export interface KeyDirListing {
  readonly files: ReadonlyMap<string, string>;
  readonly runFiles: ReadonlyMap<string, string>;
}

/** Read or write, for the permission message. */
export type Access = 'read' | 'write';

/**
 * One Git Data call (the client has already retried what can be retried). A 401/403 that is
 * not a rate limit, or a 404 on a write (GitHub hides repositories the token may not see),
 * becomes `BaselineStoreError('permission')`; a rate limit the client would not wait out,
 * `'rate-limit'`; an outage that outlasted the client's retries, `'transport'`. Other failures
 * (conflicts, a missing branch) are rethrown unchanged for the caller.
 */
export async function gitCall<T>(
  context: BranchContext,
  what: string,
  access: Access,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (err: unknown) {
    if (err instanceof BaselineStoreError) throw err;
    const failure = githubFailureOf(err, context.policy.clock.now());
    if (failure.kind === 'permission' || (failure.kind === 'not-found' && access === 'write')) {
      throw permissionError(context, access, failure.message, err);
    }
    const where = `${what} (${context.location})`;
    if (failure.kind === 'rate-limit') {
      const wait = failure.waitMs === undefined ? '' : `; it asks to wait ${Math.ceil(failure.waitMs / 1000)} s`;
      throw new BaselineStoreError(
        'rate-limit',
        context.location,
        `${where}: GitHub rate limit (${failure.message})${wait}, longer or more often than the client waits: ` +
          'try again later or spread the jobs out',
        { cause: err },
      );
    }
    if (failure.kind === 'transient') {
      throw new BaselineStoreError(
        'transport',
        context.location,
        `${where} failed, last with ${describeFailure(failure)} after the client's retries; GitHub may be ` +
          'having an outage (https://www.githubstatus.com): re-run the job later',
        { cause: err },
      );
    }
    throw err;
  }
}

function permissionError(context: BranchContext, access: Access, message: string, cause: unknown): BaselineStoreError {
  const verb = access === 'write' ? 'write to' : 'read';
  const scope = access === 'write' ? 'contents: write' : 'contents: read';
  return new BaselineStoreError(
    'permission',
    context.location,
    `the token cannot ${verb} branch ${context.branch}: needs \`${scope}\` on ${context.owner}/${context.repo} ` +
      `(GitHub said: ${message}); add \`permissions: ${scope}\` to the job` +
      (access === 'write' ? ', or set save-baseline: never' : ''),
    { cause },
  );
}

/**
 * The branch head, or undefined when the branch does not exist (404) or the repository has no
 * commits at all (409 "Git Repository is empty").
 */
export async function readBranchHead(context: BranchContext): Promise<BranchHead | undefined> {
  const { client, owner, repo, branch } = context;
  let sha: string;
  try {
    const ref = await gitCall(context, `get ref heads/${branch}`, 'read', () =>
      client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }),
    );
    sha = ref.data.object.sha;
  } catch (err: unknown) {
    if (err instanceof BaselineStoreError) throw err;
    const failure = githubFailureOf(err, context.policy.clock.now());
    if (failure.kind === 'not-found' || failure.status === 409) return undefined;
    throw err;
  }
  const commit = await gitCall(context, `get commit ${sha}`, 'read', () =>
    client.rest.git.getCommit({ owner, repo, commit_sha: sha }),
  );
  return { sha, treeSha: commit.data.tree.sha };
}

/** The listing of `keyDir` (`benchmarks/<key>`) under `rootTreeSha`, or undefined if absent. */
export async function readKeyDir(
  context: BranchContext,
  rootTreeSha: string,
  keyDir: string,
): Promise<KeyDirListing | undefined> {
  let treeSha = rootTreeSha;
  for (const segment of keyDir.split('/')) {
    const next = (await readTree(context, treeSha)).get(segment);
    if (next?.type !== 'tree') return undefined;
    treeSha = next.sha;
  }
  const entries = await readTree(context, treeSha);
  const files = new Map(
    [...entries].filter(([, entry]) => entry.type === 'blob').map(([name, entry]) => [name, entry.sha]),
  );
  const runs = entries.get(RUNS_DIR);
  const runEntries = runs?.type === 'tree' ? await readTree(context, runs.sha) : new Map<string, TreeItem>();
  const runFiles = new Map(
    [...runEntries].filter(([, entry]) => entry.type === 'blob').map(([name, entry]) => [name, entry.sha]),
  );
  return { files, runFiles };
}

interface TreeItem {
  readonly type: string;
  readonly sha: string;
}

async function readTree(context: BranchContext, treeSha: string): Promise<Map<string, TreeItem>> {
  const { client, owner, repo } = context;
  const tree = await gitCall(context, `get tree ${treeSha}`, 'read', () =>
    client.rest.git.getTree({ owner, repo, tree_sha: treeSha }),
  );
  if (tree.data.truncated) {
    // Only past 100,000 entries in one directory; entries beyond that are invisible to us.
    context.policy.log.warn(`${context.location}: tree ${treeSha} was truncated by GitHub; some files are not seen`);
  }
  return new Map(tree.data.tree.map((entry) => [entry.path, { type: entry.type, sha: entry.sha }]));
}

/** The text of a blob (GitHub sends base64 with line breaks). */
export async function readBlobText(context: BranchContext, sha: string): Promise<string> {
  const { client, owner, repo } = context;
  const blob = await gitCall(context, `get blob ${sha}`, 'read', () =>
    client.rest.git.getBlob({ owner, repo, file_sha: sha }),
  );
  const { content, encoding } = blob.data;
  if (encoding === 'base64') return Buffer.from(content, 'base64').toString('utf8');
  if (encoding === 'utf-8' || encoding === 'utf8') return content;
  throw new BaselineStoreError('transport', context.location, `blob ${sha} came with unknown encoding '${encoding}'`);
}

/** The key directory as a KeyDirReader; each blob is fetched at most once. */
export function keyDirReaderOf(context: BranchContext, listing: KeyDirListing | undefined): KeyDirReader {
  const texts = new Map<string, Promise<string>>();
  const read = (sha: string): Promise<string> => {
    const cached = texts.get(sha) ?? readBlobText(context, sha);
    texts.set(sha, cached);
    return cached;
  };
  return {
    readText: async (path) => {
      const sha = shaOf(listing, path);
      return sha === undefined ? undefined : read(sha);
    },
    listRunFiles: () => Promise.resolve([...(listing?.runFiles.keys() ?? [])]),
  };
}

function shaOf(listing: KeyDirListing | undefined, path: string): string | undefined {
  if (listing === undefined) return undefined;
  if (path === INDEX_FILE || path === REBUILT_INDEX_FILE) return listing.files.get(path);
  const prefix = `${RUNS_DIR}/`;
  return path.startsWith(prefix) ? listing.runFiles.get(path.slice(prefix.length)) : undefined;
}
