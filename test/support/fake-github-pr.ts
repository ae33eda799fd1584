/**
 * The fake GitHub as a PR run finds it: issue-comment routes, and a `feature` branch one
 * commit ahead of `main` (the PR's head; `main` is its merge-base).
 */
import type { RepoRef } from '../e2e/event-payloads.js';
import { defaultRoutes, startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { createIssueCommentRoutes, type IssueCommentRoutes } from './github-issue-routes.js';

export interface FakePullRequestRepo {
  readonly github: FakeGitHub;
  readonly issues: IssueCommentRoutes;
  readonly repo: RepoRef;
  readonly mainSha: string;
  readonly headSha: string;
}

/** Starts the fake; `change` is the content of the file the feature commit changes. */
export async function startFakePullRequestRepo(change: string): Promise<FakePullRequestRepo> {
  const issues = createIssueCommentRoutes();
  const github = await startFakeGitHub({ routes: [...defaultRoutes, ...issues.routes] });
  const mainSha = github.git.refs.get('refs/heads/main') ?? '';
  github.git.refs.set('refs/heads/feature', mainSha);
  const headSha = github.git.commitFiles(
    'feature',
    { 'model.txt': change },
    new Date().toISOString(),
    'Change the model',
  );
  return { github, issues, repo: { owner: github.owner, repo: github.repo, defaultBranch: 'main' }, mainSha, headSha };
}
