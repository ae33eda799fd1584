/**
 * Compares a whole run with its baseline (docs/statistics.md): cell matching, run-to-run noise, the two
 * tests per cell, Benjamini-Hochberg across cells, verdicts, bootstrap intervals, summary,
 * history and notes (docs/statistics.md). Pure: the same inputs and seed always give the same
 * Comparison.
 */
import type { BaselineLoad } from '../model/baseline-store.js';
import type { GateConfig } from '../config/config.js';
import type { Cell, RunResult } from '../model/run-result.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { betweenRunNoise } from './between-run-noise.js';
import { cellBaselineOf, cellEvidence, compareCell, type CellBaseline, type TestedCell } from './compare-cell.js';
import { cellKey } from '../model/cell-key.js';
import { comparisonNotes } from './comparison-notes.js';
import { fingerprintMismatches } from './fingerprint-mismatches.js';
import { summarizeComparison } from './comparison-summary.js';
import type { BaselineInfo, CellComparison, Comparison } from '../model/comparison.js';
import { historyPointOf } from '../model/history-point.js';
import { calibrationOf, sensitivityOf } from './gate-readiness.js';
import { robustBaseline } from './robust-baseline.js';
import { ruleOf } from './change-evidence.js';
import type { ChangeFigure } from './evidence-words.js';

/** Options of {@link compareRun}. */
export interface CompareOptions {
  /**
   * Keys (`"32x8"`) of cells re-measured to confirm a regression. Their run cells must already
   * hold the pooled trials (`mergeConfirmation`); each gets `confirmation` set.
   */
  readonly confirmed?: ReadonlySet<string>;
  /** What the trials measure, for the verdicts' words (default `dps`; latency-comparison.ts passes a percentile). */
  readonly figure?: ChangeFigure;
}

/**
 * Gate settings the comparison uses (`failOn` and `shouldConfirm` matter to `decideGate`);
 * `policy` defaults to `auto`.
 */
export type CompareGate = Pick<GateConfig, 'alpha' | 'minEffect'> & Partial<Pick<GateConfig, 'policy'>>;

/**
 * Compares `run` with `baseline`, cell by cell, matched by (maxBatch, users). Cells come in the
 * run's order, followed by cells only the baseline had (`missing`), ascending by max_batch then
 * users. Verdicts do not depend on the order of trials within a cell or of baseline runs.
 */
export function compareRun(
  run: RunResult,
  stored: BaselineLoad,
  gate: CompareGate,
  options: CompareOptions = {},
): Comparison {
  // Outlier runs go before anything is estimated from them (docs/statistics.md §2.4).
  const { baseline, outliers } = robustBaseline(stored, gate.minEffect);
  const baselineCells = indexBaselineCells(baseline.runs);
  const cellBaselines = new Map([...baselineCells].map(([key, cells]) => [key, cellBaselineOf(cells)] as const));
  const noise = betweenRunNoise({
    runMedians: runMediansOf(cellBaselines),
    history: baseline.history,
    withinRunCv: pooledWithinRunCv(cellBaselines),
    minEffect: gate.minEffect,
  });
  const context = { minEffect: gate.minEffect, betweenRunCv: noise.cv };
  const evidence = run.cells.map((cell) =>
    cellEvidence(cell, cellBaselines.get(cellKey(cell.maxBatch, cell.users)) ?? NO_BASELINE, context),
  );
  const tested = evidence.filter((item): item is TestedCell => item.kind === 'tested');
  // Two families, one per direction: the regression family is the one that fails PRs, and its
  // false-discovery rate is controlled at alpha on its own (docs/statistics.md).
  const qLess = benjaminiHochberg(tested.map((item) => item.pLess));
  const qGreater = benjaminiHochberg(tested.map((item) => item.pGreater));
  const compared = evidence.map((item) => {
    if (item.kind === 'settled') return item.comparison;
    const index = tested.indexOf(item);
    const q = { less: qLess[index] ?? 1, greater: qGreater[index] ?? 1 };
    return compareCell(item, q, { alpha: gate.alpha, policy: gate.policy, figure: options.figure });
  });
  const cells = [
    ...compared.map((cell) => withConfirmation(cell, options.confirmed)),
    ...missingCells(run.cells, baselineCells),
  ];
  const baselineInfo = baselineInfoOf(baseline);
  const baselineRuns = baseline.runs.length;
  const sensitivity = sensitivityOf({ noise, tested, baselineRuns, ...gate });
  const mismatches = fingerprintMismatches(run, baseline.runs);
  return {
    run,
    ...(baselineInfo === undefined ? {} : { baseline: baselineInfo }),
    cells,
    summary: summarizeComparison(cells),
    history: [...baseline.history.filter((point) => point.runId !== run.id), historyPointOf(run)],
    notes: comparisonNotes({ run, baseline, alpha: gate.alpha, tested, cells, noise, mismatches }),
    ...(baselineRuns === 0
      ? {}
      : { calibration: calibrationOf({ noise, historyRuns: historyRunsOf(baseline), baselineRuns }) }),
    ...(sensitivity === undefined ? {} : { sensitivity }),
    ...(outliers.length === 0 ? {} : { outlierRuns: outliers }),
    ...(mismatches.length === 0 ? {} : { mismatches }),
    policy: { rule: ruleOf(gate.policy, 'stored'), alpha: gate.alpha },
  };
}

