/**
 * The top of the comment (docs/architecture.md#comparison-store-and-reports: headline verdict first): the verdict line, the count of
 * every verdict, and one line of context (what was measured against what). Always kept when
 * the comment has to shrink.
 */
import type { Comparison, GateOutcome } from '../model/comparison.js';
import type { Row } from '../model/run-result.js';
import { rowFailureWords } from './render-failures.js';
import { escapeMarkdown, formatSha, markdownLink } from './escape-markdown.js';
import { formatNumber } from '../format-number.js';
import { renderCalibratingHeadline, renderGateNoise } from './render-gate-noise.js';
import { cellLabel, countLabel } from './matrix-view.js';
import { renderPairedSection } from './render-paired.js';
import { renderMismatchWarning } from './render-fingerprint.js';
import { describeGpus } from '../stats/fingerprint-mismatches.js';
import { LEGEND_ORDER, VERDICT_MARKS } from './verdict-marks.js';
import { symmetricBounds } from '../stats/change-evidence.js';
import { evidenceWords, wordsBreakdown } from '../stats/evidence-words.js';

/** What the header needs besides the comparison. */
export interface HeaderOptions {
  readonly benchmarkKey: string;
  readonly gate: GateOutcome;
  readonly runUrl?: string;
}

/** Headline, counts and context line, as one markdown block. */
export function renderHeaderSection(comparison: Comparison, options: HeaderOptions): string {
  const paired = renderPairedSection(comparison);
  const gateNoise = renderGateNoise(comparison, options.gate);
  const mismatch = renderMismatchWarning(comparison);
  // What the model's config decided (docs/models.md); runs stored before it have none.
  const kind = comparison.run.method.modelKind;
  const kindLine = kind === undefined ? '' : `<br>\nModel: ${escapeMarkdown(kind.reason, 400)}`;
  return [
    `### ${renderHeadline(comparison, options.gate)}`,
    `${renderCounts(comparison)}<br>\n${renderContext(comparison, options)}${kindLine}`,
    ...(mismatch === undefined ? [] : [mismatch]),
    ...(paired === undefined ? [] : [paired]),
    ...(gateNoise === undefined ? [] : [gateNoise]),
  ].join('\n\n');
}

/**
 * The verdict line, short enough for one line: `❌ 2 of 40 cells regressed, worst −12.4% at
 * max_batch 32 / 8 users`, `✅ no regression in 40 cells`, `🆕 first run: no baseline yet`,
 * `❌ the baseline store could not be read: …` (a run failure comes before any cell count).
 * Worded from the comparison's counts (the gate's own message is for logs); the gate decides
 * the icon: ❌ when the check fails, ⚠️ when something needs a look but the check passes.
 */
export function renderHeadline(comparison: Comparison, gate: GateOutcome): string {
  if (gate.verdict === 'calibrating') return renderCalibratingHeadline(comparison);
  const counts = comparison.summary.counts;
  const total = comparison.cells.length;
  if (gate.verdict === 'cancelled') return `⛔ the run was cancelled: ${total} cells compared, the rest not measured`;
  // A store that could not be read, a lost write: never "first run" or "no regression".
  const runFailure = gate.runFailures?.[0];
  if (runFailure !== undefined) return `❌ ${escapeMarkdown(runFailure, 300)}`;
  const latency = latencyHeadline(comparison, gate);
  const isPaired = comparison.run.base !== undefined;
  // gate-metric responses: say which figure regressed (docs/statistics.md, "Gate metric").
  const onMetric = comparison.gateMetric === 'responses' ? ' on responses/s' : '';
  if (counts.regressed > 0) {
    const worst = comparison.summary.worst;
    const where = worst
      ? `, worst ${formatNumber(worst.delta, 'delta')} at ${cellLabel(worst.maxBatch, worst.users)}`
      : '';
    const regressed = comparison.cells.filter((cell) => cell.verdict === 'regressed');
    const words = wordsBreakdown(regressed, { isPaired, figure: 'dps' });
    const pending = gate.toConfirm.length > 0 ? ' (not yet confirmed by a re-measurement)' : '';
    const what = `${counts.regressed} of ${total} cells regressed${onMetric}${words === '' ? '' : ` (${words})`}${where}${pending}`;
    return `${gate.shouldFail ? '❌' : '⚠️'} ${what}${latency === undefined ? '' : `; ${latency}`}`;
  }
  const overall = comparison.paired?.overall;
  if (overall?.verdict === 'regressed') {
    const words = evidenceWords(overall.evidence, symmetricBounds(comparison.paired?.minEffect ?? 0), 'dps');
    const what = `the whole matrix regressed${onMetric}: median ratio ${formatNumber(overall.delta, 'delta')} (paired; ${words})`;
    return `${gate.shouldFail ? '❌' : '⚠️'} ${what}${latency === undefined ? '' : `; ${latency}`}`;
  }
  if (latency !== undefined) return `${gate.shouldFail ? '❌' : '⚠️'} ${latency}; no dps regression`;
  const didNotLoad = describeFailedRows(comparison.run.rows);
  if (counts.failed > 0 && gate.shouldFail) return `❌ ${counts.failed} of ${total} cells failed${didNotLoad}`;
  const errored = comparison.run.cells.filter(
    (c) => c.status !== 'failed' && c.trials.some((t) => t.errors > 0),
  ).length;
  if (errored > 0 && gate.shouldFail) return `❌ ${errored} of ${total} cells had trials with errors`;
  const failed = counts.failed > 0 ? `; ${counts.failed} failed${didNotLoad}` : '';
  const icon = counts.failed > 0 ? '⚠️' : undefined;
  if (comparison.baseline === undefined) return `${icon ?? '🆕'} first run: no baseline yet${failed}`;
  const compared = counts.improved + counts.unchanged + counts.inconclusive;
  return `${icon ?? '✅'} no regression in ${compared} ${compared === total ? '' : 'compared '}cells${failed}`;
}

