/**
 * The comparison as a terminal table (CLI `compare`, and `run` with a baseline): rows
 * max_batch, columns users, each cell the change of the median and a one-word verdict, then
 * the reasons of the cells that need attention. Plain text, like `renderRunTables`.
 */
import type { CellComparison, Comparison, Verdict } from '../model/comparison.js';
import { formatNumber } from '../format-number.js';
import { toPlainText } from './escape-markdown.js';
import { renderTextTable } from './text-table.js';

/** Short words that keep the columns narrow; unchanged cells show only their change. */
const SHORT: Readonly<Record<Verdict, string>> = {
  regressed: 'REGR',
  improved: 'impr',
  unchanged: '',
  inconclusive: '?',
  new: 'new',
  failed: 'FAIL',
  missing: 'gone',
};

function cellText(cell: Pick<CellComparison, 'delta' | 'verdict'> | undefined): string {
  if (cell === undefined) return '';
  return [cell.delta === undefined ? '' : formatNumber(cell.delta, 'delta'), SHORT[cell.verdict]]
    .filter((s) => s !== '')
    .join(' ');
}

/** Pure: the table and the reasons of regressed, improved, failed and inconclusive cells; then the latency gate's. */
export function renderVerdictTable(comparison: Comparison): string {
  const unit = comparison.gateMetric === 'responses' ? 'responses/s (gate-metric: responses)' : 'dps';
  const dps = renderFigureTable(
    comparison.cells,
    `Change of median ${unit} vs baseline (REGR regressed, impr improved, ? inconclusive, FAIL failed)`,
  );
  const latency = comparison.latency;
  if (latency === undefined) return dps;
  const title = `Change of median ${latency.percentile} vs baseline (latency gate; REGR regressed, impr improved, ? inconclusive)`;
  return `${dps}\n\n${renderFigureTable(latency.cells, title)}`;
}

type VerdictCell = Pick<CellComparison, 'maxBatch' | 'users' | 'delta' | 'verdict' | 'reason'>;

function renderFigureTable(cells: readonly VerdictCell[], title: string): string {
  const maxBatches = [...new Set(cells.map((c) => c.maxBatch))];
  const users = [...new Set(cells.map((c) => c.users))].sort((a, b) => a - b);
  const find = (mb: number, u: number): VerdictCell | undefined =>
    cells.find((c) => c.maxBatch === mb && c.users === u);
  const table = renderTextTable({
    title,
    header: ['max_batch \\ users', ...users.map(String)],
    rows: maxBatches.map((mb) => [String(mb), ...users.map((u) => cellText(find(mb, u)))]),
  });
  const attention = cells.filter((c) => ['regressed', 'improved', 'failed', 'inconclusive'].includes(c.verdict));
  const reasons = attention.map((c) => `  ${c.maxBatch}x${c.users} ${c.verdict}: ${toPlainText(c.reason, 300)}`);
  return reasons.length === 0 ? table : `${table}\n\n${reasons.join('\n')}`;
}
