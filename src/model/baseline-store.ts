/**
 * Where baselines live (docs/baseline-store.md). Implementations: the data-branch store (GitHub Git Data
 * API) and the file store; tests pass fakes of this interface.
 */
import type { HistoryPoint } from './comparison.js';
import type { Environment, Method, RunResult } from './run-result.js';

/** What a run is compared against: same benchmark key, environment and method. */
export interface BaselineQuery {
  readonly benchmarkKey: string;
  readonly environment: Environment;
  readonly method: Method;
  /**
   * Commits to prefer, best first (merge-base, then its first-parent ancestors, see
   * `resolvePreferredShas`); empty outside PRs. Matched case-insensitively; abbreviations of
   * at least 7 hex digits match the full sha.
   */
  readonly preferredShas: readonly string[];
}

/** A loaded baseline. */
export interface BaselineLoad {
  /**
   * Stored runs chosen as the baseline, newest first: up to 5 runs of one commit (re-runs are
   * pooled); empty when there is none. Always the same environment and method as the query,
   * except for an explicit `--baseline <file>` (then comparison notes flag differences).
   */
  readonly runs: readonly RunResult[];
  /** How they were chosen: `merge-base`, `ancestor`, `latest`, `file`, or `none`. */
  readonly selectedBy: string;
  /**
   * The last `history` stored runs of this key with the same environment and method, whatever
   * their commit, oldest first, for trends and noise estimates.
   */
  readonly history: readonly HistoryPoint[];
  /** Warnings for the report: skipped corrupt files, environment mismatches, ... */
  readonly notes: readonly string[];
  /**
   * Set when the store could not be read at all (an outage, a denied token): the run is judged
   * against nothing and fails, never "no baseline yet" (docs/reliability.md).
   */
  readonly failure?: string;
}

/** Result of a save. */
export interface SaveOutcome {
  readonly isSaved: boolean;
  /** Where it went (path or ref), or why not. */
  readonly detail: string;
}

/** Persists and retrieves runs (docs/baseline-store.md). */
export interface BaselineStore {
  /**
   * Resolves `{ runs: [] }` when there is no data, and skips corrupt or newer files with a
   * note. Rejects (`BaselineStoreError`) only when the store cannot be read at all: GitHub
   * down after retries, a token without `contents: read`, a long rate limit.
   */
  load(query: BaselineQuery): Promise<BaselineLoad>;
  /**
   * Resolves `isSaved: false` for a partial run (never saved) and `isSaved: true` when the
   * same run was already saved. Never overwrites an existing run file: another run under the
   * same name rejects with `BaselineStoreError('exists')`; other failures reject likewise.
   */
  save(run: RunResult): Promise<SaveOutcome>;
}
