/**
 * `bench:kinds`' figures (docs/models.md#our-counts-against-tritons): a kind's trials summed
 * over their steady windows, ours against Triton's, and the table row that prints them.
 */
import type { MeasuredTrial } from '../src/matrix/measure-trial.js';
import type { KindCase } from './kind-cases.js';

/** The agreement a kind must reach: |ours / Triton's - 1| at most this. */
const TOLERANCE = 0.02;

/** One kind's trials, summed over their steady windows. */
export interface KindTally {
  readonly trials: number;
  /** Trials whose window formed and whose window snapshots were read. */
  readonly windows: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly ours: { readonly requests: number; readonly items: number; readonly responses: number };
  readonly triton: { readonly successes: number; readonly inferences: number; readonly executions: number };
  /** The largest |ours / Triton's - 1| of requests over a single trial's window. */
  readonly worstTrialDeviation: number;
  /** Every trial as a whole (snapshots around it, once every reply was counted): requests sent = Triton's successes. */
  readonly isWholeTrialExact: boolean;
}

/** Sums `measured` (the trials of `kindCase`). Pure. */
export function tallyKind(kindCase: KindCase, measured: readonly MeasuredTrial[]): KindTally {
  let windows = 0;
  let errors = 0;
  let firstError: string | undefined;
  let worstTrialDeviation = 0;
  let isWholeTrialExact = true;
  const ours = { requests: 0, items: 0, responses: 0 };
  const triton = { successes: 0, inferences: 0, executions: 0 };
  for (const { trial, windowDelta, serverDelta } of measured) {
    errors += trial.errors;
    firstError ??= trial.firstError;
    isWholeTrialExact &&= serverDelta?.successCount === trial.requests;
    if (windowDelta === undefined) continue;
    windows++;
    // The Trial's window figures: items = successful replies in the window × items per request.
    const requests = trial.items / kindCase.itemsPerRequest;
    ours.requests += requests;
    ours.items += trial.items;
    ours.responses += trial.stream?.responses ?? 0;
    triton.successes += windowDelta.successCount;
    triton.inferences += windowDelta.inferenceCount;
    triton.executions += windowDelta.executionCount;
    worstTrialDeviation = Math.max(worstTrialDeviation, Math.abs(requests / windowDelta.successCount - 1));
  }
  return {
    trials: measured.length,
    windows,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    ours,
    triton,
    worstTrialDeviation,
    isWholeTrialExact,
  };
}

/** The header of the markdown table {@link kindRow} fills. */
export const KIND_TABLE_HEADER =
  '| kind | model | users × items | windows | our requests | Triton successes | ratio | our items | Triton inferences | ratio | Triton executions (avg batch) | our responses | model sent | ratio | worst trial | within 2 % | whole trials equal |\n' +
  '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n';

const ratioOf = (ours: number, theirs: number): number => (theirs === 0 ? Number.NaN : ours / theirs);
const isClose = (ratio: number): boolean => Math.abs(ratio - 1) <= TOLERANCE;
const fixed = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** One markdown row. Pure. */
export function kindRow(kindCase: KindCase, tally: KindTally): string {
  const { ours, triton } = tally;
  const requestRatio = ratioOf(ours.requests, triton.successes);
  const itemRatio = ratioOf(ours.items, triton.inferences);
  const ratios = [requestRatio, itemRatio];
  let responses = ['–', '–', '–'];
  if (kindCase.responsesPerRequest !== undefined) {
    // Triton counts requests only: the model sent its fixed number of responses for each.
    const sent = triton.successes * kindCase.responsesPerRequest;
    const responseRatio = ratioOf(ours.responses, sent);
    ratios.push(responseRatio);
    responses = [String(ours.responses), String(sent), fixed(responseRatio, 4)];
  }
  const isWithin =
    tally.errors === 0 &&
    tally.windows === tally.trials &&
    ratios.every(isClose) &&
    tally.worstTrialDeviation <= TOLERANCE;
  const cells = [
    kindCase.kind,
    kindCase.model,
    `${String(kindCase.users)} × ${String(kindCase.itemsPerRequest)}`,
    `${String(tally.windows)}/${String(tally.trials)}${tally.errors > 0 ? ` (${String(tally.errors)} errors: ${tally.firstError ?? '?'})` : ''}`,
    String(ours.requests),
    String(triton.successes),
    fixed(requestRatio, 4),
    String(ours.items),
    String(triton.inferences),
    fixed(itemRatio, 4),
    `${String(triton.executions)} (${fixed(ratioOf(triton.inferences, triton.executions), 2)})`,
    ...responses,
    `${(tally.worstTrialDeviation * 100).toFixed(2)} %`,
    isWithin ? 'yes' : '**no**',
    tally.isWholeTrialExact ? 'yes' : '**no**',
  ];
  return `| ${cells.join(' | ')} |\n`;
}
