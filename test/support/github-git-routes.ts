/**
 * Git Data API routes of the fake GitHub (https://docs.github.com/rest/git): refs, commits,
 * trees and blobs over the in-memory `GitObjects`, with GitHub's status codes and messages
 * (404 unknown objects, 422 "Reference already exists", "Update is not a fast forward", ...).
 */
import type { FakeReply, FakeRepo, FakeRoute } from './fake-github.js';
import type { CommitObject, TreeChange, TreeEntry, TreeMode } from './git-objects.js';

const notFound: FakeReply = { status: 404, body: { message: 'Not Found' } };
const invalid = (message: string): FakeReply => ({ status: 422, body: { message } });

/** `{ ref, node_id, url, object }` of a ref. */
function refJson(repo: FakeRepo, ref: string, sha: string): object {
  const api = `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}`;
  return {
    ref,
    node_id: Buffer.from(`ref:${ref}`).toString('base64'),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

/** A git commit as the Git Data API shows it. */
export function gitCommitJson(repo: FakeRepo, sha: string, commit: CommitObject): object {
  const api = `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}`;
  const html = `https://github.com/${repo.owner}/${repo.repo}/commit`;
  return {
    sha,
    node_id: Buffer.from(`commit:${sha}`).toString('base64'),
    url: `${api}/git/commits/${sha}`,
    html_url: `${html}/${sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${api}/git/commits/${parent}`,
      html_url: `${html}/${parent}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function treeJson(repo: FakeRepo, sha: string, isRecursive: boolean): object {
  const api = `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}/git`;
  const entries = isRecursive
    ? flatten(repo, sha, '')
    : (repo.git.tree(sha) ?? []).map((entry) => ({ ...entry, path: entry.name }));
  return {
    sha,
    url: `${api}/trees/${sha}`,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === 'blob' ? { size: repo.git.blob(entry.sha)?.length ?? 0 } : {}),
      url: `${api}/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`,
    })),
    truncated: false,
  };
}

function flatten(repo: FakeRepo, sha: string, prefix: string): (TreeEntry & { path: string })[] {
  return (repo.git.tree(sha) ?? []).flatMap((entry) => {
    const own = { ...entry, path: `${prefix}${entry.name}` };
    return entry.type === 'tree' ? [own, ...flatten(repo, entry.sha, `${own.path}/`)] : [own];
  });
}

/** Base64 in lines of 60 characters, as GitHub sends blob content. */
function githubBase64(content: Buffer): string {
  return `${(content.toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;
}

interface CreateCommitBody {
  readonly message: string;
  readonly tree: string;
  readonly parents?: readonly string[];
}

function createCommit(repo: FakeRepo, body: CreateCommitBody): FakeReply {
  if (repo.git.tree(body.tree) === undefined) return invalid('Tree SHA does not exist');
  const parents = body.parents ?? [];
  if (parents.some((parent) => repo.git.commit(parent) === undefined)) {
    return invalid('Parent SHA does not exist or is not a commit object');
  }
  const who = {
    name: 'github-actions[bot]',
    email: '41898282+github-actions[bot]@users.noreply.github.com',
    date: new Date(repo.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const commit: CommitObject = { tree: body.tree, parents, message: body.message, author: who, committer: who };
  const sha = repo.git.putCommit(commit);
  return { status: 201, body: gitCommitJson(repo, sha, commit) };
}

interface CreateTreeBody {
  readonly base_tree?: string;
  readonly tree: readonly {
    path: string;
    mode: TreeMode;
    type: TreeChange['type'];
    sha?: string | null;
    content?: string;
  }[];
}

function createTree(repo: FakeRepo, body: CreateTreeBody): FakeReply {
  if (body.base_tree !== undefined && repo.git.tree(body.base_tree) === undefined) return notFound;
  const changes = body.tree.map((entry): TreeChange => {
    const sha = entry.content === undefined ? (entry.sha ?? null) : repo.git.putBlob(entry.content);
    return { path: entry.path, mode: entry.mode, type: entry.type, sha };
  });
  const sha = repo.git.applyToTree(body.base_tree, changes);
  return { status: 201, body: treeJson(repo, sha, false) };
}

function updateRef(repo: FakeRepo, ref: string, body: { readonly sha: string; readonly force?: boolean }): FakeReply {
  const current = repo.git.refs.get(`refs/${ref}`);
  if (current === undefined) return invalid('Reference does not exist');
  if (repo.git.commit(body.sha) === undefined) return invalid('Object does not exist');
  if (body.force !== true && !repo.git.isAncestor(current, body.sha)) return invalid('Update is not a fast forward');
  repo.git.refs.set(`refs/${ref}`, body.sha);
  return { status: 200, body: refJson(repo, `refs/${ref}`, body.sha) };
}

function createRef(repo: FakeRepo, body: { readonly ref: string; readonly sha: string }): FakeReply {
  if (!/^refs\/[^/]+\/.+/.test(body.ref))
    return invalid('Reference name is invalid: it must start with refs/ and have at least two slashes');
  if (repo.git.refs.has(body.ref)) return invalid('Reference already exists');
  if (repo.git.commit(body.sha) === undefined) return invalid('Object does not exist');
  repo.git.refs.set(body.ref, body.sha);
  return { status: 201, body: refJson(repo, body.ref, body.sha) };
}

/** The Git Data routes. */
export const gitDataRoutes: readonly FakeRoute[] = [
  {
    operationId: 'git/get-ref',
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref}',
    handle: ({ params }, repo) => {
      const ref = `refs/${params['ref'] ?? ''}`;
      const sha = repo.git.refs.get(ref);
      return sha === undefined ? notFound : { status: 200, body: refJson(repo, ref, sha) };
    },
  },
  {
    operationId: 'git/create-ref',
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    handle: ({ body }, repo) => createRef(repo, body as { ref: string; sha: string }),
  },
  {
    operationId: 'git/update-ref',
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref}',
    handle: ({ params, body }, repo) => updateRef(repo, params['ref'] ?? '', body as { sha: string; force?: boolean }),
  },
  {
    operationId: 'git/get-commit',
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    handle: ({ params }, repo) => {
      const sha = params['commit_sha'] ?? '';
      const commit = repo.git.commit(sha);
      return commit === undefined ? notFound : { status: 200, body: gitCommitJson(repo, sha, commit) };
    },
  },
  {
    operationId: 'git/create-commit',
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/commits',
    handle: ({ body }, repo) => createCommit(repo, body as CreateCommitBody),
  },
  {
    operationId: 'git/get-tree',
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    handle: ({ params, query }, repo) => {
      const sha = params['tree_sha'] ?? '';
      return repo.git.tree(sha) === undefined
        ? notFound
        : { status: 200, body: treeJson(repo, sha, query.has('recursive')) };
    },
  },
  {
    operationId: 'git/create-tree',
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/trees',
    handle: ({ body }, repo) => {
      const tree = body as CreateTreeBody;
      if (tree.tree.some((entry) => entry.content !== undefined && entry.sha !== undefined)) {
        return invalid('Use either tree.sha or content, not both');
      }
      return createTree(repo, tree);
    },
  },
  {
    operationId: 'git/get-blob',
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    handle: ({ params }, repo) => {
      const sha = params['file_sha'] ?? '';
      const content = repo.git.blob(sha);
      if (content === undefined) return notFound;
      const url = `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}/git/blobs/${sha}`;
      const node_id = Buffer.from(`blob:${sha}`).toString('base64');
      return {
        status: 200,
        body: { sha, node_id, size: content.length, url, content: githubBase64(content), encoding: 'base64' },
      };
    },
  },
  {
    operationId: 'git/create-blob',
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/blobs',
    handle: ({ body }, repo) => {
      const { content, encoding = 'utf-8' } = body as { content: string; encoding?: string };
      if (encoding !== 'utf-8' && encoding !== 'base64')
        return invalid(`encoding must be utf-8 or base64, got ${encoding}`);
      const sha = repo.git.putBlob(Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'));
      return { status: 201, body: { sha, url: `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}/git/blobs/${sha}` } };
    },
  },
];
