/**
 * A GitHub that stops answering (no reply at all, the connection held open) fails each call
 * after the Octokit's deadline instead of holding the run for ever (docs/reliability.md): the
 * pipeline then fails the run closed. The deadline is scaled down; waits by a millisecond per second.
 */
import { createServer } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createGitHubOctokit } from '../../../src/github-api/github-octokit.js';

describe('a silent GitHub', () => {
  it('fails the call after the deadline, retries included', async () => {
    const server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port } = server.address() as { port: number };
    const octokit = createGitHubOctokit({
      token: 'ghs_FAKE',
      baseUrl: `http://127.0.0.1:${port}`,
      log: { info: () => undefined, warn: () => undefined },
      msPerSecond: 1,
      requestTimeoutMs: 300,
    });
    await expect(octokit.rest.git.getRef({ owner: 'o', repo: 'r', ref: 'heads/data' })).rejects.toMatchObject({
      message: 'The operation was aborted due to timeout',
      status: 500,
    });
  });
});
