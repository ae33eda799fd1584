/**
 * Which stored runs a run is compared against (docs/statistics.md, docs/baseline-store.md): only
 * comparable runs (same environment and method), then the newest runs of the merge-base, else
 * of the nearest ancestor with data, else of the latest run on the default branch; several
 * runs of the chosen commit are pooled. Pure: works on index entries, returns notes.
 */
import type { Environment, Method } from '../model/run-result.js';
import type { HistoryPoint } from '../model/comparison.js';
import type { BaselineQuery } from '../model/baseline-store.js';
import { describeGpus } from '../stats/fingerprint-mismatches.js';
import { byStartedAt, type IndexEntry } from './run-index.js';

/** Runs of one commit pooled into a baseline unless the store says otherwise. */
export const DEFAULT_MAX_POOLED_RUNS = 5;

/** How a baseline was chosen (BaselineLoad `selectedBy`). */
export type SelectedBy = 'merge-base' | 'ancestor' | 'latest' | 'none';

/** What to choose from. */
export interface SelectionInput {
  /** The index's recent runs (any order): candidates and the trend's source. */
  readonly runs: readonly IndexEntry[];
  /** Archived runs (any order): still candidates for merge-base and ancestors, not history. */
  readonly archived: readonly IndexEntry[];
}

/** Knobs of the selection. */
export interface SelectionOptions {
  /** Length of the returned history (the store's `history`). */
  readonly history: number;
  /** Runs of the chosen commit pooled, newest first (default {@link DEFAULT_MAX_POOLED_RUNS}). */
  readonly maxPooledRuns?: number;
  /**
   * The default branch's ref (`refs/heads/main`): `latest` leaves out runs recorded on another
   * ref. Unknown (CLI, loose files): the latest comparable run of any ref.
   */
  readonly defaultRef?: string;
}

/** The chosen runs and everything the report should know about the choice. */
export interface BaselineSelection {
  /** Entries to pool, newest first; empty when nothing comparable was found. */
  readonly chosen: readonly IndexEntry[];
  readonly selectedBy: SelectedBy;
  /** The commit the chosen runs measured, when known. */
  readonly sha?: string;
  /** The last `history` comparable recent runs, oldest first. */
  readonly history: readonly HistoryPoint[];
  readonly notes: readonly string[];
}

/** Chooses the baseline of `query` among `input` (see the module comment for the rules). */
export function selectBaseline(
  input: SelectionInput,
  query: BaselineQuery,
  options: SelectionOptions,
): BaselineSelection {
  const all = [...input.runs, ...input.archived].sort(byStartedAt).reverse(); // newest first
  const comparable = all.filter((entry) => isComparable(entry, query));
  const history = historyOf(
    input.runs.filter((entry) => isComparable(entry, query) && isHistoryRun(entry, options.defaultRef)),
    options.history,
  );
  const notes = mergeBaseNotes(all, comparable, query);
  const pick = pickCandidates(comparable, query, options);
  if (pick === undefined) {
    const why = query.preferredShas.length > 0 && comparable.length > 0 ? [NOT_NEWER_NOTE] : noneNotes(all, query);
    return { chosen: [], selectedBy: 'none', history, notes: [...notes, ...why] };
  }
  const maxPooled = Math.max(1, options.maxPooledRuns ?? DEFAULT_MAX_POOLED_RUNS);
  const [newest] = pick.entries;
  // Runs without a sha cannot be told apart from another commit's: never pool them.
  const chosen = newest?.sha === undefined ? pick.entries.slice(0, 1) : pick.entries.slice(0, maxPooled);
  return {
    chosen,
    selectedBy: pick.selectedBy,
    ...(newest?.sha === undefined ? {} : { sha: newest.sha }),
    history,
    notes,
  };
}

/** Same environment (docs/baseline-store.md) and same method: the trials can be compared. */
function isComparable(entry: IndexEntry, query: BaselineQuery): boolean {
  return differences(entry, query).length === 0;
}

interface Pick {
  readonly selectedBy: Exclude<SelectedBy, 'none'>;
  /** Comparable entries of the chosen commit, newest first. */
  readonly entries: readonly IndexEntry[];
}

