/**
 * The three max_batch × users tables of the comment (docs/architecture.md#comparison-store-and-reports): dps with Δ% and verdict marks,
 * p99 latency, and the batch Triton actually formed. Rows are max_batch, columns users.
 */
import type { Cell } from '../model/run-result.js';
import type { AppliedPolicy, CellComparison, Verdict } from '../model/comparison.js';
import { regressedMeaning, sharedThresholdText } from './policy-words.js';
import { formatNumber, NO_VALUE } from '../format-number.js';
import { renderMarkdownTable, type Align } from './markdown-table.js';
import { countLabel, type MatrixView } from './matrix-view.js';
import { renderLegend, VERDICT_MARKS } from './verdict-marks.js';

/** Top-left header cell: says which way rows and columns run. */
const CORNER = 'max_batch';

/** Options of {@link renderDpsSection}. */
export interface DpsSectionOptions {
  /** Trials per cell, for the heading. */
  readonly trials: number;
  /** False on a first run: no Δ to explain in the legend. */
  readonly hasBaseline: boolean;
  /** Show only the first `rowLimit` rows and say how many were left out (size limit). */
  readonly rowLimit?: number;
  /**
   * Paired runs (docs/statistics.md §11): the fewest and most rounds a cell got. The figures
   * are then the head's median over its rounds and Δ the median head/base ratio.
   */
  readonly pairedRounds?: { readonly min: number; readonly max: number };
  /** The rule the verdicts were decided by: the legend says what a 🔴 cell shows under it. */
  readonly policy?: AppliedPolicy;
  /** `gate-metric: responses`: the table is responses/s, the figure the verdicts compared. */
  readonly isGatedOnResponses?: boolean;
}

/** The dps table with Δ% vs baseline and a verdict mark per cell, its heading and legend. */
export function renderDpsSection(view: MatrixView, options: DpsSectionOptions): string {
  const rows = view.maxBatches.slice(0, options.rowLimit ?? view.maxBatches.length);
  const table = splitUsers(view.users)
    .map((users) =>
      renderMatrixTable(
        view,
        rows,
        (maxBatch, u) => {
          const cell = view.cell(maxBatch, u);
          // Cells the comparison has no figure for show their own figure of the same metric.
          const shown =
            options.isGatedOnResponses === true && cell !== undefined
              ? { ...cell, dpsMedian: cell.responsesPerSecondMedian ?? 0 }
              : cell;
          return dpsCellText(view.comparison(maxBatch, u), shown, options.hasBaseline);
        },
        users,
      ),
    )
    .join('\n\n');
  const hidden = view.maxBatches.length - rows.length;
  const note =
    hidden > 0
      ? `\n\n_${hidden} more max_batch ${hidden === 1 ? 'row is' : 'rows are'} not shown, to keep the ` +
        "comment within GitHub's size limit. The job summary has the full report._"
      : '';
  const paired = options.pairedRounds;
  const median =
    paired === undefined
      ? options.trials === 1
        ? 'a single trial per cell'
        : `median of ${countLabel(options.trials, 'trial')}`
      : `head's median of ${paired.min === paired.max ? formatNumber(paired.min, 'count') : `${paired.min}–${paired.max}`} paired rounds`;
  const delta =
    paired === undefined ? 'Δ = change of the median vs baseline' : 'Δ = median head/base ratio of the rounds';
  const title =
    options.isGatedOnResponses === true
      ? `#### Responses/s (the gate's metric, gate-metric: responses; ${median}): rows max_batch, columns users`
      : `#### Throughput (data items/s, ${median}): rows max_batch, columns users`;
  return [
    title,
    table + note,
    options.hasBaseline
      ? `${renderLegend(presentVerdicts(view), legendMeanings(view, options))} · ${delta}`
      : 'No baseline yet, so no Δ and no verdicts: plain medians.',
  ].join('\n\n');
}

/** p99 latency in ms per cell; failed or unmeasured cells show a dash. */
export function renderLatencySection(view: MatrixView): string {
  const table = renderMatrixTable(view, view.maxBatches, (maxBatch, users) => {
    const cell = view.cell(maxBatch, users);
    return isMeasured(cell) ? formatNumber(cell.latencyMs.p99, 'ms') : NO_VALUE;
  });
  return ['#### p99 latency (ms)', table].join('\n\n');
}

