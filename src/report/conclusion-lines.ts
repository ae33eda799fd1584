/**
 * The conclusions of a run in words (analysis/analyze-run.ts finds them), in reading order, for
 * the markdown report and the terminal alike: the study's answers first (where dps flattens, the
 * formed-batch ceiling, whether the largest max_batch runs), then the best cell, failed rows and
 * noisy cells, then the server cross-check. The sentences hold only numbers, fixed words and
 * escaped server text. Pure.
 */
import { analyzeRun, type RunAnalysis } from '../analysis/analyze-run.js';
import type { BatchCeiling } from '../analysis/batch-ceiling.js';
import type { CapacityAnswer, SearchEnd } from '../analysis/capacity-answer.js';
import { CROSS_CHECK_TOLERANCE, type CrossCheck } from '../analysis/cross-check.js';
import type { ColumnFlattening, UnbatchableColumns } from '../analysis/find-flattening.js';
import { formatNumber } from '../format-number.js';
import type { CapacityProbe, RunResult } from '../model/run-result.js';
import { escapeMarkdown } from './escape-markdown.js';
import { cellLabel, joinWords, usersRange } from './matrix-view.js';

/** One conclusion: a short topic and a plain sentence. */
export interface ConclusionLine {
  readonly topic: string;
  readonly text: string;
}

/** Most noisy cells named in one sentence; the rest are counted. */
const MAX_NOISY_NAMED = 8;

/** Most disagreeing cells of the cross-check named in one sentence; the rest are counted. */
const MAX_GAPS_NAMED = 6;

/** The lines of the conclusions section; empty when the run gives nothing to conclude. */
export function conclusionLines(run: RunResult): ConclusionLine[] {
  return describeAnalysis(analyzeRun(run));
}

/** Words for `analysis`, in reading order; topics without an answer are left out. */
function describeAnalysis(analysis: RunAnalysis): ConclusionLine[] {
  const lines: (ConclusionLine | undefined)[] = [
    line('max_batch and dps', describeFlattening(analysis.flattening, analysis.unbatchable)),
    line('Formed-batch ceiling', analysis.batchCeiling && describeBatchCeiling(analysis.batchCeiling)),
    ...capacityLines(analysis.capacity),
    line('Best cell', analysis.best && describeBest(analysis.best)),
    line('Capacity', describeFailedRows(analysis.failedRows, analysis.largestServed)),
    line('Noisy', describeNoisy(analysis.noisy)),
    line('Server cross-check', analysis.crossCheck && describeCrossCheck(analysis.crossCheck)),
  ];
  return lines.filter((entry) => entry !== undefined);
}

function line(topic: string, text: string | undefined): ConclusionLine | undefined {
  return text === undefined ? undefined : { topic, text };
}

/** "How does max_batch change dps, and where does it flatten?" as one sentence, or undefined. */
export function describeFlattening(
  columns: readonly ColumnFlattening[],
  unbatchable: UnbatchableColumns | undefined,
): string | undefined {
  const prefix =
    unbatchable === undefined
      ? []
      : [
          `${usersRange(unbatchable.users)}: max_batch cannot matter (users × items-per-request ≤ ${unbatchable.smallestRow}, the smallest row)`,
        ];
  if (columns.length === 0 && prefix.length === 0) return undefined;
  const parts = [...prefix, ...groupColumns(columns).map((group) => describeGroup(group.users, group.answer))];
  return `${parts.join('; ')}. A difference is claimed only where the cells' trial ranges do not overlap.`;
}

/** Adjacent columns that flatten at the same row, and alike in whether they rise at all, share a sentence. */
function groupColumns(columns: readonly ColumnFlattening[]): { users: number[]; answer: ColumnFlattening }[] {
  const groups: { users: number[]; answer: ColumnFlattening }[] = [];
  for (const answer of columns) {
    const last = groups.at(-1);
    const isSame =
      last !== undefined &&
      last.answer.flatFrom === answer.flatFrom &&
      (last.answer.flatFrom === last.answer.firstMaxBatch) === (answer.flatFrom === answer.firstMaxBatch);
    if (isSame) last.users.push(answer.users);
    else groups.push({ users: [answer.users], answer });
  }
  return groups;
}

/** Words for one group of columns that share the same answer (figures for a single column). */
function describeGroup(users: readonly number[], answer: ColumnFlattening): string {
  const who = usersRange(users);
  if (answer.flatFrom === answer.firstMaxBatch) {
    return `${who}: no measurable difference between max_batch ${answer.firstMaxBatch} and ${answer.lastMaxBatch}`;
  }
  // The figures belong to the rows the sentence names: the smallest row and the row it flattens at.
  const rise =
    users.length === 1 ? ` (${formatNumber(answer.firstDps, 'dps')} → ${formatNumber(answer.flatDps, 'dps')} dps)` : '';
  if (answer.flatFrom !== answer.lastMaxBatch) {
    return `${who}: dps rises from max_batch ${answer.firstMaxBatch} to ${answer.flatFrom}${rise}, no measurable difference above`;
  }
  const after = answer.isAtCeiling ? 'larger rows cannot form larger batches here' : 'it may rise further';
  return `${who}: dps rises from max_batch ${answer.firstMaxBatch} to ${answer.lastMaxBatch}${rise}; ${after}`;
}

function describeBatchCeiling(found: BatchCeiling): string {
  const { ceiling, maxUsers, itemsPerRequest, largestRowAbove } = found;
  const formedText = found.largestFormed === undefined ? '' : ` (formed batch ≤ ${found.largestFormed})`;
  return (
    `max_batch above ${ceiling} never mattered: users × items-per-request ≤ ${maxUsers} × ${itemsPerRequest} = ${ceiling}${formedText}. ` +
    `To exercise max_batch ${largestRowAbove}, use users × items-per-request ≥ ${largestRowAbove}, e.g. items-per-request ${found.suggestedItemsPerRequest} with up to ${maxUsers} users.`
  );
}