function pickCandidates(
  comparable: readonly IndexEntry[],
  query: BaselineQuery,
  options: SelectionOptions,
): Pick | undefined {
  for (const [position, preferred] of query.preferredShas.entries()) {
    const entries = comparable.filter((entry) => isSameSha(entry.sha, preferred));
    if (entries.length > 0) return { selectedBy: position === 0 ? 'merge-base' : 'ancestor', entries };
  }
  // A PR whose merge-base and first-parent ancestors have no runs: the latest default-branch
  // run may measure base-branch changes newer than the merge-base, which would be blamed on the
  // PR. Without commit dates that cannot be ruled out, so no `latest` in a PR.
  if (query.preferredShas.length > 0) return undefined;
  // Runs with no recorded ref (CLI, older tools) stay candidates: only a run known to be of
  // another ref (a tag, a release branch) is left out.
  const onDefault =
    options.defaultRef === undefined
      ? comparable
      : comparable.filter((entry) => entry.ref === undefined || entry.ref === options.defaultRef);
  const [latest] = onDefault;
  if (latest === undefined) return undefined;
  const entries = latest.sha === undefined ? [latest] : onDefault.filter((entry) => isSameSha(entry.sha, latest.sha));
  return { selectedBy: 'latest', entries };
}

const NOT_NEWER_NOTE =
  'no stored run of the merge-base or its first-parent ancestors: the latest default-branch run is not used, ' +
  'it may include base-branch changes newer than the merge-base (save a run on the default branch to gate PRs)';

/**
 * Runs that may feed trends and noise estimates: default-branch runs other than pull requests,
 * and tags (release keys). `save-baseline: always` runs of feature branches measure other code
 * and would widen the noise. Runs with no recorded ref (CLI, older tools), or any run when the
 * default branch is unknown, stay.
 */
function isHistoryRun(entry: IndexEntry, defaultRef: string | undefined): boolean {
  if (defaultRef === undefined || entry.ref === undefined) return true;
  if (entry.ref.startsWith('refs/tags/')) return true;
  return entry.ref === defaultRef && entry.event !== 'pull_request' && entry.event !== 'pull_request_target';
}

function historyOf(recent: readonly IndexEntry[], length: number): HistoryPoint[] {
  const newest = [...recent].sort(byStartedAt).slice(-Math.max(0, Math.floor(length)));
  return newest.map((entry) => ({
    runId: entry.id,
    ...(entry.sha === undefined ? {} : { sha: entry.sha }),
    startedAt: entry.startedAt,
    bestDps: entry.bestDps,
    ...(entry.cellDps === undefined ? {} : { cellDps: entry.cellDps }),
    ...(entry.cellLatencyMs === undefined ? {} : { cellLatencyMs: entry.cellLatencyMs }),
    ...(entry.cellResponses === undefined ? {} : { cellResponses: entry.cellResponses }),
  }));
}

/** Says so when the merge-base has runs but none comparable, so another commit was used. */
function mergeBaseNotes(all: readonly IndexEntry[], comparable: readonly IndexEntry[], query: BaselineQuery): string[] {
  const [mergeBase] = query.preferredShas;
  if (mergeBase === undefined || comparable.some((entry) => isSameSha(entry.sha, mergeBase))) return [];
  const stored = all.find((entry) => isSameSha(entry.sha, mergeBase));
  if (stored === undefined) return [];
  return [`runs of the merge-base ${mergeBase.slice(0, 7)} were not used: ${mismatchText(stored, query)}`];
}

/** Why nothing was chosen, naming the mismatching fields of the most relevant stored run. */
function noneNotes(all: readonly IndexEntry[], query: BaselineQuery): string[] {
  const reference =
    query.preferredShas
      .map((sha) => all.find((entry) => isSameSha(entry.sha, sha)))
      .find((entry) => entry !== undefined) ?? all[0];
  if (reference === undefined) return [];
  const count = all.length;
  return [
    `${mismatchText(reference, query)} (${count} stored run${count === 1 ? '' : 's'} of ` +
      `${query.benchmarkKey}, none comparable; the next saved run with this setup becomes the baseline)`,
  ];
}