/** The batch Triton's dynamic batcher formed per cell (inferences / executions). */
export function renderBatchSection(view: MatrixView): string {
  const table = renderMatrixTable(view, view.maxBatches, (maxBatch, users) => {
    const cell = view.cell(maxBatch, users);
    return isMeasured(cell) ? formatNumber(cell.server?.avgBatch, 'batch') : NO_VALUE;
  });
  return ['#### Formed batch (Triton: inferences per execution)', table].join('\n\n');
}

/** Most users columns of one dps table: two-line dps cells are ~90 px wide, a comment ~800 px. */
const MAX_DPS_COLUMNS = 6;

/** Users columns in even chunks of at most {@link MAX_DPS_COLUMNS} (10 → 5 + 5). */
function splitUsers(users: readonly number[]): (readonly number[])[] {
  const chunks = Math.max(1, Math.ceil(users.length / MAX_DPS_COLUMNS));
  const size = Math.ceil(users.length / chunks);
  return Array.from({ length: chunks }, (_, i) => users.slice(i * size, (i + 1) * size));
}

function renderMatrixTable(
  view: MatrixView,
  maxBatches: readonly number[],
  text: (maxBatch: number, users: number) => string,
  users: readonly number[] = view.users,
): string {
  return renderMarkdownTable({
    header: [CORNER, ...users.map(String)],
    rows: maxBatches.map((maxBatch) => [`**${maxBatch}**`, ...users.map((u) => text(maxBatch, u))]),
    align: ['left', ...users.map((): Align => 'right')],
  });
}

/**
 * One dps cell, at most two short lines so ten users columns fit a comment's ~800 px:
 * `1,111&nbsp;🔴<br>−13.1%` (regressed, improved, inconclusive), `1,111<br>+0.4%` (unchanged: no
 * mark, so the cells that changed stand out), `1,111&nbsp;🆕` (new beside compared cells; a first
 * run shows plain numbers), `⚠️` (failed), `➖` (missing); empty when not in the matrix.
 */
export function dpsCellText(
  comparison: CellComparison | undefined,
  cell: Cell | undefined,
  hasBaseline: boolean,
): string {
  if (comparison === undefined && cell === undefined) return '';
  const verdict = comparison?.verdict;
  if (verdict === 'failed' || cell?.status === 'failed') return VERDICT_MARKS.failed.mark;
  if (verdict === 'missing') return VERDICT_MARKS.missing.mark;
  const dps = formatNumber(comparison?.current?.dpsMedian ?? cell?.dpsMedian, 'dps');
  if (verdict === undefined || (verdict === 'new' && !hasBaseline)) return dps;
  // A no-break space keeps the mark beside its number when a wide table is squeezed.
  const mark = verdict === 'unchanged' ? '' : `&nbsp;${VERDICT_MARKS[verdict].mark}`;
  const delta = comparison?.delta === undefined ? '' : `<br>${formatNumber(comparison.delta, 'delta')}`;
  return `${dps}${mark}${delta}`;
}

/** What a 🔴 cell and an unmarked one show under the policy, with the thresholds the cells share. */
function legendMeanings(view: MatrixView, options: DpsSectionOptions): { regressed?: string; unchanged?: string } {
  if (options.policy === undefined) return {};
  const compared = view.maxBatches.flatMap((maxBatch) => view.users.map((users) => view.comparison(maxBatch, users)));
  const effect = (verdict: Verdict): string =>
    sharedThresholdText(compared.filter((cell) => cell?.verdict === verdict).map((cell) => cell?.threshold));
  return {
    regressed: regressedMeaning(options.policy, effect('regressed'), 'dps'),
    // Paired `same`: the interval lies inside the band; stored `unchanged`: nothing counted, not too noisy.
    unchanged:
      options.pairedRounds === undefined
        ? `no significant change beyond ${effect('unchanged')}`
        : `a ${effect('unchanged')} change ruled out`,
  };
}

function isMeasured(cell: Cell | undefined): cell is Cell {
  return cell !== undefined && cell.status !== 'failed';
}

function presentVerdicts(view: MatrixView): Set<Verdict> {
  const present = new Set<Verdict>();
  for (const maxBatch of view.maxBatches) {
    for (const users of view.users) {
      const comparison = view.comparison(maxBatch, users);
      if (comparison) present.add(comparison.verdict);
      else if (view.cell(maxBatch, users)?.status === 'failed') present.add('failed');
    }
  }
  return present;
}
