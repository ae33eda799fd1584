/**
 * The mark each verdict gets in the dps table and the legend that explains them (docs/architecture.md#comparison-store-and-reports).
 * One place, so table, legend and headline cannot disagree.
 */
import type { Verdict } from '../model/comparison.js';

/** Emoji and the word the legend uses for it, per verdict. */
export const VERDICT_MARKS: Readonly<Record<Verdict, { readonly mark: string; readonly word: string }>> = {
  regressed: { mark: '🔴', word: 'regressed' },
  improved: { mark: '🟢', word: 'improved' },
  unchanged: { mark: '⚪', word: 'unchanged' },
  inconclusive: { mark: '❔', word: 'inconclusive' },
  new: { mark: '🆕', word: 'new (no baseline)' },
  failed: { mark: '⚠️', word: 'failed' },
  missing: { mark: '➖', word: 'missing (baseline only)' },
};

/** Legend and count order: what needs attention first. */
export const LEGEND_ORDER: readonly Verdict[] = [
  'regressed',
  'improved',
  'unchanged',
  'inconclusive',
  'new',
  'failed',
  'missing',
];

/**
 * One legend line for the dps table listing only the verdicts that occur in `present` (all if
 * empty). Unchanged cells carry no mark in the table, so the legend says "no mark".
 * `meanings`, when given, say what a regressed and an unchanged cell show under the gate
 * policy (policy-words.ts) instead of the bare words.
 */
export function renderLegend(
  present: ReadonlySet<Verdict>,
  meanings: { readonly regressed?: string; readonly unchanged?: string } = {},
): string {
  const shown = LEGEND_ORDER.filter((verdict) => present.size === 0 || present.has(verdict));
  return shown
    .map((verdict) => {
      if (verdict === 'unchanged') return `no mark = ${meanings.unchanged ?? 'unchanged'}`;
      const word = verdict === 'regressed' ? (meanings.regressed ?? 'regressed') : VERDICT_MARKS[verdict].word;
      return `${VERDICT_MARKS[verdict].mark} ${word}`;
    })
    .join(' · ');
}