/** `baseline measured on Triton 2.50.0, this run on Triton 2.51.0: not compared`. */
function mismatchText(entry: IndexEntry, query: BaselineQuery): string {
  const found = differences(entry, query);
  const stored = found.map((field) => field.stored).join(' and ');
  const current = found.map((field) => field.current).join(' and ');
  return `baseline measured on ${stored}, this run on ${current}: not compared`;
}

interface Difference {
  readonly stored: string;
  readonly current: string;
}

type Describe<T> = readonly [keyof T, (value: string) => string];
/** The environment's text fields that are part of the comparison key. */
type KeyField = 'tritonVersion' | 'model' | 'modelVersion' | 'label';

// GPU names are compared in `gpuDifference`. `clientHost` is left out: hosted runners get a new host name every job (docs/baseline-store.md,
// selection rules: the runner label is used instead). `configHash` is left out: a changed model config is what a PR under
// test usually is, so it must be compared; the comparison notes name the change. `trials` and `warmupRequests` are left out: the rank test takes any
// sample sizes, and comparison notes report warm-up differences.
// Also `transport`, `gpuDriver`, `toolVersion` and `batching`: compared anyway, the comparison
// notes name them (docs/baseline-store.md#fingerprint).
const ENVIRONMENT: readonly (readonly [KeyField, (value: string) => string])[] = [
  ['tritonVersion', (value) => `Triton ${value}`],
  ['model', (value) => `model ${value}`],
  ['modelVersion', (value) => `model version ${value}`],
  ['label', (value) => `label '${value}'`],
];
/**
 * Method fields compared as text (`inputs` is compared below; `protocol` and `sequence` are not
 * yet keys; `modelKind` follows from the model, which the environment already keys).
 */
type TextMethod = Omit<Method, 'inputs' | 'warmupRequests' | 'trials' | 'protocol' | 'sequence' | 'modelKind'>;
const METHOD: readonly Describe<TextMethod>[] = [
  ['batchStrategy', (value) => `batch strategy ${value}`],
  ['requests', (value) => `${value} requests per trial`],
  ['itemsPerRequest', (value) => `${value} items per request`],
  ['trialSeconds', (value) => (value === 'undefined' ? 'trials sized by requests' : `${value} s trial windows`)],
  ['timing', (value) => (value === 'undefined' ? 'trials timed first send to last reply' : 'steady-window trials')],
];

function differences(entry: IndexEntry, query: BaselineQuery): Difference[] {
  const found: Difference[] = [...gpuDifference(entry.environment, query.environment)];
  for (const [field, describe] of ENVIRONMENT) {
    const stored = entry.environment[field];
    const current = query.environment[field];
    if (stored !== current) found.push({ stored: describe(stored), current: describe(current) });
  }
  for (const [field, describe] of METHOD) {
    const stored = String(entry.method[field]);
    const current = String(query.method[field]);
    if (stored !== current) found.push({ stored: describe(stored), current: describe(current) });
  }
  const storedInputs = entry.method.inputs.join(', ');
  const currentInputs = query.method.inputs.join(', ');
  if (storedInputs !== currentInputs) {
    found.push({ stored: `inputs [${storedInputs}]`, current: `inputs [${currentInputs}]` });
  }
  return found;
}

/**
 * Another GPU model (or count) is another machine: never pooled, never compared
 * (docs/baseline-store.md#fingerprint). Only when both sides know their GPUs: runs stored before
 * GPU names were recorded, and runners without nvidia-smi, stay comparable by label.
 */
function gpuDifference(stored: Environment, current: Environment): Difference[] {
  if (stored.gpuNames === undefined || current.gpuNames === undefined) return [];
  const [storedGpus, currentGpus] = [describeGpus(stored.gpuNames), describeGpus(current.gpuNames)];
  return storedGpus === currentGpus ? [] : [{ stored: `GPU ${storedGpus}`, current: `GPU ${currentGpus}` }];
}

/** Full or abbreviated (>= 7 hex digits) shas of the same commit, case-insensitive. */
export function isSameSha(stored: string | undefined, wanted: string | undefined): boolean {
  if (stored === undefined || wanted === undefined) return false;
  const a = stored.toLowerCase();
  const b = wanted.toLowerCase();
  if (a === b) return true;
  const shorter = a.length < b.length ? a : b;
  return shorter.length >= 7 && (a.startsWith(b) || b.startsWith(a));
}
