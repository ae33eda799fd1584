/**
 * Issue-comment routes of the fake GitHub (https://docs.github.com/rest/issues/comments): list
 * (paginated like GitHub: `per_page` up to 100, `Link` header with `next`/`last`), create and
 * update. PR comments are issue comments, so a PR number is an issue number here. State lives
 * in the object `createIssueCommentRoutes` returns (one per fake), so tests can seed comments
 * and read back what the code under test wrote.
 *
 * ```ts
 * const issues = createIssueCommentRoutes();
 * const github = await startFakeGitHub({ routes: [...defaultRoutes, ...issues.routes] });
 * issues.seed(7, Array.from({ length: 250 }, (_, i) => `chatter ${i}`)); // 3 pages
 * github.inject('issues/create-comment', githubFaults.forbidden(), 1);   // a read-only token
 * expect(issues.comments(7)).toHaveLength(251);
 * ```
 */
import type { FakeReply, FakeRepo, FakeRoute } from './fake-github.js';

/** A comment as stored by the fake. */
export interface StoredComment {
  readonly id: number;
  readonly issueNumber: number;
  body: string;
  /** `login` of the author: `github-actions[bot]` for writes through the API. */
  readonly author: string;
  readonly createdAt: string;
  updatedAt: string;
}

/** The routes and their state. */
export interface IssueCommentRoutes {
  readonly routes: readonly FakeRoute[];
  /** Comments of an issue, oldest first (live objects: bodies reflect updates). */
  comments(issueNumber: number): readonly StoredComment[];
  /** Every comment body written or seeded, on any issue, in id order. */
  allBodies(): string[];
  /** Adds comments by someone else (`author`, default `octocat`), oldest first. */
  seed(issueNumber: number, bodies: readonly string[], author?: string): void;
}

const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const HUMAN_ID = 583231;

/** When seeded comments were "written" (they precede everything the code under test writes). */
const SEED_TIME = '2026-01-01T00:00:00Z';

/** Fresh routes with empty state. */
export function createIssueCommentRoutes(): IssueCommentRoutes {
  const byId = new Map<number, StoredComment>();
  let nextId = 1_000_001;
  const add = (issueNumber: number, body: string, author: string, time: string): StoredComment => {
    const comment: StoredComment = { id: nextId++, issueNumber, body, author, createdAt: time, updatedAt: time };
    byId.set(comment.id, comment);
    return comment;
  };
  const commentsOf = (issueNumber: number): StoredComment[] =>
    [...byId.values()].filter((comment) => comment.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
  const routes: FakeRoute[] = [
    {
      operationId: 'issues/list-comments',
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      handle: ({ params, query }, repo) => {
        const issueNumber = Number(params['issue_number']);
        return listPage(repo, issueNumber, commentsOf(issueNumber), query);
      },
    },
    {
      operationId: 'issues/create-comment',
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      handle: ({ params, body }, repo) => {
        const comment = add(
          Number(params['issue_number']),
          (body as { body: string }).body,
          BOT.login,
          isoSeconds(repo),
        );
        return { status: 201, body: commentJson(repo, comment), headers: { location: commentUrl(repo, comment.id) } };
      },
    },
    {
      operationId: 'issues/update-comment',
      method: 'PATCH',
      path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      handle: ({ params, body }, repo) => {
        const comment = byId.get(Number(params['comment_id']));
        // GitHub answers 404 here, which its description does not document for this operation;
        // the code under test only updates comments it just listed, so this is never reached.
        if (comment === undefined)
          return { status: 422, body: { message: `no comment ${params['comment_id'] ?? ''} in the fake` } };
        comment.body = (body as { body: string }).body;
        comment.updatedAt = isoSeconds(repo);
        return { status: 200, body: commentJson(repo, comment) };
      },
    },
  ];
  return {
    routes,
    comments: (issueNumber) => commentsOf(issueNumber),
    allBodies: () => [...byId.values()].sort((a, b) => a.id - b.id).map((comment) => comment.body),
    seed: (issueNumber, bodies, author = 'octocat') => {
      for (const body of bodies) add(issueNumber, body, author, SEED_TIME);
    },
  };
}

function isoSeconds(repo: FakeRepo): string {
  return new Date(repo.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function listPage(
  repo: FakeRepo,
  issueNumber: number,
  all: readonly StoredComment[],
  query: URLSearchParams,
): FakeReply {
  const perPage = Math.max(1, Math.min(100, Number(query.get('per_page') ?? 30)));
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const page = Math.max(1, Number(query.get('page') ?? 1));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const url = (n: number): string =>
    `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}/issues/${issueNumber}/comments?per_page=${perPage}&page=${n}`;
  const links = [
    ...(page < lastPage ? [`<${url(page + 1)}>; rel="next"`, `<${url(lastPage)}>; rel="last"`] : []),
    ...(page > 1 ? [`<${url(1)}>; rel="first"`, `<${url(page - 1)}>; rel="prev"`] : []),
  ];
  return {
    status: 200,
    body: items.map((comment) => commentJson(repo, comment)),
    ...(links.length === 0 ? {} : { headers: { link: links.join(', ') } }),
  };
}

function commentUrl(repo: FakeRepo, id: number): string {
  return `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}/issues/comments/${id}`;
}

/** An issue comment as the REST API shows it (`issue-comment` schema). */
function commentJson(repo: FakeRepo, comment: StoredComment): object {
  const html = `https://github.com/${repo.owner}/${repo.repo}`;
  const user = comment.author === BOT.login ? BOT : { login: comment.author, id: HUMAN_ID, type: 'User' };
  return {
    id: comment.id,
    node_id: Buffer.from(`IC:${comment.id}`).toString('base64'),
    url: commentUrl(repo, comment.id),
    html_url: `${html}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repo.baseUrl}/repos/${repo.owner}/${repo.repo}/issues/${comment.issueNumber}`,
    author_association: user.type === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
  };
}

function userJson(user: { readonly login: string; readonly id: number; readonly type: string }): object {
  const api = `https://api.github.com/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`U:${user.id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${encodeURIComponent(user.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    site_admin: false,
  };
}
