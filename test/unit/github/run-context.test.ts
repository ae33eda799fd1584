import { describe, expect, it } from 'vitest';
import { matrixContextOf, parseRunContext, runEventOf, type ActionEnv } from '../../../src/github/run-context.js';

const BASE_ENV: ActionEnv = {
  GITHUB_REPOSITORY: 'octo-org/models',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_RUN_ID: '4242',
  RUNNER_TEMP: '/home/runner/work/_temp',
};
const MAIN = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const repository = { full_name: 'octo-org/models', default_branch: 'main' };

function pullRequest(headRepo: unknown) {
  return {
    number: 7,
    pull_request: {
      number: 7,
      base: { sha: MAIN, ref: 'main', repo: { full_name: 'octo-org/models' } },
      head: { sha: HEAD, ref: 'feature', repo: headRepo },
    },
    repository,
  };
}

describe('parseRunContext', () => {
  it('a push to the default branch', () => {
    const context = parseRunContext(
      { ...BASE_ENV, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: MAIN },
      { ref: 'refs/heads/main', after: MAIN, repository },
    );
    expect(context).toEqual({
      eventName: 'push',
      owner: 'octo-org',
      repo: 'models',
      sha: MAIN,
      ref: 'refs/heads/main',
      defaultBranch: 'main',
      isDefaultBranch: true,
      isTag: false,
      runUrl: 'https://github.com/octo-org/models/actions/runs/4242',
      apiUrl: 'https://api.github.com',
      label: '',
      tempDir: '/home/runner/work/_temp',
    });
    expect(runEventOf(context)).toEqual({ name: 'push', isDefaultBranch: true, isTag: false });
  });

  it('a push to another branch and a tag push', () => {
    const env = { ...BASE_ENV, GITHUB_EVENT_NAME: 'push', GITHUB_SHA: MAIN };
    const branch = parseRunContext({ ...env, GITHUB_REF: 'refs/heads/feature' }, { repository });
    expect([branch.isDefaultBranch, branch.isTag]).toEqual([false, false]);
    const tag = parseRunContext({ ...env, GITHUB_REF: 'refs/tags/v1.2.0' }, { repository });
    expect([tag.isDefaultBranch, tag.isTag]).toEqual([false, true]);
  });

  it('a pull request from the same repository', () => {
    const context = parseRunContext(
      { ...BASE_ENV, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge', GITHUB_SHA: 'c'.repeat(40) },
      pullRequest({ full_name: 'octo-org/models' }),
    );
    expect(context.pullRequest).toEqual({
      number: 7,
      baseSha: MAIN,
      headSha: HEAD,
      isFork: false,
      headRepo: 'octo-org/models',
    });
    expect([context.isDefaultBranch, context.isTag]).toEqual([false, false]);
    // The run names the commit the author pushed, not GitHub's merge commit.
    expect(matrixContextOf(context)).toEqual({
      source: { event: 'pull_request', sha: HEAD, ref: 'refs/pull/7/merge', baseSha: MAIN, prNumber: 7 },
      label: '',
    });
  });

  it('a fork PR, also when the fork was deleted', () => {
    const env = { ...BASE_ENV, GITHUB_EVENT_NAME: 'pull_request' };
    expect(parseRunContext(env, pullRequest({ full_name: 'someone/models' })).pullRequest).toMatchObject({
      isFork: true,
      headRepo: 'someone/models',
    });
    expect(parseRunContext(env, pullRequest(null)).pullRequest).toMatchObject({ isFork: true });
    expect(
      parseRunContext(
        { ...env, GITHUB_EVENT_NAME: 'pull_request_target' },
        pullRequest({ full_name: 'someone/models' }),
      ).pullRequest?.isFork,
    ).toBe(true);
  });

  it('a PR event without usable PR details has no pullRequest', () => {
    const env = { ...BASE_ENV, GITHUB_EVENT_NAME: 'pull_request' };
    expect(parseRunContext(env, {}).pullRequest).toBeUndefined();
    expect(
      parseRunContext(env, { pull_request: { number: '7', base: { sha: MAIN }, head: { sha: HEAD } } }).pullRequest,
    ).toBeUndefined();
    expect(
      parseRunContext(env, { pull_request: { number: 7, base: {}, head: { sha: HEAD } } }).pullRequest,
    ).toBeUndefined();
  });

  it('ignores pull_request in the payload of other events', () => {
    expect(
      parseRunContext({ ...BASE_ENV, GITHUB_EVENT_NAME: 'issue_comment' }, pullRequest(null)).pullRequest,
    ).toBeUndefined();
  });

  it('schedule and workflow_dispatch: no PR, not a push', () => {
    for (const eventName of ['schedule', 'workflow_dispatch']) {
      const context = parseRunContext(
        { ...BASE_ENV, GITHUB_EVENT_NAME: eventName, GITHUB_REF: 'refs/heads/main' },
        { repository },
      );
      expect(runEventOf(context)).toEqual({ name: eventName, isDefaultBranch: false, isTag: false });
    }
  });

  it('outside Actions: nothing but defaults', () => {
    expect(parseRunContext({}, {})).toEqual({
      eventName: 'unknown',
      isDefaultBranch: false,
      isTag: false,
      apiUrl: 'https://api.github.com',
      label: '',
    });
  });

  it('takes GHES API and server URLs, trailing slashes trimmed', () => {
    const context = parseRunContext(
      { ...BASE_ENV, GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' },
      {},
    );
    expect(context.apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(context.runUrl).toBe('https://ghe.example.com/octo-org/models/actions/runs/4242');
  });

  it.each<[string, ActionEnv, string]>([
    [
      'TTG_LABEL wins',
      { TTG_LABEL: ' a100-80gb ', RUNNER_NAME: 'gpu-box-1', RUNNER_ENVIRONMENT: 'self-hosted' },
      'a100-80gb',
    ],
    [
      'a self-hosted runner is named by RUNNER_NAME',
      { RUNNER_NAME: 'gpu-box-1', RUNNER_ENVIRONMENT: 'self-hosted' },
      'gpu-box-1',
    ],
    [
      'a hosted runner by its platform (its name changes every job)',
      { RUNNER_NAME: 'GitHub Actions 12', RUNNER_ENVIRONMENT: 'github-hosted', RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' },
      'github-hosted Linux-X64',
    ],
    ['a hosted runner without platform variables', { RUNNER_ENVIRONMENT: 'github-hosted' }, 'github-hosted'],
    ['nothing known', {}, ''],
  ])('label: %s', (_what, env, label) => {
    expect(parseRunContext(env, {}).label).toBe(label);
  });

  it('rejects a malformed GITHUB_REPOSITORY instead of guessing', () => {
    expect(parseRunContext({ GITHUB_REPOSITORY: 'no-slash' }, {})).not.toHaveProperty('owner');
    expect(parseRunContext({ GITHUB_REPOSITORY: 'a/b/c' }, { repository: { full_name: 'x/y' } })).not.toHaveProperty(
      'owner',
    );
    expect(parseRunContext({}, { repository: { full_name: 'x/y' } })).toMatchObject({ owner: 'x', repo: 'y' });
  });
});
