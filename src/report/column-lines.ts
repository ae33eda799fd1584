/**
 * The "max_batch and dps" conclusions in words (docs/answers.md#differences-between-rows): one
 * line per group of adjacent users columns that show the same kind of answer, each gap with its
 * size and what backs it, and the formed-batch ceiling attached as the explanation of a gap that
 * batching cannot cause. Every column with two measured rows is in a line. Pure.
 */
import type { RowContext } from '../analysis/analyze-run.js';
import type { ColumnFinding } from '../analysis/column-findings.js';
import { isNotableGap, SINGLE_TRIAL_TOLERANCE, type GapEvidence, type RowGap } from '../analysis/row-gap.js';
import { formatNumber } from '../format-number.js';
import { joinWords, usersRange } from './matrix-view.js';

/** One line: a users range and its sentences (a `ConclusionLine` of conclusion-lines.ts). */
export interface ColumnLine {
  readonly topic: string;
  readonly text: string;
}

/** How a group's gaps are worded and explained. */
interface Signature {
  readonly isNotable: boolean;
  readonly evidence: GapEvidence;
  /** `whole`: batching cannot explain the column's gap; `part`: the gap among the rows holding every item. */
  readonly explanation: 'whole' | 'part' | 'none';
  /** What backs the gap among the rows holding every item, when it is explained. */
  readonly sameEvidence: GapEvidence | undefined;
}

interface Group {
  readonly signature: Signature;
  readonly columns: ColumnFinding[];
}

function signatureOf(column: ColumnFinding): Signature {
  const same = column.sameBatchGap;
  const isSameNotable = same !== undefined && isNotableGap(same);
  return {
    isNotable: isNotableGap(column.gap),
    evidence: column.gap.evidence,
    explanation: !isSameNotable ? 'none' : column.isAllSameBatch ? 'whole' : 'part',
    sameEvidence: isSameNotable ? same.evidence : undefined,
  };
}

function isSame(a: Signature, b: Signature): boolean {
  return (
    a.isNotable === b.isNotable &&
    a.evidence === b.evidence &&
    a.explanation === b.explanation &&
    a.sameEvidence === b.sameEvidence
  );
}

/** The rows a column's line names: a notable gap's two rows, the same-batch gap's when it is explained. */
function namedRows(column: ColumnFinding, signature: Signature): string {
  const pair = (gap: RowGap | undefined): string =>
    gap === undefined ? '' : `${gap.slower.maxBatch}<${gap.faster.maxBatch}`;
  const main = signature.isNotable ? pair(column.gap) : '';
  return signature.explanation === 'part' ? `${main};${pair(column.sameBatchGap)}` : main;
}

/** Adjacent columns share a line when they show the same kind of answer about the same rows. */
function groupColumns(columns: readonly ColumnFinding[]): Group[] {
  const groups: (Group & { readonly rows: string })[] = [];
  for (const column of columns) {
    const signature = signatureOf(column);
    const rows = namedRows(column, signature);
    const last = groups.at(-1);
    if (last !== undefined && isSame(last.signature, signature) && last.rows === rows) last.columns.push(column);
    else groups.push({ signature, rows, columns: [column] });
  }
  return groups;
}

/** `10.3%` or `10.3–24.1%`: the sizes of a group's gaps. */
function sizeRange(sizes: readonly number[]): string {
  const low = formatNumber(Math.min(...sizes), 'percent');
  const high = formatNumber(Math.max(...sizes), 'percent');
  return low === high ? low : `${low.replace('%', '')}–${high}`;
}

const BACKING: Readonly<Record<GapEvidence, string>> = {
  measured: "the trials' ranges do not overlap",
  'within-spread': "within the trials' ranges",
  'single-trial': 'observed once',
};

/**
 * `max_batch 32 gives 10.3–24.1% more dps than max_batch 8 (observed once)`: gaps of one group,
 * which name the same two rows (`groupColumns`).
 */
function describeGaps(gaps: readonly RowGap[], evidence: GapEvidence): string {
  const [first] = gaps;
  if (first === undefined) return '';
  const sizes = sizeRange(gaps.map((gap) => gap.size));
  return `max_batch ${first.faster.maxBatch} gives ${sizes} more dps than max_batch ${first.slower.maxBatch} (${BACKING[evidence]})`;
}

