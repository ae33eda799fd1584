/**
 * The study's first question in words (docs/statistics.md, "Conclusions that respect noise"):
 * how max_batch changes dps per users column and where it flattens, claiming a difference only
 * when two cells' intervals do not overlap; and the formed-batch ceiling, the largest batch the
 * matrix could form (users × items per request), above which max_batch cannot matter. Pure.
 */
import type { Cell, RunResult } from '../model/run-result.js';
import { formatNumber } from './format-number.js';
import { usersRange, type ConclusionLine } from './find-conclusions.js';

/**
 * A cell's dps interval: the lowest and highest of its successful trials. For n trials this
 * range holds the true median with probability 1 − 2^(1−n) (94 % for 5 trials).
 */
export interface DpsInterval {
  readonly maxBatch: number;
  readonly users: number;
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/** The interval of a cell with at least two successful trials, else undefined. */
export function intervalOf(cell: Cell): DpsInterval | undefined {
  if (cell.status === 'failed') return undefined;
  const dps = cell.trials.filter((t) => t.errors === 0).map((t) => t.dps);
  if (dps.length < 2) return undefined;
  return { maxBatch: cell.maxBatch, users: cell.users, median: cell.dpsMedian, low: Math.min(...dps), high: Math.max(...dps) };
}

/** True when the two intervals share no value: the only case a difference is claimed. */
export function isMeasurablyDifferent(a: DpsInterval, b: DpsInterval): boolean {
  return a.high < b.low || b.high < a.low;
}

/** The answer for one users column. */
export interface ColumnFlattening {
  readonly users: number;
  /** Smallest max_batch whose interval overlaps the best cell's: where dps flattens. */
  readonly flatFrom: number;
  /** The column's smallest and largest measured rows. */
  readonly firstMaxBatch: number;
  readonly lastMaxBatch: number;
  /** Medians at the smallest row and at `flatFrom`. */
  readonly firstDps: number;
  readonly flatDps: number;
}

/**
 * Per users column with at least two rows: where dps stops changing measurably. Rows above
 * `ceilingRow` (the first row that can hold every item in flight) are left out: they run the
 * same batches, so any difference there is drift, not max_batch.
 */
export function findFlattening(cells: readonly Cell[], ceilingRow = Number.POSITIVE_INFINITY): ColumnFlattening[] {
  const byUsers = new Map<number, DpsInterval[]>();
  for (const cell of cells) {
    if (cell.maxBatch > ceilingRow) continue;
    const interval = intervalOf(cell);
    if (interval !== undefined) byUsers.set(cell.users, [...(byUsers.get(cell.users) ?? []), interval]);
  }
  return [...byUsers.entries()]
    .filter(([, column]) => column.length >= 2)
    .sort(([a], [b]) => a - b)
    .map(([users, column]) => {
      const rows = [...column].sort((a, b) => a.maxBatch - b.maxBatch);
      const best = rows.reduce((top, cell) => (cell.median > top.median ? cell : top));
      const flat = rows.find((cell) => !isMeasurablyDifferent(cell, best)) ?? best;
      const first = rows[0] ?? best;
      const last = rows.at(-1) ?? best;
      return {
        users, flatFrom: flat.maxBatch, firstMaxBatch: first.maxBatch, lastMaxBatch: last.maxBatch,
        firstDps: first.median, flatDps: flat.median,
      };
    });
}

/** Words for one group of columns that share the same answer (figures for a single column). */
function describeGroup(users: readonly number[], answer: ColumnFlattening, ceilingRow: number | undefined): string {
  const who = usersRange(users);
  if (answer.flatFrom === answer.firstMaxBatch) {
    return `${who}: no measurable difference between max_batch ${answer.firstMaxBatch} and ${answer.lastMaxBatch}`;
  }
  const rise = users.length === 1 ? ` (${formatNumber(answer.firstDps, 'dps')} → ${formatNumber(answer.flatDps, 'dps')} dps)` : '';
  if (answer.flatFrom !== answer.lastMaxBatch) {
    return `${who}: dps rises from max_batch ${answer.firstMaxBatch} to ${answer.flatFrom}${rise}, no measurable difference above`;
  }
  const after = answer.lastMaxBatch === ceilingRow ? 'larger rows cannot form larger batches here' : 'it may rise further';
  return `${who}: dps rises from max_batch ${answer.firstMaxBatch} to ${answer.lastMaxBatch}${rise}; ${after}`;
}

/** "How does max_batch change dps, and where does it flatten?" as one sentence, or undefined. */
export function describeFlattening(cells: readonly Cell[], ceilingRow?: number): string | undefined {
  const answers = findFlattening(cells, ceilingRow);
  if (answers.length === 0) return undefined;
  const groups: { users: number[]; answer: ColumnFlattening }[] = [];
  for (const answer of answers) {
    const last = groups.at(-1);
    const isSame = last !== undefined && last.answer.flatFrom === answer.flatFrom &&
      (last.answer.flatFrom === last.answer.firstMaxBatch) === (answer.flatFrom === answer.firstMaxBatch);
    if (isSame) last.users.push(answer.users);
    else groups.push({ users: [answer.users], answer });
  }
  const parts = groups.map((group) => describeGroup(group.users, group.answer, ceilingRow));
  return `${parts.join('; ')}. A difference is claimed only where the cells' trial ranges do not overlap.`;
}

/** Largest batch size any cell's executions formed, from Triton's per-size counts. */
export function largestFormedBatch(cells: readonly Cell[]): number | undefined {
  const sizes = cells.flatMap((cell) => Object.keys(cell.server?.batchExecutions ?? {}).map(Number));
  return sizes.length === 0 ? undefined : Math.max(...sizes);
}

/** Most items the batcher can see at once: largest users × items per request (0: no cells). */
export function batchCeiling(run: RunResult): number {
  const users = run.cells.map((cell) => cell.users);
  return users.length === 0 ? 0 : Math.max(...users) * run.method.itemsPerRequest;
}

/** The smallest loaded row that can hold the ceiling (rows above it cannot differ). */
export function ceilingRowOf(run: RunResult): number | undefined {
  const ceiling = batchCeiling(run);
  const rows = run.rows.filter((row) => row.status === 'ok' && row.maxBatch >= ceiling).map((row) => row.maxBatch);
  return rows.length === 0 ? undefined : Math.min(...rows);
}

/**
 * The formed-batch ceiling: with U users each carrying I items, the batcher never sees more
 * than U × I items at once, so rows above that cannot differ. Undefined when no row is above it.
 */
export function describeBatchCeiling(run: RunResult): string | undefined {
  const ceiling = batchCeiling(run);
  if (ceiling === 0) return undefined;
  const items = run.method.itemsPerRequest;
  const maxUsers = ceiling / items;
  const above = [...new Set(run.rows.filter((row) => row.status === 'ok' && row.maxBatch > ceiling).map((row) => row.maxBatch))];
  if (above.length === 0) return undefined;
  const largestRow = Math.max(...above);
  const formed = largestFormedBatch(run.cells);
  const formedText = formed === undefined ? '' : ` (formed batch ≤ ${formed})`;
  const suggestedItems = Math.ceil(largestRow / maxUsers);
  return `max_batch above ${ceiling} never mattered: users × items-per-request ≤ ${maxUsers} × ${items} = ${ceiling}${formedText}. ` +
    `To exercise max_batch ${largestRow}, use users × items-per-request ≥ ${largestRow}, e.g. items-per-request ${suggestedItems} with up to ${maxUsers} users.`;
}

/** The conclusions lines this module adds, in reading order. */
export function studyAnswerLines(run: RunResult): ConclusionLine[] {
  const lines: ConclusionLine[] = [];
  const flattening = describeFlattening(run.cells, ceilingRowOf(run));
  if (flattening !== undefined) lines.push({ topic: 'max_batch and dps', text: flattening });
  const ceiling = describeBatchCeiling(run);
  if (ceiling !== undefined) lines.push({ topic: 'Formed-batch ceiling', text: ceiling });
  return lines;
}
