/**
 * The PR comment / job summary body for one comparison (docs/architecture.md#comparison-store-and-reports). Pure: the same comparison
 * and options always give the same markdown. The sticky-comment marker is added by `sinks/`.
 */
import type { ConclusionsMode } from '../config/config.js';
import type { Comparison, GateOutcome } from '../model/comparison.js';
import { truncateText } from './escape-markdown.js';
import { fitSections, joinSections, type ReportSection } from './fit-sections.js';
import { buildMatrixView, type MatrixView } from './matrix-view.js';
import { renderConclusionsSection, shouldShowConclusions } from './render-conclusions.js';
import { renderDpsChartSection } from './render-dps-chart.js';
import { renderFailuresSection } from './render-failures.js';
import { renderHeaderSection, renderHeadline } from './render-header.js';
import { renderSequenceSection } from './render-sequence-section.js';
import { renderStreamSection } from './render-stream-section.js';
import { renderNotesSection } from './render-notes.js';
import { renderMetricsSection } from './render-metrics.js';
import {
  renderBatchSection,
  renderDpsSection,
  renderLatencySection,
  type DpsSectionOptions,
} from './render-matrix-tables.js';
import { renderRawDetailsSection, type RawDetailsOptions } from './render-raw-details.js';
import { renderLatencyGateSection } from './render-latency-gate.js';
import { renderRecommendationSection } from './render-recommendation.js';
import { renderFingerprintLine } from './render-fingerprint.js';
import { renderTrendChartSection, renderTrendTableSection, selectTrend } from './render-trend.js';

/** GitHub's comment limit is 65,536; the rest is room for the marker `sinks/` adds. */
export const DEFAULT_MAX_CHARS = 65_000;

/** Characters kept free for the omission note when sections are dropped. */
const OMISSION_NOTE_RESERVE = 400;

const SECTION_TITLES: Readonly<Record<Exclude<ReportSectionId, 'header' | 'dps'>, string>> = {
  notes: 'notes',
  recommendation: 'recommendation',
  'dps-chart': 'dps chart',
  latency: 'p99 latency',
  stream: 'streaming responses',
  sequences: 'sequences/s',
  batch: 'formed batch',
  failures: 'failures',
  conclusions: 'conclusions',
  metrics: 'server metrics',
  'trend-chart': 'trend chart',
  'trend-table': 'trend table',
  raw: 'raw numbers',
};

/** One line naming the dropped sections (at most ~200 characters). */
function omissionNote(dropped: readonly Exclude<ReportSectionId, 'header' | 'dps'>[]): string {
  return `_Shortened to fit GitHub's comment size limit: left out ${dropped.map((id) => SECTION_TITLES[id]).join(', ')}. The job summary and the \`report-markdown\` output hold the whole report._`;
}

/** Sections of the report, in output order. `header` and `dps` are never dropped whole. */
export type ReportSectionId =
  | 'header'
  | 'dps'
  | 'notes'
  | 'recommendation'
  | 'dps-chart'
  | 'latency'
  | 'stream'
  | 'sequences'
  | 'batch'
  | 'failures'
  | 'conclusions'
  | 'metrics'
  | 'trend-chart'
  | 'trend-table'
  | 'raw';

/** What `droppedSections` may hold: a dropped section, or `dps-rows` when dps rows were cut. */
export type DroppedSection = Exclude<ReportSectionId, 'header' | 'dps'> | 'dps-rows';

/** Order in which sections go when the body is too long: least needed first. */
export const DROP_ORDER: readonly Exclude<ReportSectionId, 'header' | 'dps'>[] = [
  'raw',
  'metrics',
  'trend-table',
  'trend-chart',
  'dps-chart',
  'latency',
  'batch',
  'sequences',
  'stream',
  'conclusions',
  'recommendation',
  'failures',
  'notes',
];

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** Benchmark key of this comparison (one sticky comment per key). */
  readonly benchmarkKey: string;
  /** The gate's decision; drives the headline icon. */
  readonly gate: GateOutcome;
  /** Upper bound of `markdown.length`; default {@link DEFAULT_MAX_CHARS}. */
  readonly maxChars?: number;
  /** Link to the workflow run (http or https only; anything else is shown as text). */
  readonly runUrl?: string;
  /** `conclusions`: whether the study's conclusions are shown; default `auto` (not on pull_request events). */
  readonly conclusions?: ConclusionsMode;
}

/** A rendered report. */
export interface RenderedReport {
  /** GitHub-flavoured markdown, at most `maxChars` long, ending with a newline. */
  readonly markdown: string;
  /** Sections left out to stay under `maxChars`, in the order they were dropped. */
  readonly droppedSections: DroppedSection[];
}

/**
 * Renders `comparison` as markdown: headline, context, dps table, notes, recommendation, p99
 * latency, formed batch, failures, conclusions (unless `conclusions` leaves them out), trend
 * chart and table, raw numbers. Over `maxChars`, whole sections are
 * dropped in {@link DROP_ORDER}; if headline and dps table alone are still too long, dps rows are
 * cut from the bottom with a note.
 */
