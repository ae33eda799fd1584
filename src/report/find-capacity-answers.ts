/**
 * The study's second question in words: does a max_batch far above the usual batch really run?
 * From the capacity probe (matrix/capacity-probe.ts) when it ran, else from what the matrix
 * itself formed, saying plainly when that proves nothing about the largest rows. Pure.
 */
import type { CapacityProbe, RunResult } from '../model/run-result.js';
import type { ConclusionLine } from './find-conclusions.js';
import { largestFormedBatch } from './find-study-answers.js';
import { escapeMarkdown } from './escape-markdown.js';
import { formatNumber } from '../format-number.js';

/** Words for one probe: `64: 64 items in 12.3 ms; 8 × 8 formed 52.1 (max 64)`. */
function describeProbe(probe: CapacityProbe): string {
  // Triton's message is untrusted text: escaped, so the line stays safe in markdown.
  if (probe.status === 'failed')
    return `${probe.maxBatch}: failed (${escapeMarkdown(probe.message ?? 'no message', 200)})`;
  const full = `${probe.maxBatch} items in ${formatNumber(probe.fullRequestMs, 'ms')} ms`;
  const loop = probe.loop;
  if (loop === undefined) return `${probe.maxBatch}: ${full}`;
  const formed =
    loop.avgBatch === undefined
      ? ''
      : `, formed batch ${formatNumber(loop.avgBatch, 'batch')}${loop.largestBatch === undefined ? '' : ` (largest ${loop.largestBatch})`}`;
  return `${probe.maxBatch}: ${full}; ${loop.users} users × ${loop.itemsPerRequest} items ${formatNumber(loop.dps, 'dps')} dps${formed}`;
}

function probeLines(probes: readonly CapacityProbe[]): ConclusionLine[] {
  // A request of max_batch items that succeeded is one execution of a full batch.
  const served = probes.filter((probe) => probe.status === 'ok');
  const largest = served.length === 0 ? undefined : Math.max(...served.map((probe) => probe.maxBatch));
  const failedSearch = probes.find((probe) => probe.isSearch === true && probe.status === 'failed');
  const answer =
    largest === undefined
      ? 'no row was shown to run a full batch.'
      : `max_batch ${largest} is the largest row that loaded and ran a request of ${largest} items` +
        (failedSearch === undefined ? '.' : `; ${failedSearch.maxBatch} failed.`);
  return [
    { topic: 'Largest max_batch that runs', text: answer },
    { topic: 'Capacity probe', text: `${probes.map(describeProbe).join(' · ')}.` },
  ];
}

/** The capacity lines: from the probe, or what the matrix alone shows about the largest row. */
export function capacityAnswerLines(run: RunResult): ConclusionLine[] {
  if (run.capacity !== undefined && run.capacity.length > 0) return probeLines(run.capacity);
  const loaded = run.rows.filter((row) => row.status === 'ok').map((row) => row.maxBatch);
  if (loaded.length === 0) return [];
  const largest = Math.max(...loaded);
  const formed = largestFormedBatch(run.cells);
  if (formed !== undefined && formed >= largest) {
    return [
      {
        topic: 'Largest max_batch that runs',
        text: `max_batch ${largest} loaded and the matrix formed batches of ${formed}.`,
      },
    ];
  }
  const formedText = formed === undefined ? 'no formed batch was reported' : `the largest batch formed was ${formed}`;
  return [
    {
      topic: 'Largest max_batch that runs',
      text: `max_batch ${largest} loaded and served requests, but ${formedText}: that does not show batches of ${largest} run. Set capacity: probe to send full batches.`,
    },
  ];
}
