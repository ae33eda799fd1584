/**
 * Commit routes of the fake GitHub: compare two commits (`merge_base_commit`) and list the
 * commits reachable from a sha, newest first, paginated — over the in-memory `GitObjects`.
 */
import type { FakeReply, FakeRepo, FakeRoute } from './fake-github.js';

const notFound: FakeReply = { status: 404, body: { message: 'Not Found' } };

/** A commit as the REST API shows it (`repos/get-commit`, lists, comparisons). */
function restCommitJson(repo: FakeRepo, sha: string): object {
  const commit = repo.git.commit(sha);
  if (commit === undefined) throw new Error(`no commit ${sha}`);
  const api = `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}`;
  const html = `https://github.com/${repo.owner}/${repo.repo}/commit`;
  return {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: Buffer.from(`commit:${sha}`).toString('base64'),
    html_url: `${html}/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    // Commits by the seeder or a bot's git identity map to no GitHub user.
    author: null,
    committer: null,
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${api}/commits/${parent}`,
      html_url: `${html}/${parent}`,
    })),
  };
}

/** A sha or a branch name, resolved to a commit sha. */
function resolveCommit(repo: FakeRepo, name: string): string | undefined {
  if (repo.git.commit(name) !== undefined) return name;
  return repo.git.refs.get(`refs/heads/${name}`);
}

/** Commits reachable from `start`, newest committer date first (git log's default order). */
function history(repo: FakeRepo, start: string): string[] {
  const dateOf = (sha: string): string => repo.git.commit(sha)?.committer.date ?? '';
  const seen = new Set<string>([start]);
  const queue = [start];
  const out: string[] = [];
  while (queue.length > 0) {
    queue.sort((a, b) => (dateOf(a) < dateOf(b) ? 1 : dateOf(a) > dateOf(b) ? -1 : 0));
    const sha = queue.shift();
    if (sha === undefined) break;
    out.push(sha);
    for (const parent of repo.git.commit(sha)?.parents ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        queue.push(parent);
      }
    }
  }
  return out;
}

function page<T>(items: readonly T[], query: URLSearchParams): T[] {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
  const number = Math.max(1, Number(query.get('page') ?? 1));
  return items.slice((number - 1) * perPage, number * perPage);
}

function compare(repo: FakeRepo, basehead: string, query: URLSearchParams): FakeReply {
  const [baseName = '', headName = ''] = basehead.split('...');
  const base = resolveCommit(repo, baseName);
  const head = resolveCommit(repo, headName);
  if (base === undefined || head === undefined) return notFound;
  const baseAncestors = new Set(history(repo, base));
  const headHistory = history(repo, head);
  const mergeBase = headHistory.find((sha) => baseAncestors.has(sha));
  if (mergeBase === undefined) return notFound; // unrelated histories: GitHub answers 404 too
  const ahead = headHistory.filter((sha) => !baseAncestors.has(sha));
  const headAncestors = new Set(headHistory);
  const behind = [...baseAncestors].filter((sha) => !headAncestors.has(sha));
  const status =
    ahead.length === 0 ? (behind.length === 0 ? 'identical' : 'behind') : behind.length === 0 ? 'ahead' : 'diverged';
  const api = `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}`;
  const html = `https://github.com/${repo.owner}/${repo.repo}`;
  return {
    status: 200,
    body: {
      url: `${api}/compare/${basehead}`,
      html_url: `${html}/compare/${basehead}`,
      permalink_url: `${html}/compare/${base}...${head}`,
      diff_url: `${html}/compare/${basehead}.diff`,
      patch_url: `${html}/compare/${basehead}.patch`,
      base_commit: restCommitJson(repo, base),
      merge_base_commit: restCommitJson(repo, mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: page([...ahead].reverse(), query).map((sha) => restCommitJson(repo, sha)),
      files: [],
    },
  };
}

/** The commit routes. */
export const commitRoutes: readonly FakeRoute[] = [
  {
    operationId: 'repos/compare-commits-with-basehead',
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    handle: ({ params, query }, repo) => compare(repo, params['basehead'] ?? '', query),
  },
  {
    operationId: 'repos/list-commits',
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    handle: ({ query }, repo) => {
      const start = resolveCommit(repo, query.get('sha') ?? 'main');
      if (start === undefined) return notFound;
      return { status: 200, body: page(history(repo, start), query).map((sha) => restCommitJson(repo, sha)) };
    },
  },
];
