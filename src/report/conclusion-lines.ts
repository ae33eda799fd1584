/**
 * The conclusions of a run in words (analysis/analyze-run.ts finds them), in reading order, for
 * the markdown report and the terminal alike: the study's answers first (per users column what
 * the rows show, column-lines.ts; the formed-batch ceiling; whether the largest max_batch runs),
 * then the best cell, failed rows and noisy cells, then the server cross-check. The sentences
 * hold only numbers, fixed words and escaped server text. Pure.
 */
import { analyzeRun, type RunAnalysis } from '../analysis/analyze-run.js';
import type { BatchCeiling } from '../analysis/batch-ceiling.js';
import type { CapacityAnswer, SearchEnd } from '../analysis/capacity-answer.js';
import { CROSS_CHECK_TOLERANCE, type CrossCheck } from '../analysis/cross-check.js';
import { formatNumber } from '../format-number.js';
import type { CapacityProbe, Row, RunResult } from '../model/run-result.js';
import { columnLines } from './column-lines.js';
import { escapeMarkdown } from './escape-markdown.js';
import { cellLabel, countLabel, joinWords } from './matrix-view.js';
import { rowFailureWords } from './render-failures.js';

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
    ...columnLines(analysis.columns, analysis.rowContext),
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

function describeBatchCeiling(found: BatchCeiling): string {
  const { ceiling, maxUsers, itemsPerRequest, largestRowAbove } = found;
  const formedText = found.largestFormed === undefined ? '' : ` (formed batch ≤ ${found.largestFormed})`;
  // The bound explains what the rows above it could not show; it never hides what they measured.
  return (
    `no batch above ${ceiling} could form: users × items-per-request ≤ ${maxUsers} × ${itemsPerRequest} = ${ceiling}${formedText}, so the rows above ${ceiling} never ran a batch of their own size. ` +
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
  const load = `${countLabel(loop.users, 'user')} × ${countLabel(loop.itemsPerRequest, 'item')}`;
  return `${probe.maxBatch}: ${full}; ${load} ${formatNumber(loop.dps, 'dps')} dps${formed}`;
}

function describeBest(best: NonNullable<RunAnalysis['best']>): string {
  const batch = best.avgBatch === undefined ? '' : `, formed batch ${formatNumber(best.avgBatch, 'batch')}`;
  return (
    `${formatNumber(best.dps, 'dps')} dps at ${cellLabel(best.maxBatch, best.users)} ` +
    `(p99 ${formatNumber(best.p99Ms, 'ms')} ms${batch}).`
  );
}

function describeFailedRows(
  rows: readonly Pick<Row, 'maxBatch' | 'failure'>[],
  largestServed: number | undefined,
): string | undefined {
  if (rows.length === 0) return undefined;
  // A row whose first request failed did load: saying so points at the request, not the config.
  const byWords = new Map<string, number[]>();
  for (const row of rows) {
    const words = row.failure === undefined || row.failure === 'load' ? 'failed to load' : rowFailureWords(row);
    byWords.set(words, [...(byWords.get(words) ?? []), row.maxBatch]);
  }
  const failed = [...byWords]
    .map(([words, maxBatches]) => `max_batch ${joinWords(maxBatches.map(String))} ${words}`)
    .join('; ');
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
