/**
 * The environment fingerprint in the report (docs/baseline-store.md#fingerprint): a prominent
 * warning under the headline when the baseline is not like-for-like (another GPU, Triton, model
 * or runner label), and one line naming what this run measured on, in the raw-numbers block.
 * Values come from the server, nvidia-smi and the config (untrusted): escaped. Pure.
 */
import type { Comparison } from '../model/comparison.js';
import type { RunResult } from '../model/run-result.js';
import {
  describeGpus,
  describePreferred,
  describeQueueDelay,
  describeWarmup,
  mismatchNote,
  mismatchText,
} from '../stats/fingerprint-mismatches.js';
import { escapeMarkdown } from './escape-markdown.js';

/** Longest value shown per field: GPU lists and input descriptions can be long. */
const MAX_VALUE_CHARS = 120;

/**
 * `⚠️ **Not like-for-like:** GPU differs: A100 (baseline) vs L4 (this run). …`, or undefined when
 * every difference is only a caveat, the change under test or a note (those are notes).
 */
export function renderMismatchWarning(comparison: Comparison): string | undefined {
  const untrusted = (comparison.mismatches ?? []).filter((mismatch) => mismatch.weight === 'untrusted');
  if (untrusted.length === 0) return undefined;
  const list = untrusted.map((mismatch) => escapeMarkdown(mismatchText(mismatch), 2 * MAX_VALUE_CHARS + 40)).join('; ');
  return `⚠️ **Not like-for-like:** ${list}. The deltas include ${untrusted.length === 1 ? 'this difference' : 'these differences'}, not only the change; compare with a baseline measured on the same setup.`;
}

/** The notes the header already shows as the warning, so the notes list leaves them out. */
export function warnedNotes(comparison: Comparison): ReadonlySet<string> {
  return new Set((comparison.mismatches ?? []).filter((mismatch) => mismatch.weight === 'untrusted').map(mismatchNote));
}

/**
 * `Measured on: Triton 2.51.0 · GPU 2 × NVIDIA A100 (driver 535.104.05) · transport h2 · …`:
 * the run's fingerprint in one line; fields the run does not know are left out.
 */
export function renderFingerprintLine(run: RunResult): string {
  const { environment, method } = run;
  const gpus = environment.gpuNames === undefined ? undefined : describeGpus(environment.gpuNames);
  const driver = environment.gpuDriver === undefined ? '' : ` (driver ${environment.gpuDriver})`;
  const queueDelay = describeQueueDelay(environment.batching);
  const preferred = describePreferred(environment.batching);
  const warmup = describeWarmup(method.warmupRequests);
  const parts = [
    `Triton ${environment.tritonVersion}`,
    gpus === undefined ? undefined : `GPU ${gpus}${driver}`,
    environment.transport === undefined ? undefined : `transport ${environment.transport}`,
    warmup === undefined ? undefined : `warm-up ${warmup}`,
    queueDelay === undefined ? undefined : `queue delay ${queueDelay}`,
    preferred === undefined ? undefined : `preferred batch sizes ${preferred}`,
    environment.toolVersion === undefined ? undefined : `triton-throughput-gate ${environment.toolVersion}`,
  ];
  const shown = parts
    .filter((part): part is string => part !== undefined)
    .map((part) => escapeMarkdown(part, MAX_VALUE_CHARS));
  return `Measured on: ${shown.join(' · ')}`;
}
