/**
 * GitHub failing under the data-branch store: outages (5xx, retried by the Octokit's
 * plugin-retry), rate limits (403 with `retry-after` or `x-ratelimit-reset`, waited out by
 * plugin-throttling at a millisecond per second), a token without `contents: write`. After
 * every fault the branch is read back: no run lost, nothing corrupt.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import { makeQuery, makeRun, sha } from '../../support/baseline-runs.js';
import { DATA_BRANCH, expectSoundBranch, startHarness, type Harness } from '../../support/data-branch-harness.js';
import { githubFaults } from '../../support/github-faults.js';

let harness: Harness;
/** Calls made before the test's own save (setting up the branch) are not counted. */
let firstCall = 0;
beforeEach(async () => {
  harness = await startHarness();
  firstCall = 0;
});
afterEach(async () => {
  await harness.github.close();
});

const existing = makeRun({ sha: sha('e'), startedAt: '2026-01-01T00:00:00.000Z' });
const run = makeRun({ sha: sha('r'), startedAt: '2026-01-02T00:00:00.000Z' });

/** The branch holds `existing`; returns its files to compare after a failed save. */
async function branchWithOneRun(): Promise<Map<string, { readonly sha: string; readonly text: string }>> {
  await harness.store().save(existing);
  firstCall = harness.github.calls.length;
  return harness.github.branchFiles(DATA_BRANCH);
}

function statusesOf(operationId: string): number[] {
  return harness.github.calls
    .slice(firstCall)
    .filter((call) => call.operationId === operationId)
    .map((call) => call.status);
}

/** Whole seconds of real time since `startMs`, rounded up. */
function secondsSince(startMs: number): number {
  return Math.ceil((Date.now() - startMs) / 1000);
}

describe('data-branch store — outages', () => {
  it('retries 5xx in the client and saves, without counting it as a lost race', async () => {
    await branchWithOneRun();
    harness.github.inject('git/create-tree', githubFaults.serverError(502), 2);
    harness.github.inject('git/get-ref', githubFaults.serverError(503));
    const outcome = await harness.store().save(run);
    expect(outcome).toMatchObject({ isSaved: true });
    expect(outcome.detail).not.toMatch(/concurrent update/);
    expect(statusesOf('git/create-tree')).toEqual([502, 502, 201]);
    expect(statusesOf('git/get-ref')).toEqual([503, 200]);
    // The store's own backoff is only for lost races: none here.
    expect(harness.clock.sleeps).toEqual([]);
    expectSoundBranch(harness.github, { runIds: [existing.id, run.id] });
  });

  it('fails with the last status and a next step when GitHub stays down, writing nothing', async () => {
    const before = await branchWithOneRun();
    harness.github.inject('git/create-commit', githubFaults.serverError(500), 5);
    const error = await harness
      .store()
      .save(run)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BaselineStoreError);
    expect(error).toMatchObject({
      reason: 'transport',
      message: expect.stringMatching(
        /^create commit \(octo-org\/models@triton-throughput-data\) failed, last with HTTP 500 \(Server Error\) after the client's retries; .*re-run the job later$/,
      ) as unknown,
    });
    // The first attempt and the client's four retries, then no more.
    expect(statusesOf('git/create-commit')).toEqual([500, 500, 500, 500, 500]);
    expect(harness.github.branchFiles(DATA_BRANCH)).toEqual(before);
  });

  it('a ref update whose answer was lost (it did land) is not written twice', async () => {
    await branchWithOneRun();
    // The update lands on GitHub, then the answer is a 502: the retry must not duplicate the run.
    harness.github.before('git/update-ref', (request) => {
      harness.github.git.refs.set(`refs/${request.params['ref'] ?? ''}`, (request.body as { sha: string }).sha);
      return undefined;
    });
    harness.github.inject('git/update-ref', githubFaults.serverError(502));
    expect(await harness.store().save(run)).toMatchObject({ isSaved: true });
    expectSoundBranch(harness.github, { runIds: [existing.id, run.id] });
  });

  it('a load that keeps failing rejects (the pipeline then fails the run, docs/reliability.md)', async () => {
    await branchWithOneRun();
    harness.github.inject('git/get-tree', githubFaults.serverError(504), 5);
    await expect(harness.store().load(makeQuery())).rejects.toMatchObject({ reason: 'transport' });
  });
});

