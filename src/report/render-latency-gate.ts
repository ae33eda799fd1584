/**
 * The latency gate's own table (docs/statistics.md, "Latency gate"): per cell the change of the
 * watched percentile with its verdict mark, then the cells whose percentile changed
 * significantly with both sides' figures, the interval and what it establishes. Pure.
 */
import type { Comparison, LatencyCellComparison, LatencyComparison } from '../model/comparison.js';
import { cellWords } from '../stats/evidence-words.js';
import { formatNumber, NO_VALUE } from '../format-number.js';
import { renderMarkdownTable, type Align } from './markdown-table.js';
import type { MatrixView } from './matrix-view.js';
import { regressedMeaning, sharedThresholdText } from './policy-words.js';
import { renderLegend, VERDICT_MARKS } from './verdict-marks.js';

/** The section, or undefined when the latency gate is off. */
export function renderLatencyGateSection(comparison: Comparison, view: MatrixView): string | undefined {
  const latency = comparison.latency;
  if (latency === undefined) return undefined;
  const isPaired = comparison.run.base !== undefined;
  const byKey = new Map(latency.cells.map((cell) => [`${cell.maxBatch}x${cell.users}`, cell]));
  const matrix = renderMarkdownTable({
    header: ['max_batch', ...view.users.map(String)],
    rows: view.maxBatches.map((maxBatch) => [
      `**${maxBatch}**`,
      ...view.users.map((users) => deltaText(byKey.get(`${maxBatch}x${users}`))),
    ]),
    align: ['left', ...view.users.map((): Align => 'right')],
  });
  const legend = renderLegend(
    new Set(latency.cells.map((cell) => cell.verdict)),
    legendMeanings(comparison, latency, isPaired),
  );
  const sides = isPaired ? 'head vs base, median of the rounds' : 'this run vs baseline, median of the trials';
  return [
    `#### ${latency.percentile} latency gate (${sides}; latency-min-effect ${formatNumber(latency.minEffect, 'level')})`,
    matrix,
    `${legend} · Δ = change of the ${latency.percentile}`,
    changedCells(latency, comparison, isPaired),
  ].join('\n\n');
}

/** What a 🔴 cell and an unmarked one show, in the latency's own terms. */
function legendMeanings(
  comparison: Comparison,
  latency: LatencyComparison,
  isPaired: boolean,
): { regressed: string; unchanged: string } {
  const effect = (verdict: string): string =>
    sharedThresholdText(latency.cells.filter((cell) => cell.verdict === verdict).map((cell) => cell.threshold));
  return {
    regressed: regressedMeaning(comparison.policy, effect('regressed'), latency.percentile),
    unchanged: isPaired
      ? `a ${effect('unchanged')} change ruled out`
      : `no significant change beyond ${effect('unchanged')}`,
  };
}

/** `+52.3%&nbsp;🔴`: the change and the mark of a non-unchanged verdict; a dash when not compared. */
function deltaText(cell: LatencyCellComparison | undefined): string {
  if (cell === undefined) return '';
  if (cell.verdict === 'failed') return VERDICT_MARKS.failed.mark;
  const delta = cell.delta === undefined ? NO_VALUE : formatNumber(cell.delta, 'delta');
  return cell.verdict === 'unchanged' ? delta : `${delta}&nbsp;${VERDICT_MARKS[cell.verdict].mark}`;
}

/** The cells whose percentile changed significantly, with what the data establish. */
function changedCells(latency: LatencyComparison, comparison: Comparison, isPaired: boolean): string {
  const changed = latency.cells.filter(
    (cell) => cell.evidence !== undefined && cell.evidence !== 'same' && cell.evidence !== 'unclear',
  );
  if (changed.length === 0) return `No cell's ${latency.percentile} changed significantly.`;
  const level = comparison.policy === undefined ? '' : `${formatNumber(1 - 2 * comparison.policy.alpha, 'level')} `;
  const figure = latency.percentile;
  return renderMarkdownTable({
    header: [
      'max_batch × users',
      `${figure} ms`,
      `${isPaired ? 'base' : 'baseline'} ${figure} ms`,
      'Δ',
      `${level}interval`,
      'q',
      isPaired ? 'what the rounds show' : 'what the trials show',
    ],
    rows: changed.map((cell) => [
      `${cell.maxBatch} × ${cell.users}`,
      formatNumber(cell.currentMs, 'ms'),
      formatNumber(cell.baselineMs, 'ms'),
      formatNumber(cell.delta, 'delta'),
      cell.deltaCi === undefined
        ? NO_VALUE
        : `${formatNumber(cell.deltaCi[0], 'delta')} … ${formatNumber(cell.deltaCi[1], 'delta')}`,
      formatNumber(cell.qValue, 'pvalue'),
      `${cell.verdict === 'unchanged' ? '' : `${VERDICT_MARKS[cell.verdict].mark} `}${cellWords(cell, { isPaired, figure }) ?? cell.verdict}`,
    ]),
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
}
