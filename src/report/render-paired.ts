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

const VERDICT_TEXT: Readonly<Record<PairedVerdict, string>> = {
  regressed: '🔴 regressed',
  improved: '🟢 improved',
  same: 'same',
  unknown: '❔ unknown',
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
  return `${line}\n\n${renderDeltaTable(paired)}`;
}

function renderDeltaTable(paired: PairedComparison): string {
  // One decimal when needed: alpha 0.002 gives a 99.6% interval, not "100%".
  const level = formatNumber(1 - 2 * paired.alpha, 'level');
  const { listed, sameCount } = notablePairedCells(paired);
  const rows = listed.map((cell) => [
    `${cell.maxBatch} × ${cell.users}`,
    String(cell.rounds),
    ...figures(cell, cell.qSlower),
    VERDICT_TEXT[cell.verdict],
  ]);
  const overall = paired.overall;
  if (overall !== undefined) {
    rows.push([
      '**whole matrix**',
      String(overall.rounds),
      ...figures(overall, overall.pSlower),
      `**${VERDICT_TEXT[overall.verdict]}**`,
    ]);
  }
  const table = renderMarkdownTable({
    header: ['max_batch × users', 'rounds', 'Δ median ratio', `${level} interval`, 'q (slower)', 'verdict'],
    rows,
    align: ['left', 'right', 'right', 'right', 'right', 'left'],
  });
  const note = sameCellsNote(sameCount, formatNumber(paired.minEffect, 'level'));
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
