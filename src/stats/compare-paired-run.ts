/**
 * A paired run as a `Comparison` (docs/statistics.md §11): the cells' verdicts come from the
 * paired head/base ratios measured in this job, not from stored runs; stored runs still give
 * history and trends as in stored mode. Pure.
 */
import type { BaselineLoad } from '../model/baseline-store.js';
import { cellKey } from '../model/cell-key.js';
import type { CellComparison, Comparison, Verdict } from '../model/comparison.js';
import type { PairedCellResult, PairedVerdict } from '../model/paired-comparison.js';
import type { RunResult } from '../model/run-result.js';
import { comparePaired } from './compare-paired.js';
import { comparePairedLatency } from './compare-latency.js';
import type { LatencyGateConfig } from '../config/config.js';
import { compareRun, type CompareGate } from './compare-run.js';
import { summarizeComparison } from './comparison-summary.js';
import { pairedInputsOf } from './paired-inputs.js';

/** Stored-mode verdict a paired verdict is shown and counted as. */
const AS_VERDICT: Readonly<Record<PairedVerdict, Verdict>> = {
  regressed: 'regressed',
  improved: 'improved',
  same: 'unchanged',
  unknown: 'inconclusive',
};

/**
 * Compares the head side of `run` with its base side. `run.base` must be set. `stored` only
 * feeds history and its notes; the gate never reads stored runs in paired mode.
 */
export function comparePairedRun(
  run: RunResult,
  stored: BaselineLoad,
  gate: CompareGate & { readonly latency?: LatencyGateConfig | undefined },
  options: { readonly seed: number; readonly resamples?: number },
): Comparison {
  const base = run.base;
  if (base === undefined) throw new Error('comparePairedRun: the run has no base side');
  const looks = base.maxRounds - base.minRounds + 1;
  const paired = comparePaired(pairedInputsOf(run), { ...gate, ...options, looks });
  const byKey = new Map(paired.cells.map((cell) => [cellKey(cell.maxBatch, cell.users), cell]));
  const baseBroken = new Map(
    run.rows.flatMap((row) => (row.baseMessage === undefined ? [] : [[row.maxBatch, row.baseMessage]])),
  );
  const cells = run.cells.map((cell): CellComparison => {
    if (cell.status === 'failed') {
      const failed = {
        maxBatch: cell.maxBatch,
        users: cell.users,
        verdict: 'failed' as const,
        reason: cell.message ?? 'failed',
      };
      // A row the base side cannot load either is a known broken row, not this change's failure.
      return baseBroken.has(cell.maxBatch) ? { ...failed, isPreexisting: true } : failed;
    }
    const result = byKey.get(cellKey(cell.maxBatch, cell.users));
    if (result === undefined) {
      return { maxBatch: cell.maxBatch, users: cell.users, verdict: 'failed', reason: 'the base side failed' };
    }
    return cellOf(result, cell.dpsMedian, cell.cv, gate.minEffect);
  });
  // History (trends) and its notes as in stored mode; the stored verdicts are discarded.
  const storedComparison = compareRun(run, stored, gate);
  const latency = gate.latency;
  return {
    run,
    baseline: { runIds: [], selectedBy: 'paired' },
    cells,
    summary: summarizeComparison(cells),
    history: storedComparison.history,
    notes: [
      `paired: head (\`${run.environment.model}\`) vs base (\`${base.model}\` on ${base.serverAddress}) measured interleaved in this job`,
    ],
    paired,
    policy: { rule: paired.rule, alpha: gate.alpha },
    ...(latency === undefined
      ? {}
      : { latency: comparePairedLatency(run, { ...gate, latency }, { seed: options.seed, looks }) }),
  };
}

function cellOf(result: PairedCellResult, headMedian: number, headCv: number, minEffect: number): CellComparison {
  return {
    maxBatch: result.maxBatch,
    users: result.users,
    verdict: AS_VERDICT[result.verdict],
    reason: `${result.reason} (${result.rounds} rounds)`,
    current: { dpsMedian: headMedian, trials: result.rounds, cv: headCv },
    delta: result.delta,
    deltaCi: result.deltaCi,
    evidence: result.evidence,
    pValue: result.delta < 0 ? result.pSlower : result.pFaster,
    qValue: result.delta < 0 ? result.qSlower : result.qFaster,
    threshold: minEffect,
  };
}
