/**
 * What a 🔴 or 🟢 mark means under the run's gate policy (docs/statistics.md, "Verdict words and
 * the gate policy"), for legends and headlines: one place, so the marks, the tables' words and
 * the headline say the same thing.
 */
import type { AppliedPolicy, Comparison } from '../model/comparison.js';
import type { ChangeFigure } from '../stats/evidence-words.js';
import { formatNumber } from '../format-number.js';

/** `5%` when every cell has that threshold, else `its threshold` (stored mode widens it per cell). */
export function sharedThresholdText(thresholds: readonly (number | undefined)[]): string {
  const known = [...new Set(thresholds.filter((value): value is number => value !== undefined))];
  return known.length === 1 && known[0] !== undefined ? formatNumber(known[0], 'level') : 'its threshold';
}

/**
 * `regressed: significantly slower, −5% not ruled out`: what a regressed cell shows under
 * `policy` (absent: the words of the verdict alone).
 */
export function regressedMeaning(policy: AppliedPolicy | undefined, effect: string, figure: ChangeFigure): string {
  const [subject, worse, sign] = figure === 'dps' ? ['', 'slower', '−'] : [`${figure} `, 'higher', '+'];
  const signed = effect.endsWith('%') ? `${sign}${effect}` : effect;
  // `its threshold` (stored mode, thresholds widened per cell) takes no sign.
  switch (policy?.rule) {
    case undefined:
      return 'regressed';
    case 'not-ruled-out':
      return `regressed: ${subject}significantly ${worse}, ${signed} not ruled out`;
    case 'estimate':
      return `regressed: ${subject}significantly ${worse}, the median ${figure === 'dps' ? 'drop' : 'rise'} at least ${effect}`;
    case 'established':
      return `regressed: ${subject}≥ ${effect} ${worse}, established`;
  }
}

/** `gate-policy not-ruled-out` for a line under a table, or '' when unknown. */
export function policyName(comparison: Comparison): string {
  return comparison.policy === undefined ? '' : `gate-policy ${comparison.policy.rule}`;
}
