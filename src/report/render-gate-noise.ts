/**
 * What a verdict of the stored-baseline gate is worth, in one or two lines under the headline
 * (docs/statistics.md §5–§6): the noise this runner showed, the smallest change the gate can see
 * at the current settings, whether it is still calibrating and what it is missing, outlier runs
 * set aside, and the baseline's age. Pure.
 */
import type { Comparison, GateOutcome, Sensitivity } from '../model/comparison.js';
import { missingRunsText } from '../stats/calibrating-text.js';
import { escapeMarkdown } from './escape-markdown.js';
import { formatNumber } from '../format-number.js';

/** `🧪 calibrating (report-only): 2 of 40 cells would have regressed`: the calibrating headline. */
export function renderCalibratingHeadline(comparison: Comparison): string {
  const counts = comparison.summary.counts;
  const total = comparison.cells.length;
  const said =
    counts.regressed > 0
      ? `${counts.regressed} of ${total} cells would have regressed`
      : `no regression seen in ${total} cells`;
  return `🧪 calibrating (report-only, cannot fail yet): ${said}`;
}

/** The lines, or undefined when there is no baseline to speak of. */
export function renderGateNoise(comparison: Comparison, gate: GateOutcome): string | undefined {
  if (comparison.baseline === undefined) return undefined;
  const lines = [
    ...(gate.verdict === 'calibrating' ? [`${missingRunsText(comparison.calibration)}.`] : []),
    ...sensitivityLines(comparison.sensitivity, comparison),
    ...outlierLines(comparison),
  ];
  return lines.length === 0 ? undefined : lines.join('<br>\n');
}

function sensitivityLines(sensitivity: Sensitivity | undefined, comparison: Comparison): string[] {
  if (sensitivity === undefined) return [];
  const noise = `${formatNumber(sensitivity.runToRunCv, 'percent')}${sensitivity.isNoiseAssumed ? ' (assumed, not yet measured)' : ''}`;
  const single =
    sensitivity.singleCell === undefined
      ? 'a change confined to one cell can never be significant at these trial counts'
      : `≥ ${formatNumber(sensitivity.singleCell, 'percent')} in a single cell`;
  const age = ageText(comparison);
  return [
    `This runner showed ${noise} run-to-run noise and ${formatNumber(sensitivity.trialCv, 'percent')} trial ` +
      `noise: it can see ≥ ${formatNumber(sensitivity.uniform, 'percent')} changes across the matrix, ${single}` +
      `${age === undefined ? '' : `; ${age}`}.`,
  ];
}

function outlierLines(comparison: Comparison): string[] {
  const outliers = comparison.outlierRuns ?? [];
  if (outliers.length === 0) return [];
  const list = outliers
    .map((run) => `${escapeMarkdown(run.id, 80)} (${formatNumber(run.offset, 'delta')} off the others)`)
    .join(', ');
  return [`Set aside as outlier baseline ${outliers.length === 1 ? 'run' : 'runs'}: ${list}.`];
}

/** `baseline measured 3 days earlier` from the two start times; undefined when unknown. */
function ageText(comparison: Comparison): string | undefined {
  const measuredAt = comparison.baseline?.measuredAt;
  if (measuredAt === undefined) return undefined;
  const hours = hoursBetween(measuredAt, comparison.run.startedAt);
  if (hours === undefined) return undefined;
  if (hours < 0) return 'baseline measured after this run';
  if (hours < 48) return `baseline measured ${Math.round(hours)} h earlier`;
  return `baseline measured ${Math.round(hours / 24)} days earlier`;
}

/**
 * Only timestamps with an explicit zone: `Date.parse` of those reads neither the clock nor the
 * machine's time zone, so the report stays pure; without a zone it would read local time.
 */
const HAS_ZONE = /(?:Z|[+-]\d{2}:\d{2})$/;

const MS_PER_HOUR = 3_600_000;

/** `later − earlier` in hours, or undefined unless both are ISO 8601 timestamps with a zone. */
export function hoursBetween(earlier: string, later: string): number | undefined {
  if (!HAS_ZONE.test(earlier) || !HAS_ZONE.test(later)) return undefined;
  const ms = Date.parse(later) - Date.parse(earlier);
  return Number.isFinite(ms) ? ms / MS_PER_HOUR : undefined;
}
