/**
 * Conclusions in words about one run (docs/architecture.md#comparison-store-and-reports): where throughput saturates along max_batch,
 * the best cell, the capacity question (which rows failed to load, the largest that served) and
 * the noisy cells. Computed once as data, then worded as plain sentences that contain only
 * numbers and fixed words, so the markdown report and the terminal print the same text.
 */
import type { RunResult } from '../model/run-result.js';
import { formatNumber } from '../format-number.js';
import { cellLabel } from './matrix-view.js';
import { findSaturation, groupSaturation, SATURATION_TOLERANCE, type SaturationGroup } from './find-saturation.js';

/** Most noisy cells named in one sentence; the rest are counted. */
const MAX_NOISY_NAMED = 8;

/** What the run shows, as data. */
export interface Conclusions {
  /** Empty when fewer than two max_batch rows were measured (nothing to compare). */
  readonly saturation: readonly SaturationGroup[];
  readonly best?: {
    readonly maxBatch: number;
    readonly users: number;
    readonly dps: number;
    readonly p99Ms: number;
    readonly avgBatch?: number;
  };
  /** max_batch values of rows that could not be loaded, in run order. */
  readonly failedRows: readonly number[];
  /** Largest max_batch of a row that loaded; absent when none did. */
  readonly largestServed?: number;
  /** `cv` holds the robust spread (1.4826·MAD/median) when the run stored it, else the CV. */
  readonly noisy: readonly { readonly maxBatch: number; readonly users: number; readonly cv: number }[];
}

/** One conclusion: a short topic and a plain sentence. */
export interface ConclusionLine {
  readonly topic: string;
  readonly text: string;
}

/**
 * Derives {@link Conclusions} from the rows of `run` and its stable cells: saturation and the
 * best cell use `ok` cells only, since a noisy cell's median is the one figure not to build on.
 */
export function findConclusions(run: RunResult): Conclusions {
  const measured = run.cells.filter((cell) => cell.status === 'ok' && cell.dpsMedian > 0);
  const points = measured.map((cell) => ({ maxBatch: cell.maxBatch, users: cell.users, dps: cell.dpsMedian }));
  const rowCount = new Set(points.map((point) => point.maxBatch)).size;
  const bestCell = measured.reduce<(typeof measured)[number] | undefined>(
    (best, cell) => (best === undefined || cell.dpsMedian > best.dpsMedian ? cell : best),
    undefined,
  );
  const served = run.rows.filter((row) => row.status === 'ok').map((row) => row.maxBatch);
  return {
    saturation: rowCount >= 2 ? groupSaturation(findSaturation(points)) : [],
    ...(bestCell && {
      best: {
        maxBatch: bestCell.maxBatch,
        users: bestCell.users,
        dps: bestCell.dpsMedian,
        p99Ms: bestCell.latencyMs.p99,
        ...(bestCell.server && { avgBatch: bestCell.server.avgBatch }),
      },
    }),
    failedRows: run.rows.filter((row) => row.status === 'failed').map((row) => row.maxBatch),
    ...(served.length > 0 && { largestServed: Math.max(...served) }),
    noisy: run.cells
      .filter((cell) => cell.status === 'noisy')
      .map((cell) => ({ maxBatch: cell.maxBatch, users: cell.users, cv: cell.spread ?? cell.cv })),
  };
}

/** Words for `conclusions`, in reading order; empty topics are left out. */
export function describeConclusions(conclusions: Conclusions): ConclusionLine[] {
  const lines: ConclusionLine[] = [];
  if (conclusions.saturation.length > 0) {
    lines.push({ topic: 'Saturation', text: describeSaturation(conclusions.saturation) });
  }
  const best = conclusions.best;
  if (best) {
    const batch = best.avgBatch === undefined ? '' : `, formed batch ${formatNumber(best.avgBatch, 'batch')}`;
    lines.push({
      topic: 'Best cell',
      text:
        `${formatNumber(best.dps, 'dps')} dps at ${cellLabel(best.maxBatch, best.users)} ` +
        `(p99 ${formatNumber(best.p99Ms, 'ms')} ms${batch}).`,
    });
  }
  if (conclusions.failedRows.length > 0) lines.push({ topic: 'Capacity', text: describeCapacity(conclusions) });
  if (conclusions.noisy.length > 0) lines.push({ topic: 'Noisy', text: describeNoisy(conclusions.noisy) });
  return lines;
}

function describeSaturation(groups: readonly SaturationGroup[]): string {
  const tolerance = formatNumber(SATURATION_TOLERANCE, 'percent').replace('.0%', '%');
  const parts = groups.map(
    (group) =>
      `${usersRange(group.users)} → ${group.maxBatch}` +
      (group.isPlateau ? '' : ' (the largest measured: may still rise)'),
  );
  return `smallest max_batch within ${tolerance} of the best dps, per users column: ${parts.join(' · ')}.`;
}

function describeCapacity(conclusions: Conclusions): string {
  const rows = conclusions.failedRows;
  const failed = `max_batch ${joinWords(rows.map(String))} failed to load`;
  if (conclusions.largestServed === undefined) return `${failed}; no max_batch served.`;
  return `${failed}; the largest max_batch that served is ${conclusions.largestServed}.`;
}

function describeNoisy(noisy: Conclusions['noisy']): string {
  const named = noisy
    .slice(0, MAX_NOISY_NAMED)
    .map((cell) => `${cellLabel(cell.maxBatch, cell.users)} (spread ${formatNumber(cell.cv, 'percent')})`);
  const more = noisy.length > MAX_NOISY_NAMED ? ` and ${noisy.length - MAX_NOISY_NAMED} more` : '';
  const whose = noisy.length === 1 ? 'its verdict' : 'their verdicts';
  return `${named.join(', ')}${more} stayed unstable after re-runs; read ${whose} with care.`;
}

/** `[1,2,3,4]` → `"1–4 users"`; `[1,2,4]` → `"1, 2 and 4 users"`; `[1]` → `"1 user"`. */
export function usersRange(users: readonly number[]): string {
  const first = users[0];
  const last = users.at(-1);
  if (first === undefined || last === undefined) return '';
  const noun = users.length === 1 && first === 1 ? 'user' : 'users';
  const isContiguous = users.length >= 2 && users.every((value, index) => value === first + index);
  return `${isContiguous ? `${first}–${last}` : joinWords(users.map(String))} ${noun}`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}
