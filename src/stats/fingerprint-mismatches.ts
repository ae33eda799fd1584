/**
 * What differs between this run's fingerprint and its baseline's (docs/baseline-store.md#fingerprint),
 * each difference named with both values and weighed: a different GPU, Triton, model or runner
 * label makes the comparison not like-for-like; a different driver, transport, warm-up or method
 * is a caveat; a different model config or dynamic batching is usually the change under test; a
 * different tool version is a note. Fields one side does not know (runs stored before they were
 * recorded, a runner without nvidia-smi) are not compared. Pure.
 */
import type { FingerprintMismatch, MismatchWeight } from '../model/comparison.js';
import type { BatchingSettings, RunResult } from '../model/run-result.js';

interface FieldSpec {
  readonly what: string;
  readonly weight: MismatchWeight;
  /** The field's value as the report shows it; undefined when the run does not know it. */
  readonly read: (run: RunResult) => string | undefined;
}

// Order: the most serious first, as the report lists them. `clientHost` is left out: hosted
// runners get a new host name every job. `trials` is left out: the rank test takes any sizes.
const FIELDS: readonly FieldSpec[] = [
  {
    what: 'GPU',
    weight: 'untrusted',
    read: (run) => (run.environment.gpuNames === undefined ? undefined : describeGpus(run.environment.gpuNames)),
  },
  { what: 'Triton', weight: 'untrusted', read: (run) => run.environment.tritonVersion },
  { what: 'model', weight: 'untrusted', read: (run) => run.environment.model },
  { what: 'model version', weight: 'untrusted', read: (run) => run.environment.modelVersion },
  { what: 'runner label', weight: 'untrusted', read: (run) => `'${run.environment.label}'` },
  { what: 'GPU driver', weight: 'caveat', read: (run) => run.environment.gpuDriver },
  { what: 'transport', weight: 'caveat', read: (run) => run.environment.transport },
  { what: 'warm-up', weight: 'caveat', read: (run) => describeWarmup(run.method.warmupRequests) },
  { what: 'batch strategy', weight: 'caveat', read: (run) => run.method.batchStrategy },
  { what: 'requests per trial', weight: 'caveat', read: (run) => String(run.method.requests) },
  { what: 'items per request', weight: 'caveat', read: (run) => String(run.method.itemsPerRequest) },
  {
    what: 'trial length',
    weight: 'caveat',
    read: (run) =>
      run.method.trialSeconds === undefined ? 'sized by requests' : `${run.method.trialSeconds} s windows`,
  },
  // Runs stored before steady windows timed first send to last reply (docs/statistics.md §10).
  {
    what: 'trial timing',
    weight: 'caveat',
    read: (run) => (run.method.timing === undefined ? 'first send to last reply' : 'steady window'),
  },
  { what: 'inputs', weight: 'caveat', read: (run) => `[${run.method.inputs.join(', ')}]` },
  {
    what: 'model config',
    weight: 'change',
    read: (run) => (run.environment.configHash === '' ? undefined : `hash ${run.environment.configHash}`),
  },
  { what: 'queue delay', weight: 'change', read: (run) => describeQueueDelay(run.environment.batching) },
  { what: 'preferred batch sizes', weight: 'change', read: (run) => describePreferred(run.environment.batching) },
  { what: 'tool version', weight: 'note', read: (run) => run.environment.toolVersion },
];

/**
 * Every field in which `run` differs from any of `baselines` (pooled runs of one commit), in
 * {@link FIELDS} order. `baseline` lists each differing baseline value once.
 */
export function fingerprintMismatches(run: RunResult, baselines: readonly RunResult[]): FingerprintMismatch[] {
  const found: FingerprintMismatch[] = [];
  for (const spec of FIELDS) {
    const current = spec.read(run);
    if (current === undefined) continue;
    const differing = new Set<string>();
    for (const base of baselines) {
      const stored = spec.read(base);
      if (stored !== undefined && stored !== current) differing.add(stored);
    }
    if (differing.size > 0)
      found.push({ what: spec.what, baseline: [...differing].join(' / '), current, weight: spec.weight });
  }
  return found;
}

/** `GPU differs: NVIDIA A100-SXM4-80GB (baseline) vs NVIDIA L4 (this run)`. */
export function mismatchText(mismatch: FingerprintMismatch): string {
  return `${mismatch.what} differs: ${mismatch.baseline} (baseline) vs ${mismatch.current} (this run)`;
}

/** The comparison note of a mismatch: its text and what it means for the verdicts. */
export function mismatchNote(mismatch: FingerprintMismatch): string {
  const meaning: Readonly<Record<MismatchWeight, string>> = {
    untrusted: ': not a like-for-like comparison, the deltas include this difference',
    caveat: ': compared anyway, read with care',
    change: ': the comparison measures that change',
    note: '',
  };
  return `${mismatchText(mismatch)}${meaning[mismatch.weight]}`;
}

/** `NVIDIA L4`, `2 × NVIDIA A100-SXM4-80GB`, `NVIDIA A100-SXM4-80GB + NVIDIA L4`: a GPU set by model. */
export function describeGpus(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => (count === 1 ? name : `${count} × ${name}`)).join(' + ');
}

/** `32 requests per cell`, or the default's rule; undefined in runs that did not record it. */
export function describeWarmup(warmupRequests: number | null | undefined): string | undefined {
  if (warmupRequests === undefined) return undefined;
  return warmupRequests === null
    ? 'default max(32, 2 × users) requests per cell'
    : `${warmupRequests} requests per cell`;
}

/** `100 µs`, or `no dynamic batching`; undefined when unknown. */
export function describeQueueDelay(batching: BatchingSettings | undefined): string | undefined {
  if (batching === undefined) return undefined;
  return batching.isDynamic ? `${batching.maxQueueDelayUs} µs` : 'no dynamic batching';
}

/** `4, 8`, or `none set`; undefined when unknown or without dynamic batching (the queue delay says so). */
export function describePreferred(batching: BatchingSettings | undefined): string | undefined {
  if (batching === undefined || !batching.isDynamic) return undefined;
  return batching.preferredBatchSizes.length === 0 ? 'none set' : batching.preferredBatchSizes.join(', ');
}
