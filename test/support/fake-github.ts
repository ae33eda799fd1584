/**
 * An in-process fake of the GitHub REST API on 127.0.0.1:0 for fault tests (docs/architecture.md#measuring-the-tool-itself: GitHub
 * cannot be reached from CI). Every request body and every response body — faults included —
 * is validated against GitHub's OpenAPI description (openapi-validator.ts); a mismatch is a
 * violation, and `close()` throws listing them, so the fake cannot drift from the real API.
 *
 * Endpoints come from route tables (`FakeRoute[]`): adding one is a route object naming the
 * operation, its method and path template as in the description, and a handler. Routes keep
 * their own state in closures; the shared repository state is the `FakeRepo` argument.
 *
 * ```ts
 * const github = await startFakeGitHub();                     // git data + commit routes
 * const octokit = getOctokit('fake-token', { baseUrl: github.baseUrl });
 * github.inject('git/update-ref', githubFaults.serverError(502));  // github-faults.ts
 * github.before('git/update-ref', () => otherWriter.save(run));    // a concurrent writer
 * afterEach(() => github.close());                              // throws on any violation
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitObjects, GitValidationError } from './git-objects.js';
import { commitRoutes } from './github-commit-routes.js';
import { gitDataRoutes } from './github-git-routes.js';
import { operationSchemas, requestProblems, responseProblems, type OperationRef } from './openapi-validator.js';

/** A parsed request, as a route sees it. */
export interface FakeRequest {
  readonly operationId: string;
  /** Path parameters, percent-decoded (`ref: 'heads/main'`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body (undefined for GET). */
  readonly body: unknown;
}

/** What a route answers. Error bodies get `documentation_url` and `status` as GitHub's do. */
export interface FakeReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The repository a fake serves. */
export interface FakeRepo {
  readonly owner: string;
  readonly repo: string;
  readonly git: GitObjects;
  /** `http://127.0.0.1:<port>`: the API root, for `url` fields. */
  readonly baseUrl: string;
  /** Milliseconds since the epoch (the fake clock in tests). */
  now(): number;
}

/** One endpoint. */
export interface FakeRoute {
  /** As in the description (`git/get-ref`); checked at startup. */
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path template exactly as in the description. */
  readonly path: string;
  handle(request: FakeRequest, repo: FakeRepo): FakeReply;
}

/** One handled request, for assertions. */
export interface FakeCall {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  readonly owner?: string;
  readonly repo?: string;
  /** Default: git data and commit routes. Pass `[...defaultRoutes, ...yours]` to add endpoints. */
  readonly routes?: readonly FakeRoute[];
  /** Clock for commit dates and rate-limit headers (default `Date.now`). */
  readonly now?: () => number;
}

/** The running fake. */
export interface FakeGitHub extends FakeRepo {
  readonly calls: readonly FakeCall[];
  /** Requests or responses that GitHub's description does not allow. */
  readonly violations: readonly string[];
  /** The next `times` requests of `operationId` get `reply` instead of the route's answer. */
  inject(operationId: string, reply: FakeReply, times?: number): void;
  /** Runs `hook` before the next `times` requests of `operationId` are handled (and awaits it). */
  before(operationId: string, hook: (request: FakeRequest) => Promise<unknown> | undefined, times?: number): void;
  /** Files of a branch: path → blob sha and text; empty when the branch does not exist. */
  branchFiles(branch: string): Map<string, { readonly sha: string; readonly text: string }>;
  /** Stops the server; rejects when any violation was recorded. */
  close(): Promise<void>;
}

/** The routes served by default. */
export const defaultRoutes: readonly FakeRoute[] = [...gitDataRoutes, ...commitRoutes];

// Compiled at import: on a cold cache this parses GitHub's 70 MB description (seconds), which
// must not happen inside a test hook and its 10 s timeout.
const compiledDefaultRoutes = defaultRoutes.map(compileRoute);