/**
 * `p99 regressed in 1 of 8 cells (1 p99 ≥ 10% higher), worst +52.0% at max_batch 32 / 8 users`:
 * the latency regressions that count, or undefined when none does.
 */
function latencyHeadline(comparison: Comparison, gate: GateOutcome): string | undefined {
  const latency = comparison.latency;
  const counted = new Set(gate.latencyRegressedCells ?? []);
  const cells = (latency?.cells ?? []).filter((cell) => counted.has(`${cell.maxBatch}x${cell.users}`));
  if (latency === undefined || cells.length === 0) return undefined;
  let worst = cells[0];
  for (const cell of cells) if ((cell.delta ?? 0) > (worst?.delta ?? 0)) worst = cell;
  const where =
    worst === undefined
      ? ''
      : `, worst ${formatNumber(worst.delta, 'delta')} at ${cellLabel(worst.maxBatch, worst.users)}`;
  const words = wordsBreakdown(cells, { isPaired: comparison.run.base !== undefined, figure: latency.percentile });
  return `${latency.percentile} regressed in ${cells.length} of ${latency.cells.length} cells (${words})${where}`;
}

/** ` (max_batch 8, 16 did not load; max_batch 4 failed its first request)`, or '' when no row failed. */
function describeFailedRows(rows: readonly Row[]): string {
  const byWords = new Map<string, number[]>();
  for (const row of rows.filter((r) => r.status === 'failed')) {
    const words = rowFailureWords(row);
    byWords.set(words, [...(byWords.get(words) ?? []), row.maxBatch]);
  }
  const parts = [...byWords].map(([words, maxBatches]) => `max_batch ${maxBatches.join(', ')} ${words}`);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

/** `🔴 2 regressed · 🟢 1 improved · 36 unchanged · ❔ 1 inconclusive`: every verdict present. */
function renderCounts(comparison: Comparison): string {
  const counts = comparison.summary.counts;
  return (
    LEGEND_ORDER.filter((verdict) => counts[verdict] > 0)
      // Unchanged cells carry no mark in the table, so none here either.
      .map(
        (verdict) => `${verdict === 'unchanged' ? '' : `${VERDICT_MARKS[verdict].mark} `}${counts[verdict]} ${verdict}`,
      )
      .join(' · ')
  );
}

function renderContext(comparison: Comparison, options: HeaderOptions): string {
  const { environment, method, source } = comparison.run;
  const model = `model **${escapeMarkdown(environment.model, 100)}** v${escapeMarkdown(environment.modelVersion, 20)}`;
  const parts = [
    options.benchmarkKey === environment.model ? model : `**${escapeMarkdown(options.benchmarkKey, 100)}** · ${model}`,
    `Triton ${escapeMarkdown(environment.tritonVersion, 30)}`,
  ];
  // The client that sent the load (`transport` input); runs stored before it existed have none.
  if (environment.transport !== undefined) parts.push(`transport ${escapeMarkdown(environment.transport, 20)}`);
  if (environment.label.trim() !== '') parts.push(`on ${escapeMarkdown(environment.label, 60)}`);
  if (environment.gpuNames !== undefined) parts.push(escapeMarkdown(describeGpus(environment.gpuNames), 100));
  parts.push(describeBaseline(comparison, source.sha));
  const items = method.itemsPerRequest === 1 ? '' : ` × ${formatNumber(method.itemsPerRequest, 'count')} items`;
  const size =
    method.trialSeconds === undefined
      ? `${formatNumber(method.requests, 'count')} requests`
      : `${method.trialSeconds} s windows of requests`;
  const requests = `${size}${items}`;
  const base = comparison.run.base;
  const perCell =
    base === undefined
      ? countLabel(method.trials, 'trial')
      : `${base.minRounds === base.maxRounds ? base.minRounds : `${base.minRounds}–${base.maxRounds}`} rounds per side`;
  parts.push(`${perCell} × ${requests} per cell`);
  if (options.runUrl !== undefined) parts.push(markdownLink('workflow run', options.runUrl));
  return parts.join(' · ');
}

function describeBaseline(comparison: Comparison, sha: string | undefined): string {
  const current = sha === undefined ? 'this run' : formatSha(sha);
  const baseline = comparison.baseline;
  if (baseline === undefined) return `${current}, no baseline`;
  if (comparison.run.base !== undefined) return `${current} vs its base side, measured in this job`;
  const runs = baseline.runIds.length;
  const how = `${escapeMarkdown(baseline.selectedBy, 30)}, ${runs} ${runs === 1 ? 'run' : 'runs'}`;
  const against = baseline.sha === undefined ? 'baseline' : `baseline ${formatSha(baseline.sha)}`;
  return `${current} vs ${against} (${how})`;
}