/** The capacity lines: from the probe, or what the matrix alone shows about the largest row. */
function capacityLines(answer: CapacityAnswer | undefined): ConclusionLine[] {
  if (answer === undefined) return [];
  const topic = 'Largest max_batch that runs';
  if (answer.source === 'probe') {
    const largest = answer.largestFullBatch;
    const text =
      largest === undefined
        ? 'no row was shown to run a full batch.'
        : `max_batch ${largest} is the largest row that loaded and ran a request of ${largest} items${describeSearchEnd(answer.searchEnd)}`;
    return [
      { topic, text },
      { topic: 'Capacity probe', text: `${answer.probes.map(describeProbe).join(' · ')}.` },
    ];
  }
  const { largestLoaded, largestFormed } = answer;
  if (answer.isLargestShown) {
    return [{ topic, text: `max_batch ${largestLoaded} loaded and the matrix formed batches of ${largestFormed}.` }];
  }
  const formedText =
    largestFormed === undefined ? 'no formed batch was reported' : `the largest batch formed was ${largestFormed}`;
  return [
    {
      topic,
      text: `max_batch ${largestLoaded} loaded and served requests, but ${formedText}: that does not show batches of ${largestLoaded} run. Set capacity: probe to send full batches.`,
    },
  ];
}

/** How the capacity search ended, as the end of the capacity sentence. */
function describeSearchEnd(end: SearchEnd | undefined): string {
  if (end === undefined) return '.';
  if (end.kind === 'refused') return `; ${end.maxBatch} was refused by Triton.`;
  if (end.kind === 'cancelled')
    return `; the search was cancelled at ${end.maxBatch} (the run was stopped), so larger rows were not tried.`;
  return `; the search stopped at its bound, ${end.maxBatch}, without a failure: the limit may be higher.`;
}

/** Words for one probe: `64: 64 items in 12.3 ms; 8 × 8 formed 52.1 (max 64)`. */
function describeProbe(probe: CapacityProbe): string {
  // Triton's message is untrusted text: escaped, so the line stays safe in markdown.
  if (probe.status === 'failed')
    return `${probe.maxBatch}: refused by Triton (${escapeMarkdown(probe.message ?? 'no message', 200)})`;
  if (probe.status === 'cancelled') return `${probe.maxBatch}: cancelled (the run was stopped)`;
  const full = `${probe.maxBatch} items in ${formatNumber(probe.fullRequestMs, 'ms')} ms`;
  const loop = probe.loop;
  if (loop === undefined) return `${probe.maxBatch}: ${full}`;
  const formed =
    loop.avgBatch === undefined
      ? ''
      : `, formed batch ${formatNumber(loop.avgBatch, 'batch')}${loop.largestBatch === undefined ? '' : ` (largest ${loop.largestBatch})`}`;
  return `${probe.maxBatch}: ${full}; ${loop.users} users × ${loop.itemsPerRequest} items ${formatNumber(loop.dps, 'dps')} dps${formed}`;
}

function describeBest(best: NonNullable<RunAnalysis['best']>): string {
  const batch = best.avgBatch === undefined ? '' : `, formed batch ${formatNumber(best.avgBatch, 'batch')}`;
  return (
    `${formatNumber(best.dps, 'dps')} dps at ${cellLabel(best.maxBatch, best.users)} ` +
    `(p99 ${formatNumber(best.p99Ms, 'ms')} ms${batch}).`
  );
}

function describeFailedRows(rows: readonly number[], largestServed: number | undefined): string | undefined {
  if (rows.length === 0) return undefined;
  const failed = `max_batch ${joinWords(rows.map(String))} failed to load`;
  if (largestServed === undefined) return `${failed}; no max_batch served.`;
  return `${failed}; the largest max_batch that served is ${largestServed}.`;
}

function describeNoisy(noisy: RunAnalysis['noisy']): string | undefined {
  if (noisy.length === 0) return undefined;
  const named = noisy
    .slice(0, MAX_NOISY_NAMED)
    .map((cell) => `${cellLabel(cell.maxBatch, cell.users)} (spread ${formatNumber(cell.spread, 'percent')})`);
  const more = noisy.length > MAX_NOISY_NAMED ? ` and ${noisy.length - MAX_NOISY_NAMED} more` : '';
  const whose = noisy.length === 1 ? 'its verdict' : 'their verdicts';
  return `${named.join(', ')}${more} stayed unstable after re-runs; read ${whose} with care.`;
}

/** Agreement in every checked cell, or the cells that disagree. */
function describeCrossCheck(check: CrossCheck): string {
  const tolerance = formatNumber(CROSS_CHECK_TOLERANCE, 'level');
  const off = check.disagreeing;
  if (off.length === 0) {
    return `client dps and Triton's own rate over the same windows agree within ${tolerance} in all ${check.checked} cells (largest gap ${formatNumber(check.worstGap, 'percent')}).`;
  }
  const named = off
    .slice(0, MAX_GAPS_NAMED)
    .map(({ maxBatch, users, gap }) => `${cellLabel(maxBatch, users)} (server ${formatNumber(gap, 'delta')})`);
  const more = off.length > MAX_GAPS_NAMED ? ` and ${off.length - MAX_GAPS_NAMED} more` : '';
  return `⚠️ ${off.length} of ${check.checked} cells differ from Triton's own rate by more than ${tolerance}: ${named.join(', ')}${more}.`;
}