describe('data-branch store — rate limits', () => {
  it('waits as long as retry-after says (secondary rate limit), then saves', async () => {
    await branchWithOneRun();
    harness.github.inject('git/create-blob', githubFaults.secondaryRateLimit(30));
    expect(await harness.store().save(run)).toMatchObject({ isSaved: true });
    expect(statusesOf('git/create-blob')).toEqual([403, 201, 201]); // the run, then the index
    expect(harness.logs.warn).toContainEqual(
      expect.stringMatching(
        /^GitHub secondary rate limit on POST \/repos\/\{owner\}\/\{repo\}\/git\/blobs: waiting 30 s as GitHub asks \(retry 1 of 4\)$/,
      ),
    );
    expectSoundBranch(harness.github, { runIds: [existing.id, run.id] });
  });

  it('waits until x-ratelimit-reset (primary rate limit), then saves', async () => {
    await branchWithOneRun();
    // plugin-throttling reads the reset against the real clock: 20 s from now, as it sees it.
    const injectedAtMs = Date.now();
    harness.github.inject('git/get-commit', githubFaults.primaryRateLimit(Math.floor(injectedAtMs / 1000) + 20));
    expect(await harness.store().save(run)).toMatchObject({ isSaved: true });
    expect(statusesOf('git/get-commit')).toEqual([403, 200]);
    // plugin-throttling adds a second past the reset; the clocks' sub-second parts add one more at
    // most; a busy machine may take seconds to reach the request, each one waited less.
    const waited = harness.logs.warn
      .map((line) => /^GitHub primary rate limit on GET .*: waiting (\d+) s/.exec(line)?.[1])
      .filter((s) => s !== undefined)
      .map(Number);
    expect(waited).toHaveLength(1);
    expect(waited[0]).toBeGreaterThanOrEqual(20 - secondsSince(injectedAtMs));
    expect(waited[0]).toBeLessThanOrEqual(22);
    expectSoundBranch(harness.github, { runIds: [existing.id, run.id] });
  });

  it('does not wait an hour: a long rate limit fails at once, writing nothing', async () => {
    const before = await branchWithOneRun();
    const injectedAtMs = Date.now();
    harness.github.inject('git/create-blob', githubFaults.primaryRateLimit(Math.floor(injectedAtMs / 1000) + 3600));
    await expect(harness.store().save(run)).rejects.toMatchObject({
      reason: 'rate-limit',
      message: expect.stringMatching(/it asks to wait \d+ s/) as unknown,
    });
    expect(statusesOf('git/create-blob')).toEqual([403]);
    const warning = harness.logs.warn.find((line) => line.startsWith('GitHub primary rate limit on POST '));
    expect(warning).toMatch(/: it asks to wait \d+ s; not waiting \(at most 60 s, 4 times\)$/);
    // The hour the reset says, less the seconds a busy machine took to get to the request.
    const askedS = Number(/it asks to wait (\d+) s/.exec(warning ?? '')?.[1]);
    expect(askedS).toBeGreaterThanOrEqual(3600 - secondsSince(injectedAtMs));
    expect(askedS).toBeLessThanOrEqual(3602);
    expect(harness.github.branchFiles(DATA_BRANCH)).toEqual(before);
  });
});

describe('data-branch store — permissions', () => {
  it('a 403 that is not a rate limit fails at once, naming the permission; nothing is written', async () => {
    const before = await branchWithOneRun();
    harness.github.inject('git/create-blob', githubFaults.forbidden('contents=write'));
    const error = await harness
      .store()
      .save(run)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(BaselineStoreError);
    expect(error).toMatchObject({ reason: 'permission' });
    expect((error as Error).message).toMatch(
      /^the token cannot write to branch triton-throughput-data: needs `contents: write` on octo-org\/models \(GitHub said: Resource not accessible by integration\); add `permissions: contents: write` to the job, or set save-baseline: never$/,
    );
    expect(statusesOf('git/create-blob')).toEqual([403]);
    expect(harness.clock.sleeps).toEqual([]);
    expect(harness.github.branchFiles(DATA_BRANCH)).toEqual(before);
  });

  it('a token that cannot read the branch fails the load with the read permission named', async () => {
    await branchWithOneRun();
    harness.github.inject('git/get-ref', githubFaults.forbidden('contents=read'));
    await expect(harness.store().load(makeQuery())).rejects.toThrow(
      /^the token cannot read branch triton-throughput-data: needs `contents: read`/,
    );
  });
});
