/**
 * The paired part of the report (docs/statistics.md §11): one line saying head and base were
 * measured in this job, and the Δ table — per cell the median head/base ratio with its interval,
 * the rounds it took and its verdict, then the whole-matrix line. Pure.
 */
import type { Comparison } from '../model/comparison.js';
import type { PairedComparison, PairedEstimate, PairedVerdict } from '../model/paired-comparison.js';
import { escapeMarkdown } from './escape-markdown.js';
import { formatNumber } from '../format-number.js';
import { renderMarkdownTable } from './markdown-table.js';
import { notablePairedCells, sameCellsNote } from './notable-paired-cells.js';
import { symmetricBounds } from '../stats/change-evidence.js';
import { regressedMeaning } from './policy-words.js';
import { evidenceWords } from '../stats/evidence-words.js';

/** The mark of each paired verdict; `same` has none, so the cells that changed stand out. */
const VERDICT_MARK: Readonly<Record<PairedVerdict, string>> = {
  regressed: '🔴 ',
  improved: '🟢 ',
  same: '',
  unknown: '❔ ',
};

/** `paired: head vs base measured in this job, 5 rounds` plus the Δ table; `undefined` unpaired. */
export function renderPairedSection(comparison: Comparison): string | undefined {
  const paired = comparison.paired;
  const base = comparison.run.base;
  if (paired === undefined || base === undefined) return undefined;
  const rounds = paired.cells.map((cell) => cell.rounds);
  const most = rounds.length === 0 ? 0 : Math.max(...rounds);
  const least = rounds.length === 0 ? 0 : Math.min(...rounds);
  const span = least === most ? `${most} rounds` : `${least}–${most} rounds`;
  const line =
    // Bold like the header's model name: backslash escapes would show literally inside a code span.
    `**paired: head vs base measured in this job, ${span}** · base **${escapeMarkdown(base.model, 100)}**` +
    ` on ${escapeMarkdown(base.serverAddress, 100)}`;
  const effect = formatNumber(paired.minEffect, 'level');
  const present = new Set(
    [...paired.cells, ...(paired.overall === undefined ? [] : [paired.overall])].map((c) => c.verdict),
  );
  const meanings: Readonly<Record<PairedVerdict, string>> = {
    regressed: `🔴 ${regressedMeaning(comparison.policy, effect, 'dps')}`,
    improved: '🟢 improved',
    unknown: '❔ undecided after the last round',
    same: `no mark = a ${effect} change ruled out`,
  };
  const legend = [
    ...(['regressed', 'improved', 'unknown', 'same'] as const)
      .filter((verdict) => present.has(verdict))
      .map((verdict) => meanings[verdict]),
    significanceNote(paired),
  ].join(' · ');
  const isOnResponses = comparison.gateMetric === 'responses';
  return `${line}\n\n${renderDeltaTable(paired, isOnResponses)}\n\n${legend}`;
}

function renderDeltaTable(paired: PairedComparison, isOnResponses: boolean): string {
  // One decimal when needed: alpha 0.002 gives a 99.6% interval, not "100%".
  const level = formatNumber(1 - 2 * paired.alpha, 'level');
  const { listed, sameCount } = notablePairedCells(paired);
  const words = (estimate: PairedEstimate): string =>
    `${VERDICT_MARK[estimate.verdict]}${evidenceWords(estimate.evidence, symmetricBounds(paired.minEffect), 'dps')}`;
  const rows = listed.map((cell) => [
    `${cell.maxBatch} × ${cell.users}`,
    String(cell.rounds),
    ...figures(cell, cell.qSlower),
    words(cell),
  ]);
  const overall = paired.overall;
  if (overall !== undefined) {
    rows.push([
      '**whole matrix**',
      String(overall.rounds),
      ...figures(overall, overall.pSlower),
      `**${words(overall)}**`,
    ]);
  }
  const table = renderMarkdownTable({
    header: [
      'max_batch × users',
      'rounds',
      isOnResponses ? 'Δ median ratio of responses/s' : 'Δ median ratio',
      `${level} interval`,
      'q (slower)',
      'what the rounds show',
    ],
    rows,
    align: ['left', 'right', 'right', 'right', 'right', 'left'],
  });
  const note = sameCellsNote(sameCount, formatNumber(paired.minEffect, 'level'), isOnResponses ? 'responses/s' : 'dps');
  return note === undefined ? table : `${table}\n\n${note}`;
}

function figures(estimate: PairedEstimate, q: number): string[] {
  const [low, high] = estimate.deltaCi;
  return [
    formatNumber(estimate.delta, 'delta'),
    `${formatNumber(low, 'delta')} … ${formatNumber(high, 'delta')}`,
    formatNumber(q, 'pvalue'),
  ];
}

/**
 * The level a q (or the whole matrix's p) is judged at: without it, q 0.031 beside "no
 * significant change" at alpha 0.05 reads as a contradiction when two looks halve the level.
 */
function significanceNote(paired: PairedComparison): string {
  const looks = paired.looks ?? 1;
  const level = formatNumber(paired.alpha / looks, 'pvalue');
  return looks === 1
    ? `significant: q ≤ ${level} (alpha)`
    : `significant: q ≤ ${level} (alpha ${String(paired.alpha)} over ${looks} looks at the rounds)`;
}
