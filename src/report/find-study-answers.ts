/**
 * The study's first question in words (docs/statistics.md, "Conclusions that respect noise"):
 * how max_batch changes dps per users column and where it flattens, claiming a difference only
 * when two cells' intervals do not overlap; and the formed-batch ceiling, the largest batch the
 * matrix could form (users × items per request), above which max_batch cannot matter. Pure.
 */
import type { Cell, RunResult } from '../model/run-result.js';
import { formatNumber } from '../format-number.js';
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
  return {
    maxBatch: cell.maxBatch,
    users: cell.users,
    median: cell.dpsMedian,
    low: Math.min(...dps),
    high: Math.max(...dps),
  };
}

/** True when the two intervals share no value: the only case a difference is claimed. */
export function isMeasurablyDifferent(a: DpsInterval, b: DpsInterval): boolean {
  return a.high < b.low || b.high < a.low;
}

/** The answer for one users column. */
export interface ColumnFlattening {
  readonly users: number;
  /** True when the column's largest compared row already holds users × items: nothing above can differ. */
  readonly isAtCeiling: boolean;
  /** Smallest max_batch from which no row's interval differs from the best cell's: where dps flattens. */
  readonly flatFrom: number;
  /** The column's smallest and largest measured rows. */
  readonly firstMaxBatch: number;
  readonly lastMaxBatch: number;
  /** Medians at the smallest row, at the `flatFrom` row and at the column's best row. */
  readonly firstDps: number;
  readonly flatDps: number;
  readonly bestDps: number;
}

/**
 * The smallest of `rows` that holds `items` in one batch; rows above it run the same batches
 * (at most `items` are in flight), so a difference between them is drift, not max_batch.
 */
function ceilingRowFor(rows: readonly number[], items: number): number {
  const holding = rows.filter((row) => row >= items);
  return holding.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...holding);
}

/**
 * Per users column with at least two comparable rows: where dps stops changing measurably.
 * `itemsPerRequest` (default: unknown, every row compared) sets each column's ceiling row:
 * users × items in flight; rows above it are left out (ceilingRowFor).
 */
export function findFlattening(cells: readonly Cell[], itemsPerRequest?: number): ColumnFlattening[] {
  const rows = [...new Set(cells.map((cell) => cell.maxBatch))];
  const byUsers = new Map<number, DpsInterval[]>();
  for (const cell of cells) {
    const ceilingRow =
      itemsPerRequest === undefined ? Number.POSITIVE_INFINITY : ceilingRowFor(rows, cell.users * itemsPerRequest);
    if (cell.maxBatch > ceilingRow) continue;
    const interval = intervalOf(cell);
    if (interval !== undefined) byUsers.set(cell.users, [...(byUsers.get(cell.users) ?? []), interval]);
  }
  return [...byUsers.entries()]
    .filter(([, column]) => column.length >= 2)
    .sort(([a], [b]) => a - b)
    .map(([users, column]) => {
      const sorted = [...column].sort((a, b) => a.maxBatch - b.maxBatch);
      const best = sorted.reduce((top, cell) => (cell.median > top.median ? cell : top));
      // Flat from the smallest row from which no larger row differs measurably from the best.
      const flatIndex = sorted.findIndex((_, i) => sorted.slice(i).every((cell) => !isMeasurablyDifferent(cell, best)));
      const flat = sorted[flatIndex] ?? best;
      const first = sorted[0] ?? best;
      const last = sorted.at(-1) ?? best;
      return {
        users,
        isAtCeiling: itemsPerRequest !== undefined && last.maxBatch >= users * itemsPerRequest,
        flatFrom: flat.maxBatch,
        firstMaxBatch: first.maxBatch,
        lastMaxBatch: last.maxBatch,
        firstDps: first.median,
        flatDps: flat.median,
        bestDps: best.median,
      };
    });
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

/** "How does max_batch change dps, and where does it flatten?" as one sentence, or undefined. */
export function describeFlattening(cells: readonly Cell[], itemsPerRequest?: number): string | undefined {
  const answers = findFlattening(cells, itemsPerRequest);
  const answered = new Set(answers.map((answer) => answer.users));
  const smallestRow = Math.min(...cells.map((cell) => cell.maxBatch));
  // Columns whose every item in flight fits the smallest row: no row can batch more there.
  const unbatchable =
    itemsPerRequest === undefined
      ? []
      : [...new Set(cells.map((cell) => cell.users))]
          .filter((users) => !answered.has(users) && users * itemsPerRequest <= smallestRow)
          .sort((a, b) => a - b);
  const prefix =
    unbatchable.length === 0
      ? []
      : [
          `${usersRange(unbatchable)}: max_batch cannot matter (users × items-per-request ≤ ${smallestRow}, the smallest row)`,
        ];
  if (answers.length === 0 && prefix.length === 0) return undefined;
  const groups: { users: number[]; answer: ColumnFlattening }[] = [];
  for (const answer of answers) {
    const last = groups.at(-1);
    const isSame =
      last !== undefined &&
      last.answer.flatFrom === answer.flatFrom &&
      (last.answer.flatFrom === last.answer.firstMaxBatch) === (answer.flatFrom === answer.firstMaxBatch);
    if (isSame) last.users.push(answer.users);
    else groups.push({ users: [answer.users], answer });
  }
  const parts = [...prefix, ...groups.map((group) => describeGroup(group.users, group.answer))];
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

/**
 * The formed-batch ceiling: with U users each carrying I items, the batcher never sees more
 * than U × I items at once, so rows above that cannot differ. Undefined when no row is above it.
 */
export function describeBatchCeiling(run: RunResult): string | undefined {
  const ceiling = batchCeiling(run);
  if (ceiling === 0) return undefined;
  const items = run.method.itemsPerRequest;
  const maxUsers = ceiling / items;
  const above = [
    ...new Set(run.rows.filter((row) => row.status === 'ok' && row.maxBatch > ceiling).map((row) => row.maxBatch)),
  ];
  if (above.length === 0) return undefined;
  const largestRow = Math.max(...above);
  const formed = largestFormedBatch(run.cells);
  const formedText = formed === undefined ? '' : ` (formed batch ≤ ${formed})`;
  const suggestedItems = Math.ceil(largestRow / maxUsers);
  return (
    `max_batch above ${ceiling} never mattered: users × items-per-request ≤ ${maxUsers} × ${items} = ${ceiling}${formedText}. ` +
    `To exercise max_batch ${largestRow}, use users × items-per-request ≥ ${largestRow}, e.g. items-per-request ${suggestedItems} with up to ${maxUsers} users.`
  );
}

/** The conclusions lines this module adds, in reading order. */
export function studyAnswerLines(run: RunResult): ConclusionLine[] {
  const lines: ConclusionLine[] = [];
  const flattening = describeFlattening(run.cells, run.method.itemsPerRequest);
  if (flattening !== undefined) lines.push({ topic: 'max_batch and dps', text: flattening });
  const ceiling = describeBatchCeiling(run);
  if (ceiling !== undefined) lines.push({ topic: 'Formed-batch ceiling', text: ceiling });
  return lines;
}
