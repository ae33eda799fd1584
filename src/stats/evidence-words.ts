/**
 * The words of the evidence (docs/statistics.md, "Verdict words and the gate policy"): short
 * ones for tables (`≥ 5% slower`, `slower, −5% not ruled out`, `slower by < 5%`) and a generic
 * reason. One module, so the report, the CLI and the gate's messages say the same thing.
 */
import type { Evidence } from '../model/evidence.js';
import { formatNumber } from '../format-number.js';
import { symmetricBounds, thresholdBounds, type EffectBounds } from './change-evidence.js';

/** The figure a change is about: dps, or a latency percentile. */
export type ChangeFigure = 'dps' | 'p50' | 'p90' | 'p99';

interface Phrases {
  /** `` for dps, `p99 ` for latency. */
  readonly subject: string;
  /** `slower` / `higher`, `faster` / `lower`. */
  readonly worseWord: string;
  readonly betterWord: string;
  /** The effect as a relative change of the figure, unsigned (`5%`). */
  readonly worseSize: string;
  readonly betterSize: string;
  /** Signs of a worse and a better change of the figure (dps drops, latency rises). */
  readonly worseSign: string;
  readonly betterSign: string;
}

function phrasesOf(bounds: EffectBounds, figure: ChangeFigure): Phrases {
  // dps: worse is a drop of 1 − e^−w; latency (compared as a rate): worse is a rise of e^w − 1.
  const drop = (log: number): string => formatNumber(1 - Math.exp(-log), 'level');
  const rise = (log: number): string => formatNumber(Math.exp(log) - 1, 'level');
  if (figure === 'dps') {
    const sizes = { worseSize: drop(bounds.worse), betterSize: rise(bounds.better) };
    return { subject: '', worseWord: 'slower', betterWord: 'faster', ...sizes, worseSign: '−', betterSign: '+' };
  }
  const sizes = { worseSize: rise(bounds.worse), betterSize: drop(bounds.better) };
  return { subject: `${figure} `, worseWord: 'higher', betterWord: 'lower', ...sizes, worseSign: '+', betterSign: '−' };
}

/** Short words for a table cell: `≥ 5% slower`, `p99 higher, +10% not ruled out`, `same (±5%)`. */
export function evidenceWords(evidence: Evidence, bounds: EffectBounds, figure: ChangeFigure): string {
  const p = phrasesOf(bounds, figure);
  switch (evidence) {
    case 'worse-beyond':
      return `${p.subject}≥ ${p.worseSize} ${p.worseWord}`;
    case 'worse-reaches':
      return `${p.subject}${p.worseWord}, ${p.worseSign}${p.worseSize} not ruled out`;
    case 'worse-within':
      return `${p.subject}${p.worseWord} by < ${p.worseSize}`;
    case 'same':
      return `${p.subject}same (±${p.worseSize})`;
    case 'unclear':
      return 'no significant change';
    case 'better-within':
      return `${p.subject}${p.betterWord} by < ${p.betterSize}`;
    case 'better-reaches':
      return `${p.subject}${p.betterWord}, ${p.betterSign}${p.betterSize} not ruled out`;
    case 'better-beyond':
      return `${p.subject}≥ ${p.betterSize} ${p.betterWord}`;
  }
}

/**
 * Why the evidence is what it is, without the cell's numbers (so cells with the same reason
 * group): `significantly slower; the interval reaches −5%: a 5% drop is not ruled out`.
 */
export function evidenceReason(evidence: Evidence, bounds: EffectBounds, figure: ChangeFigure): string {
  const p = phrasesOf(bounds, figure);
  const [worseChange, betterChange] = [
    `${p.subject}significantly ${p.worseWord}`,
    `${p.subject}significantly ${p.betterWord}`,
  ];
  const worse = `${p.worseSign}${p.worseSize}`;
  const better = `${p.betterSign}${p.betterSize}`;
  switch (evidence) {
    case 'worse-beyond':
      return `${worseChange}; the whole interval lies beyond ${worse}`;
    case 'worse-reaches':
      return `${worseChange}; the interval reaches ${worse}: a change of ${worse} is not ruled out`;
    case 'worse-within':
      return `${worseChange}; the interval stops short of ${worse}: the change is smaller`;
    case 'same':
      return `not significant; the interval lies inside ${worse} … ${better}`;
    case 'unclear':
      return `not significant; the interval is wider than ${worse} … ${better}`;
    case 'better-within':
      return `${betterChange}; the interval stops short of ${better}: the change is smaller`;
    case 'better-reaches':
      return `${betterChange}; the interval reaches ${better}: a change of ${better} is not ruled out`;
    case 'better-beyond':
      return `${betterChange}; the whole interval lies beyond ${better}`;
  }
}

/** What a cell's words need: its evidence and threshold (relative change of the figure). */
export interface WordedCell {
  readonly evidence?: Evidence;
  readonly threshold?: number;
}

/** How the cells were compared: paired bounds are symmetric in the log ratio, stored ones are not. */
export interface WordContext {
  readonly isPaired: boolean;
  readonly figure: ChangeFigure;
}

/**
 * The bounds a cell's evidence was judged against, from its threshold: a drop of `t` (dps) or a
 * rise of `t` (latency, compared as the rate drop `t / (1 + t)`).
 */
export function boundsOfCell(threshold: number, context: WordContext): EffectBounds {
  const drop = context.figure === 'dps' ? threshold : threshold / (1 + threshold);
  return context.isPaired ? symmetricBounds(drop) : thresholdBounds(drop);
}

/** The cell's short words, or undefined when it was not tested. */
export function cellWords(cell: WordedCell, context: WordContext): string | undefined {
  if (cell.evidence === undefined || cell.threshold === undefined) return undefined;
  return evidenceWords(cell.evidence, boundsOfCell(cell.threshold, context), context.figure);
}

/** Evidence from the strongest worse change to the strongest better one (the order of a breakdown). */
const EVIDENCE_ORDER: readonly Evidence[] = [
  'worse-beyond',
  'worse-reaches',
  'worse-within',
  'same',
  'unclear',
  'better-within',
  'better-reaches',
  'better-beyond',
];

/** `1 ≥ 5% slower; 4 slower, −5% not ruled out`: the cells counted by their words, strongest first. */
export function wordsBreakdown(cells: readonly WordedCell[], context: WordContext): string {
  const counts = new Map<string, { readonly rank: number; count: number }>();
  for (const cell of cells) {
    const words = cellWords(cell, context);
    if (words === undefined || cell.evidence === undefined) continue;
    const entry = counts.get(words) ?? { rank: EVIDENCE_ORDER.indexOf(cell.evidence), count: 0 };
    entry.count += 1;
    counts.set(words, entry);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => x.rank - y.rank || y.count - x.count || a.localeCompare(b))
    .map(([words, { count }]) => `${count} ${words}`)
    .join('; ');
}