export function renderReport(comparison: Comparison, options: ReportOptions): RenderedReport {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const view = buildMatrixView(comparison);
  const sections = renderSections(comparison, view, options);
  const whole = fitSections(sections, DROP_ORDER, maxChars);
  if (whole.fits && whole.dropped.length === 0) return { markdown: whole.markdown, droppedSections: [] };
  // Something must go: leave room for one line that says what was left out, so a reader knows
  // the comment is shortened and where the whole report is.
  const fitted = fitSections(sections, DROP_ORDER, maxChars - OMISSION_NOTE_RESERVE);
  if (fitted.fits)
    return {
      markdown: `${fitted.markdown}
${omissionNote(fitted.dropped)}
`,
      droppedSections: [...fitted.dropped],
    };
  return {
    markdown: renderMinimal(comparison, view, options, maxChars),
    droppedSections: [...DROP_ORDER.filter((id) => sections.some((section) => section.id === id)), 'dps-rows'],
  };
}

function renderSections(
  comparison: Comparison,
  view: MatrixView,
  options: ReportOptions,
): ReportSection<ReportSectionId>[] {
  const run = comparison.run;
  const trend = selectTrend(comparison.history);
  const optional: [ReportSectionId, string | undefined][] = [
    ['notes', renderNotesSection(comparison)],
    ['recommendation', renderRecommendationSection(run)],
    ['dps-chart', renderDpsChartSection(run, { isGatedOnResponses: comparison.gateMetric === 'responses' })],
    // With the latency gate on, its own table replaces the plain p99 table.
    ['latency', renderLatencyGateSection(comparison, view) ?? renderLatencySection(view)],
    ['stream', renderStreamSection(view, run.cells, { isGatedOnResponses: comparison.gateMetric === 'responses' })],
    ['sequences', renderSequenceSection(view, run.cells)],
    ['batch', renderBatchSection(view)],
    ['failures', renderFailuresSection(run)],
    [
      'conclusions',
      shouldShowConclusions(options.conclusions ?? 'auto', run) ? renderConclusionsSection(run) : undefined,
    ],
    ['metrics', renderMetricsSection(run)],
    ['trend-chart', renderTrendChartSection(trend)],
    ['trend-table', renderTrendTableSection(trend)],
    ['raw', renderRawDetailsSection(view, renderFingerprintLine(run), rawOptions(comparison))],
  ];
  return [
    { id: 'header', markdown: renderHeaderSection(comparison, options) },
    { id: 'dps', markdown: renderDpsSection(view, dpsOptions(comparison)) },
    ...optional.flatMap(([id, markdown]) => (markdown === undefined ? [] : [{ id, markdown }])),
  ];
}

function rawOptions(comparison: Comparison): RawDetailsOptions {
  const policy = comparison.policy;
  if (policy === undefined) return {};
  return {
    words: { isPaired: comparison.run.base !== undefined, figure: 'dps' },
    intervalLevel: 1 - 2 * policy.alpha,
    ...(comparison.gateMetric === undefined ? {} : { isGatedOnResponses: true }),
  };
}

function dpsOptions(comparison: Comparison): DpsSectionOptions {
  const { run } = comparison;
  const options = {
    trials: run.method.trials,
    hasBaseline: comparison.baseline !== undefined,
    ...(comparison.policy === undefined ? {} : { policy: comparison.policy }),
    ...(comparison.gateMetric === undefined ? {} : { isGatedOnResponses: true }),
  };
  // Paired cells take min-rounds to max-rounds rounds: say what this run's cells took.
  const rounds = run.cells.filter((cell) => cell.trials.length > 0).map((cell) => cell.trials.length);
  if (run.base === undefined || rounds.length === 0) return options;
  return { ...options, pairedRounds: { min: Math.min(...rounds), max: Math.max(...rounds) } };
}

/** Header and as many dps rows as fit; at worst the headline alone, cut to `maxChars`. */
function renderMinimal(comparison: Comparison, view: MatrixView, options: ReportOptions, maxChars: number): string {
  const header = { id: 'header', markdown: renderHeaderSection(comparison, options) };
  for (let rowLimit = view.maxBatches.length - 1; rowLimit >= 0; rowLimit -= 1) {
    const dps = { id: 'dps', markdown: renderDpsSection(view, { ...dpsOptions(comparison), rowLimit }) };
    const markdown = joinSections([header, dps]);
    if (markdown.length <= maxChars) return markdown;
  }
  const headerOnly = joinSections([header]);
  if (headerOnly.length <= maxChars) return headerOnly;
  // Not reachable with real limits; keeps `markdown.length <= maxChars` true for any input.
  return `${truncateText(`### ${renderHeadline(comparison, options.gate)}`, Math.max(0, maxChars - 1))}\n`.slice(
    0,
    maxChars,
  );
}