/** Starts a fake serving one repository, whose `main` branch holds a README. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const routes = options.routes === undefined ? compiledDefaultRoutes : options.routes.map(compileRoute);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const faults = new Map<string, FakeReply[]>();
  const hooks = new Map<string, ((request: FakeRequest) => Promise<unknown> | undefined)[]>();
  const calls: FakeCall[] = [];
  const violations: string[] = [];
  const repo: FakeRepo = {
    owner: options.owner ?? 'octo-org',
    repo: options.repo ?? 'models',
    git: new GitObjects(),
    baseUrl: `http://127.0.0.1:${port}`,
    now: options.now ?? Date.now,
  };
  repo.git.commitFiles('main', { 'README.md': '# models\n' }, new Date(repo.now()).toISOString(), 'Initial commit');
  const state = { repo, routes, faults, hooks, calls, violations };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(state, req, res).catch((err: unknown) => {
      // A bug in a route or a hook: record it (close() throws) and answer like an outage.
      state.violations.push(
        `the fake failed on ${req.method ?? ''} ${req.url ?? ''}: ${err instanceof Error ? (err.stack ?? err.message) : 'non-Error thrown'}`,
      );
      if (!res.headersSent) send(res, { status: 500, body: { message: 'fake failure' } }, repo);
    });
  });
  return {
    ...repo,
    calls,
    violations,
    inject: (operationId, reply, times = 1) => {
      faults.set(operationId, [...(faults.get(operationId) ?? []), ...Array<FakeReply>(times).fill(reply)]);
    },
    before: (operationId, hook, times = 1) => {
      hooks.set(operationId, [...(hooks.get(operationId) ?? []), ...Array<typeof hook>(times).fill(hook)]);
    },
    branchFiles: (branch) => branchFiles(repo.git, branch),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      if (violations.length > 0)
        throw new Error(`the fake GitHub drifted from the API description:\n${violations.join('\n')}`);
    },
  };
}

interface CompiledRoute extends FakeRoute {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly ref: OperationRef;
}

function compileRoute(route: FakeRoute): CompiledRoute {
  const ref = { method: route.method.toLowerCase(), path: route.path };
  const { operationId } = operationSchemas(ref);
  if (operationId !== route.operationId) {
    throw new Error(
      `route ${route.method} ${route.path} is ${operationId} in the description, not ${route.operationId}`,
    );
  }
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    // A trailing parameter may hold slashes when a client does not encode them (`heads/main`).
    return route.path.endsWith(`{${name}}`) ? '(.+)' : '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names, ref };
}

interface ServerState {
  readonly repo: FakeRepo;
  readonly routes: readonly CompiledRoute[];
  readonly faults: Map<string, FakeReply[]>;
  readonly hooks: Map<string, ((request: FakeRequest) => Promise<unknown> | undefined)[]>;
  readonly calls: FakeCall[];
  readonly violations: string[];
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.repo.baseUrl);
  const method = req.method ?? 'GET';
  const text = await readBody(req);
  const match = findRoute(state.routes, method, url.pathname);
  if (match === undefined) {
    state.violations.push(
      `no route for ${method} ${url.pathname}: the code under test calls an endpoint the fake lacks`,
    );
    send(
      res,
      { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } },
      state.repo,
    );
    return;
  }
  const { route, params } = match;
  const reply = await replyTo(state, route, { params, query: url.searchParams, text });
  const completed = completeErrorBody(reply, route);
  for (const problem of responseProblems(route.ref, completed.status, completed.body)) {
    state.violations.push(
      `${route.operationId} answered ${completed.status} with a body GitHub would not send: ${problem}`,
    );
  }
  state.calls.push({ operationId: route.operationId, method, path: url.pathname, status: completed.status });
  send(res, completed, state.repo);
}

async function replyTo(
  state: ServerState,
  route: CompiledRoute,
  raw: { readonly params: Record<string, string>; readonly query: URLSearchParams; readonly text: string },
): Promise<FakeReply> {
  let body: unknown;
  try {
    body = raw.text === '' ? undefined : JSON.parse(raw.text);
  } catch {
    state.violations.push(`${route.operationId}: request body is not JSON`);
    return { status: 400, body: { message: 'Problems parsing JSON' } };
  }
  const problems = route.method === 'GET' ? [] : requestProblems(route.ref, body);
  if (problems.length > 0) {
    state.violations.push(`${route.operationId}: request body GitHub would refuse: ${problems.join('; ')}`);
    return { status: 422, body: { message: `Invalid request.\n\n${problems.join('\n')}` } };
  }
  const request: FakeRequest = { operationId: route.operationId, params: raw.params, query: raw.query, body };
  await state.hooks.get(route.operationId)?.shift()?.(request);
  const fault = state.faults.get(route.operationId)?.shift();
  if (fault !== undefined) return fault;
  if (raw.params['owner'] !== state.repo.owner || raw.params['repo'] !== state.repo.repo) {
    return { status: 404, body: { message: 'Not Found' } };
  }
  try {
    return route.handle(request, state.repo);
  } catch (err: unknown) {
    if (err instanceof GitValidationError) return { status: 422, body: { message: err.message } };
    throw err;
  }
}

function findRoute(routes: readonly CompiledRoute[], method: string, pathname: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(pathname);
    if (found === null) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1] ?? '')));
    return { route, params };
  }
  return undefined;
}

/** GitHub's error bodies always carry `documentation_url` and the status as a string. */
function completeErrorBody(reply: FakeReply, route: CompiledRoute): FakeReply {
  if (reply.status < 400 || typeof reply.body !== 'object' || reply.body === null) return reply;
  const documentationUrl = operationSchemas(route.ref).documentationUrl ?? 'https://docs.github.com/rest';
  return { ...reply, body: { documentation_url: documentationUrl, status: String(reply.status), ...reply.body } };
}

function send(res: ServerResponse, reply: FakeReply, repo: FakeRepo): void {
  const resetS = Math.floor(repo.now() / 1000) + 3600;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': `FAKE:${Math.floor(repo.now()).toString(16)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(resetS),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    ...reply.headers,
  };
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function branchFiles(git: GitObjects, branch: string): Map<string, { readonly sha: string; readonly text: string }> {
  const head = git.refs.get(`refs/heads/${branch}`);
  const tree = head === undefined ? undefined : git.commit(head)?.tree;
  const files = new Map<string, { sha: string; text: string }>();
  if (tree === undefined) return files;
  for (const [path, sha] of git.filesOf(tree)) files.set(path, { sha, text: git.blob(sha)?.toString('utf8') ?? '' });
  return files;
}
