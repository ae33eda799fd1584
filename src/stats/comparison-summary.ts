/**
 * The headline numbers of a comparison: how many cells got each verdict, and the worst
 * regression (docs/architecture.md#comparison-store-and-reports: the verdict line comes first in every report).
 */
import { VERDICTS, type CellComparison, type ComparisonSummary, type Verdict } from '../model/comparison.js';

/**
 * Counts every verdict (each present, 0 when unused) and picks the regressed cell with the most
 * negative `delta`; ties go to the first in `cells` order, so the result is deterministic.
 */
export function summarizeComparison(cells: readonly CellComparison[]): ComparisonSummary {
  const counts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  let worst: ComparisonSummary['worst'];
  for (const cell of cells) {
    counts[cell.verdict] += 1;
    if (cell.verdict !== 'regressed' || cell.delta === undefined) continue;
    if (worst === undefined || cell.delta < worst.delta) {
      worst = { maxBatch: cell.maxBatch, users: cell.users, delta: cell.delta };
    }
  }
  return { counts, ...(worst === undefined ? {} : { worst }) };
}