/** The first sentence of a group: its gaps, or that its rows do not differ. */
function describeGroupGap(group: Group): string {
  const { columns, signature } = group;
  const gaps = columns.map((column) => column.gap);
  if (signature.isNotable) return describeGaps(gaps, signature.evidence);
  const rows = columns.flatMap((column) => column.rows);
  const largest = formatNumber(Math.max(...gaps.map((gap) => gap.size)), 'percent');
  if (signature.evidence === 'single-trial') {
    return `max_batch ${Math.min(...rows)} to ${Math.max(...rows)} within ${largest} of each other (observed once; one trial cannot show a gap below ${formatNumber(SINGLE_TRIAL_TOLERANCE, 'level')})`;
  }
  // A noisy cell's range is wide enough to hide a large gap: say why the gap is not a difference.
  const noisy = columns.some((column) => column.hasNoisy) ? ', which noisy cells widen' : '';
  return `no measurable difference between max_batch ${Math.min(...rows)} and ${Math.max(...rows)} (gaps up to ${largest} between medians, ${BACKING['within-spread']}${noisy})`;
}

/** Why a gap among rows that form the same batches is not batching, and how to tell the causes apart. */
function describeCauses(context: RowContext): string {
  const delay =
    context.queueDelayUs === undefined
      ? ''
      : `the batcher's ${formatNumber(context.queueDelayUs, 'us')} µs queue delay (a row that cannot fill its max_batch waits it out), `;
  if (context.rowRounds > 1) {
    return `${delay}the backend's per-max_batch optimisation (engines or profiles built per max_batch_size); the rows were measured interleaved in ${context.rowRounds} rounds, so drift between rows is ruled out as far as the rounds reach`;
  }
  return `${delay}the backend's per-max_batch optimisation, or drift between rows measured minutes apart; measure the rows interleaved (row-rounds) to tell`;
}

/**
 * The explanation of a group whose gap (or part of it) batching cannot cause; '' when none. The
 * causes are spelled out on the first such line (`isFirst`) and referred to on later ones.
 */
function describeExplanation(group: Group, context: RowContext, isFirst: boolean): string {
  const { columns, signature } = group;
  if (signature.explanation === 'none') return '';
  const items = Math.max(...columns.map((column) => column.itemsInFlight));
  const relation = columns.length === 1 ? '=' : '≤';
  const bound = context.isDynamic
    ? `no batch above ${items} could form (users × items-per-request ${relation} ${items})`
    : `the model has no dynamic batcher: no request was batched with another`;
  const causes = isFirst ? `: ${describeCauses(context)}.` : ' either (causes as above).';
  if (signature.explanation === 'whole') return ` ${capitalise(bound)}, so this is not batching${causes}`;
  const same = columns.flatMap((column) => (column.sameBatchGap === undefined ? [] : [column.sameBatchGap]));
  const holding = columns.flatMap((column) => column.rows.filter((row) => row >= column.itemsInFlight));
  const evidence = signature.sameEvidence ?? 'single-trial';
  return (
    ` Among max_batch ${joinWords([...new Set(holding)].sort((a, b) => a - b).map(String))}, which all hold every item in flight, ` +
    `${describeGaps(same, evidence)}: ${bound}, so that gap is not batching${causes}`
  );
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/**
 * The lines of the users columns, in users order, led by a caveat when a column rests on single
 * trials; empty when no column has two measured rows.
 */
export function columnLines(columns: readonly ColumnFinding[], context: RowContext): ColumnLine[] {
  const groups = groupColumns(columns);
  const firstExplained = groups.findIndex((group) => group.signature.explanation !== 'none');
  const lines = groups.map((group, index) => ({
    topic: usersRange(group.columns.map((column) => column.users)),
    text: `${describeGroupGap(group)}.${describeExplanation(group, context, index === firstExplained)}`,
  }));
  if (!columns.some((column) => column.hasSingleTrial)) return lines;
  const caveat = {
    topic: 'One trial per cell',
    text: 'the differences below are observed once: their spread is unknown, so none is established. Measure 3 or more trials per cell to establish them.',
  };
  return [caveat, ...lines];
}