/** Stored runs whose history points carry cell medians (what the history estimate reads). */
function historyRunsOf(baseline: BaselineLoad): number {
  return baseline.history.filter((point) => point.cellDps !== undefined).length;
}

/** Cells of every baseline run, grouped by key; runs without the cell simply do not appear. */
function indexBaselineCells(runs: readonly RunResult[]): Map<string, Cell[]> {
  const index = new Map<string, Cell[]>();
  for (const run of runs) {
    for (const cell of run.cells) {
      const key = cellKey(cell.maxBatch, cell.users);
      const list = index.get(key);
      if (list === undefined) index.set(key, [cell]);
      else list.push(cell);
    }
  }
  return index;
}

const NO_BASELINE: CellBaseline = { cellCount: 0, summary: undefined };

/**
 * Baseline run medians of every cell, in key order so the pooled estimate does not depend on
 * the order baseline runs were stored in.
 */
function runMediansOf(cellBaselines: ReadonlyMap<string, CellBaseline>): number[][] {
  return [...cellBaselines.keys()].sort().map((key) => [...(cellBaselines.get(key)?.summary?.runMedians ?? [])]);
}

/** Root mean square of the cells' within-run CVs, in key order (float sums are order-bound). */
function pooledWithinRunCv(cellBaselines: ReadonlyMap<string, CellBaseline>): number {
  const cvs = [...cellBaselines.keys()].sort().flatMap((key) => {
    const summary = cellBaselines.get(key)?.summary;
    return summary === undefined ? [] : [summary.withinRunCv];
  });
  if (cvs.length === 0) return 0;
  return Math.sqrt(cvs.reduce((sum, cv) => sum + cv * cv, 0) / cvs.length);
}

function withConfirmation(comparison: CellComparison, confirmed: ReadonlySet<string> | undefined): CellComparison {
  if (confirmed?.has(cellKey(comparison.maxBatch, comparison.users)) !== true) return comparison;
  return {
    ...comparison,
    confirmation: comparison.verdict === 'regressed' ? 'confirmed' : 'not-confirmed',
  };
}

function missingCells(
  runCells: readonly Cell[],
  baselineCells: ReadonlyMap<string, readonly Cell[]>,
): CellComparison[] {
  const inRun = new Set(runCells.map((cell) => cellKey(cell.maxBatch, cell.users)));
  const missing: CellComparison[] = [];
  for (const [key, cells] of baselineCells) {
    const first = cells[0];
    if (inRun.has(key) || first === undefined) continue;
    missing.push({
      maxBatch: first.maxBatch,
      users: first.users,
      verdict: 'missing',
      reason: 'in the baseline, not measured in this run',
    });
  }
  return missing.sort((a, b) => a.maxBatch - b.maxBatch || a.users - b.users);
}

function baselineInfoOf(baseline: BaselineLoad): BaselineInfo | undefined {
  if (baseline.runs.length === 0) return undefined;
  const shas = new Set(baseline.runs.map((run) => run.source.sha));
  const [onlySha] = shas;
  return {
    runIds: baseline.runs.map((run) => run.id),
    // One commit for all pooled runs is the usual case; several commits have no single sha.
    ...(shas.size === 1 && onlySha !== undefined ? { sha: onlySha } : {}),
    selectedBy: baseline.selectedBy,
    ...newestStart(baseline.runs),
  };
}

/** The newest pooled run's start (ISO strings of one format sort by time). */
function newestStart(runs: readonly RunResult[]): { measuredAt?: string } {
  const newest = runs
    .map((run) => run.startedAt)
    .sort()
    .at(-1);
  return newest === undefined ? {} : { measuredAt: newest };
}
