/**
 * The part of Octokit the baseline store uses, typed structurally (docs/architecture.md#data-flow:
 * the client is built once by compose/ with github-octokit.ts and handed in). That Octokit
 * satisfies these interfaces, so tests pass a real one pointed at a fake server (`baseUrl`); a
 * compile-time check in the fault tests keeps it so. Only the fields we read are declared.
 */

// Type aliases, not interfaces: Octokit's parameters carry an index signature, which object
// literal types satisfy implicitly and interfaces do not.
type RepoParams = {
  readonly owner: string;
  readonly repo: string;
};

/** A response: Octokit resolves `{ data, status, headers, url }`; we only read `data`. */
interface Response<T> {
  readonly data: T;
}

/** One entry of a tree we create: a regular file pointing at an existing blob. */
export type NewTreeEntry = {
  readonly path: string;
  readonly mode: '100644';
  readonly type: 'blob';
  readonly sha: string;
};

/** `rest.git.*` methods of the Git Data API (https://docs.github.com/rest/git). */
export interface GitDataApi {
  getRef(
    params: RepoParams & { readonly ref: string },
  ): Promise<Response<{ readonly object: { readonly sha: string } }>>;
  getCommit(
    params: RepoParams & { readonly commit_sha: string },
  ): Promise<Response<{ readonly sha: string; readonly tree: { readonly sha: string } }>>;
  getTree(params: RepoParams & { readonly tree_sha: string }): Promise<
    Response<{
      readonly sha: string;
      readonly truncated: boolean;
      readonly tree: readonly { readonly path: string; readonly type: string; readonly sha: string }[];
    }>
  >;
  getBlob(
    params: RepoParams & { readonly file_sha: string },
  ): Promise<Response<{ readonly content: string; readonly encoding: string }>>;
  createBlob(
    params: RepoParams & { readonly content: string; readonly encoding: 'utf-8' },
  ): Promise<Response<{ readonly sha: string }>>;
  createTree(
    params: RepoParams & { readonly tree: NewTreeEntry[]; readonly base_tree?: string },
  ): Promise<Response<{ readonly sha: string }>>;
  createCommit(
    params: RepoParams & { readonly message: string; readonly tree: string; readonly parents: string[] },
  ): Promise<Response<{ readonly sha: string }>>;
  updateRef(
    params: RepoParams & { readonly ref: string; readonly sha: string; readonly force: boolean },
  ): Promise<Response<{ readonly object: { readonly sha: string } }>>;
  createRef(
    params: RepoParams & { readonly ref: string; readonly sha: string },
  ): Promise<Response<{ readonly object: { readonly sha: string } }>>;
}

/** What the data-branch store needs: `octokit.rest.git`. */
export interface GitDataClient {
  readonly rest: { readonly git: GitDataApi };
}

/** `rest.repos.*` methods used to find the merge-base and its ancestors. */
export interface CommitsApi {
  compareCommitsWithBasehead(
    params: RepoParams & { readonly basehead: string; readonly per_page?: number },
  ): Promise<Response<{ readonly merge_base_commit: { readonly sha: string } }>>;
  listCommits(
    params: RepoParams & { readonly sha: string; readonly per_page?: number; readonly page?: number },
  ): Promise<Response<readonly { readonly sha: string; readonly parents: readonly { readonly sha: string }[] }[]>>;
}

/** What `resolvePreferredShas` needs: `octokit.rest.repos`. */
export interface CommitsClient {
  readonly rest: { readonly repos: CommitsApi };
}
