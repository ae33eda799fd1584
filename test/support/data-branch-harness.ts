/**
 * Fault-test harness for the data-branch store: a fake GitHub, the run's real Octokit (retry
 * and throttling plugins, every wait scaled to a millisecond per second) pointed at it, a fake
 * clock for the store's own backoff after lost races, captured logs, and a read-back of the branch that checks what must hold after
 * any fault — no run lost, nothing corrupt written, never a forced update.
 */
import { expect } from 'vitest';
import { createDataBranchStore, type DataBranchStoreOptions } from '../../src/baseline/data-branch-store.js';
import type { BaselineStore } from '../../src/model/baseline-store.js';
import type { GitDataClient, CommitsClient } from '../../src/github-api/github-client.js';
import { createGitHubOctokit } from '../../src/github-api/github-octokit.js';
import { parseRunIndex, type RunIndex } from '../../src/baseline/run-index.js';
import { parseStoredRun } from '../../src/baseline/stored-run.js';
import type { Logger } from '../../src/logger.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

/** The data branch every harness store writes. */
export const DATA_BRANCH = 'triton-throughput-data';

/** Everything a data-branch fault test needs. */
export interface Harness {
  readonly github: FakeGitHub;
  readonly clock: FakeClock;
  /** The run's Octokit (createGitHubOctokit) talking to the fake; waits take 1 ms per second. */
  readonly octokit: GitDataClient & CommitsClient;
  readonly logs: { readonly info: string[]; readonly warn: string[] };
  /** A store on the fake; each call is another writer (another job) unless options say otherwise. */
  store(options?: Partial<DataBranchStoreOptions>): BaselineStore;
  /** Head commit sha of the data branch, if it exists. */
  head(): string | undefined;
}

/** Starts a fake GitHub and builds the harness around it (close `harness.github` after). */
export async function startHarness(): Promise<Harness> {
  // Starts at the real time: the throttling plugin reads rate-limit reset times against Date.now().
  const clock = createFakeClock(Date.now());
  const github = await startFakeGitHub({ now: () => clock.now() });
  const logs = { info: [] as string[], warn: [] as string[] };
  const log: Logger = { info: (line) => logs.info.push(line), warn: (line) => logs.warn.push(line) };
  // The compile-time check that the real Octokit satisfies our narrow client interfaces.
  const octokit: GitDataClient & CommitsClient = createGitHubOctokit({
    token: 'fake-token',
    baseUrl: github.baseUrl,
    log,
    msPerSecond: 1,
  });
  let jitter = 0;
  return {
    github,
    clock,
    octokit,
    logs,
    store: (options = {}) =>
      createDataBranchStore({
        octokit,
        owner: github.owner,
        repo: github.repo,
        branch: DATA_BRANCH,
        history: 30,
        log,
        clock,
        // Deterministic but different per draw, like real jitter.
        random: () => (jitter = (jitter + 0.37) % 1),
        ...options,
      }),
    head: () => github.git.refs.get(`refs/heads/${DATA_BRANCH}`),
  };
}

/** What must hold on the branch. */
export interface BranchExpectation {
  readonly key?: string;
  /** Ids of every valid run the branch must hold, no more, no fewer. */
  readonly runIds: readonly string[];
  /** Files placed on purpose (corrupt, newer schema): must keep exactly these blob shas. */
  readonly untouched?: ReadonlyMap<string, string>;
}

/** Reads the branch back and checks it is sound; returns the index in use. */
export function expectSoundBranch(github: FakeGitHub, expectation: BranchExpectation): RunIndex {
  const key = expectation.key ?? 'demo';
  const dir = `benchmarks/${key}`;
  const files = github.branchFiles(DATA_BRANCH);
  const untouched = expectation.untouched ?? new Map<string, string>();
  for (const [path, sha] of untouched) expect(files.get(path)?.sha, `${path} was rewritten`).toBe(sha);
  const runIds: string[] = [];
  for (const [path, file] of files) {
    if (!path.startsWith(`${dir}/runs/`) || untouched.has(path)) continue;
    const stored = parseStoredRun(file.text);
    if ('skipped' in stored) throw new Error(`${path} on the branch is not a valid run: ${stored.skipped}`);
    runIds.push(stored.run.id);
  }
  expect(runIds.sort()).toEqual([...expectation.runIds].sort());
  const indexPath = untouched.has(`${dir}/index.json`) ? `${dir}/index-rebuilt.json` : `${dir}/index.json`;
  const text = files.get(indexPath)?.text;
  if (text === undefined) throw new Error(`${indexPath} is missing from the branch`);
  const parsed = parseRunIndex(text, key);
  if ('unusable' in parsed) throw new Error(`${indexPath} on the branch is unusable: ${parsed.unusable}`);
  const indexed = [...parsed.index.runs, ...parsed.index.archived].map((entry) => entry.id);
  expect(indexed.sort()).toEqual([...expectation.runIds].sort());
  return parsed.index;
}
