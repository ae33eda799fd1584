/**
 * The fake GitHub keeps itself honest (docs/architecture.md#measuring-the-tool-itself): answers and requests GitHub's OpenAPI
 * description does not allow are violations that make `close()` — hence the test — fail.
 */
import { getOctokit } from '@actions/github';
import { describe, expect, it } from 'vitest';
import { defaultRoutes, startFakeGitHub, type FakeRoute } from '../../support/fake-github.js';
import { githubFaults } from '../../support/github-faults.js';
import { requestProblems, responseProblems } from '../../support/openapi-validator.js';

const GET_REF = { method: 'get', path: '/repos/{owner}/{repo}/git/ref/{ref}' };

describe('fake GitHub — validation against the OpenAPI description', () => {
  it('accepts GitHub-shaped answers, including its error bodies and generic statuses', () => {
    const ref = {
      ref: 'refs/heads/main',
      node_id: 'x',
      url: 'https://api.github.com/x',
      object: { type: 'commit', sha: 'a'.repeat(40), url: 'https://api.github.com/y' },
    };
    expect(responseProblems(GET_REF, 200, ref)).toEqual([]);
    expect(
      responseProblems(GET_REF, 404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      }),
    ).toEqual([]);
    // get-ref documents no 403 or 502, but GitHub answers any endpoint with them.
    expect(responseProblems(GET_REF, 403, { message: 'API rate limit exceeded' })).toEqual([]);
    expect(responseProblems(GET_REF, 502, { message: 'Server Error' })).toEqual([]);
  });

  it('flags a drifted answer: a short sha, a missing field, an undocumented status', () => {
    const ref = {
      ref: 'refs/heads/main',
      node_id: 'x',
      url: 'https://api.github.com/x',
      object: { type: 'commit', sha: 'abc', url: 'https://api.github.com/y' },
    };
    expect(responseProblems(GET_REF, 200, ref)).toEqual(['/object/sha must NOT have fewer than 40 characters']);
    expect(responseProblems(GET_REF, 200, { ref: 'refs/heads/main' })).toContain(
      "/ must have required property 'object'",
    );
    expect(responseProblems(GET_REF, 418, {})[0]).toMatch(/status 418 is not documented for git\/get-ref/);
  });

  it('flags a request body GitHub would refuse', () => {
    const createTree = { method: 'post', path: '/repos/{owner}/{repo}/git/trees' };
    expect(requestProblems(createTree, { tree: [{ path: 'a', mode: '644', type: 'blob', sha: 'x' }] })).toEqual([
      '/tree/0/mode must be equal to one of the allowed values',
    ]);
    expect(requestProblems(createTree, { base_tree: 'x' })).toEqual(["/ must have required property 'tree'"]);
  });

  it('a route that answers off-spec makes close() throw, naming the operation', async () => {
    const broken: FakeRoute = {
      operationId: 'git/get-ref',
      method: 'GET',
      path: '/repos/{owner}/{repo}/git/ref/{ref}',
      handle: () => ({ status: 200, body: { ref: 'refs/heads/main', object: { sha: 'short' } } }),
    };
    const github = await startFakeGitHub({ routes: [broken, ...defaultRoutes] });
    const octokit = getOctokit('fake-token', { baseUrl: github.baseUrl });
    await octokit.rest.git.getRef({ owner: github.owner, repo: github.repo, ref: 'heads/main' });
    await expect(github.close()).rejects.toThrow(
      /git\/get-ref answered 200 with a body GitHub would not send: .*object\/sha/,
    );
  });

  it('a route declared with the wrong operation id fails at startup', async () => {
    const mislabelled: FakeRoute = {
      operationId: 'git/get-blob',
      method: 'GET',
      path: '/repos/{owner}/{repo}/git/ref/{ref}',
      handle: () => ({ status: 404 }),
    };
    await expect(startFakeGitHub({ routes: [mislabelled] })).rejects.toThrow(
      /is git\/get-ref in the description, not git\/get-blob/,
    );
  });

  it('an endpoint the fake lacks is a violation, not a silent 404', async () => {
    const github = await startFakeGitHub();
    const octokit = getOctokit('fake-token', { baseUrl: github.baseUrl });
    await expect(octokit.rest.repos.get({ owner: github.owner, repo: github.repo })).rejects.toMatchObject({
      status: 404,
    });
    await expect(github.close()).rejects.toThrow(/no route for GET \/repos\/octo-org\/models/);
  });

  it('injected faults are validated too, and completed like GitHub error bodies', async () => {
    const github = await startFakeGitHub();
    const octokit = getOctokit('fake-token', { baseUrl: github.baseUrl });
    github.inject('git/get-ref', githubFaults.forbidden());
    const error = await octokit.rest.git
      .getRef({ owner: github.owner, repo: github.repo, ref: 'heads/main' })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({
      status: 403,
      response: {
        headers: { 'x-accepted-github-permissions': 'contents=write' },
        data: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
          status: '403',
        },
      },
    });
    await github.close();
  });
});
