/**
 * The `branch` baseline store (docs/baseline-store.md): JSON files on an orphan branch, written through the
 * Git Data API (blobs → tree with `base_tree` → commit → non-forced ref update), so concurrent
 * jobs never lose each other's runs: a lost race re-reads the new head, rebuilds the index from
 * it and tries again. Never force-pushes, deletes or rewrites a file other than the index
 * (docs/baseline-store.md has the layout, the index format and the failure table).
 */
import type { Logger } from '../logger.js';
import type { RunResult } from '../model/run-result.js';
import { assembleBaseline } from './assemble-baseline.js';
import type { BaselineLoad, BaselineQuery, BaselineStore, SaveOutcome } from '../model/baseline-store.js';
import { BaselineStoreError } from '../model/baseline-store-error.js';
import { benchmarkDirOf } from './benchmark-paths.js';
import { keyDirReaderOf, readBranchHead, readKeyDir, type BranchContext } from './branch-reader.js';
import type { GitDataClient } from '../github-api/github-client.js';
import { describeFailure, githubFailureOf } from '../github-api/github-failure.js';
import { backoffMs, systemClock, type RetryClock } from './save-backoff.js';
import { isPrepared, prepareSave } from './prepare-save.js';
import { readRunFile, readRunIndex } from './read-run-index.js';
import { writeRunCommit } from './write-run-commit.js';

/** Options of {@link createDataBranchStore}. */
export interface DataBranchStoreOptions {
  /** The run's Octokit (github-api/github-octokit.ts), built by compose/; it retries outages. */
  readonly octokit: GitDataClient;
  readonly owner: string;
  readonly repo: string;
  /** The data branch (`baseline-branch`, default `triton-throughput-data`). */
  readonly branch: string;
  /** Runs kept in the index's `runs`; older ones are archived (their files stay). */
  readonly history: number;
  readonly log: Logger;
  /** Attempts per save when the branch moves under it (default 5). */
  readonly maxAttempts?: number;
  /** Longest backoff between those attempts (default 60 s). */
  readonly maxWaitMs?: number;
  /** First backoff delay after a lost race (default 1 s). */
  readonly baseDelayMs?: number;
  /** Injectable for tests; the system clock by default. */
  readonly clock?: RetryClock;
  /** Jitter source in [0, 1); `Math.random` by default. */
  readonly random?: () => number;
  /** The repository's default branch as a ref (`refs/heads/main`), for `latest`. */
  readonly defaultRef?: string;
  /** Runs of the chosen commit pooled (default 5). */
  readonly maxPooledRuns?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_MAX_WAIT_MS = 60_000;
const DEFAULT_BASE_DELAY_MS = 1_000;

/** A BaselineStore on a data branch of a GitHub repository. */
export function createDataBranchStore(options: DataBranchStoreOptions): BaselineStore {
  const context: BranchContext = {
    client: options.octokit,
    owner: options.owner,
    repo: options.repo,
    branch: options.branch,
    location: `${options.owner}/${options.repo}@${options.branch}`,
    policy: {
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      log: options.log,
    },
  };
  return {
    load: (query) => guard(context, 'read baselines from', () => loadFromBranch(context, options, query)),
    save: (run) => guard(context, `save run ${run.id} to`, () => saveToBranch(context, options, run)),
  };
}

/**
 * Unindexed run files one load or save reads at most: bounds API calls (one per file) when the
 * index is missing or unusable; later saves keep a rebuilt index, so the cost is paid once.
 */
export function maxReconcileReads(history: number): number {
  return Math.max(50, 2 * history);
}

async function loadFromBranch(
  context: BranchContext,
  options: DataBranchStoreOptions,
  query: BaselineQuery,
): Promise<BaselineLoad> {
  const empty = (note: string): BaselineLoad => ({ runs: [], selectedBy: 'none', history: [], notes: [note] });
  const head = await readBranchHead(context);
  if (head === undefined) {
    return empty(
      `no baselines yet: branch ${context.branch} does not exist in ${context.owner}/${context.repo} (the first saved run creates it)`,
    );
  }
  const keyDir = benchmarkDirOf(query.benchmarkKey);
  const listing = await readKeyDir(context, head.treeSha, keyDir);
  if (listing === undefined) return empty(`no baselines yet for ${query.benchmarkKey} on branch ${context.branch}`);
  const reader = keyDirReaderOf(context, listing);
  const location = `${context.location}:${keyDir}`;
  const loaded = await readRunIndex(reader, {
    benchmarkKey: query.benchmarkKey,
    history: options.history,
    maxReads: maxReconcileReads(options.history),
    location,
  });
  for (const warning of loaded.warnings) options.log.warn(warning);
  const sources = {
    runs: loaded.index.runs,
    archived: loaded.index.archived,
    known: loaded.runsRead,
    warnings: loaded.warnings,
  };
  const selection = {
    history: options.history,
    defaultRef: options.defaultRef,
    maxPooledRuns: options.maxPooledRuns,
  };
  return assembleBaseline(sources, query, selection, async (entry, warnings) => {
    const before = warnings.length;
    const run = await readRunFile(reader, entry.path, { benchmarkKey: query.benchmarkKey, location }, warnings);
    for (const warning of warnings.slice(before)) options.log.warn(warning);
    return run;
  });
}

async function saveToBranch(
  context: BranchContext,
  options: DataBranchStoreOptions,
  run: RunResult,
): Promise<SaveOutcome> {
  const prepared = prepareSave(run);
  if (!isPrepared(prepared)) return prepared;
  const { policy } = context;
  const blobs = new Map<string, string>(); // text → blob sha, reused across attempts
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await writeRunCommit(context, {
      prepared,
      history: options.history,
      blobs,
      maxReads: maxReconcileReads(options.history),
    });
    const where = `${context.location}:${prepared.keyDir}/${prepared.path}`;
    if (outcome.kind === 'saved')
      return {
        isSaved: true,
        detail: attempt === 1 ? where : `${where} (after ${attempt - 1} concurrent update(s) of the branch)`,
      };
    if (outcome.kind === 'already-saved') return { isSaved: true, detail: `${where} (already saved)` };
    if (attempt >= policy.maxAttempts) {
      throw new BaselineStoreError(
        'conflict',
        context.location,
        `could not save run ${run.id} to branch ${context.branch}: it moved under us ${policy.maxAttempts} times ` +
          `(last: ${outcome.message}); serialize the saving jobs with \`concurrency: ${context.branch}\` or re-run`,
      );
    }
    const waitMs = backoffMs(attempt, policy);
    policy.log.info(
      `branch ${context.branch} moved while saving (${outcome.message}); re-reading it, retry ${attempt + 1} of ${policy.maxAttempts} in ${Math.ceil(waitMs / 1000)} s`,
    );
    await policy.clock.sleep(waitMs);
  }
}

/** Our errors pass through; GitHub's are wrapped once with the branch and what we were doing. */
async function guard<T>(context: BranchContext, action: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err: unknown) {
    // Only HTTP failures are wrapped: anything else is a bug and reaches the entry point as is.
    if (err instanceof BaselineStoreError || !(err instanceof Error && 'status' in err)) throw err;
    const failure = githubFailureOf(err, context.policy.clock.now());
    throw new BaselineStoreError(
      'transport',
      context.location,
      `could not ${action} ${context.location}: GitHub answered ${describeFailure(failure)}`,
      { cause: err },
    );
  }
}
