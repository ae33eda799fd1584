/**
 * Seeded simulation of the whole gate (docs/architecture.md#measuring-the-tool-itself: the gate's quality is itself measured):
 * synthetic baseline and current runs of a max_batch × users matrix with realistic noise, an
 * optional injected slowdown, `compareRun` → `decideGate`, and the confirmation re-run when it
 * is on. `npm run bench:simulate` (simulate.ts) prints its rates, which docs/statistics.md and
 * docs/gate-quality.md quote.
 *
 * Noise model of one trial's dps, all factors independent:
 *   true(cell) × (1 + runShift·Z_run) × (1 + cellShift·Z_cell,run) × (1 + trialCv·Z_trial)
 * `runShift` is shared by every cell of a run (a slower runner, GPU clocks); `cellShift` by the
 * trials of one cell in one run (the row's model load, memory placement); `trialCv` is fresh
 * per trial. A confirmation re-run happens in the same run (same run shift) after reloading the
 * row (fresh cell shift, fresh trials) — it cannot undo a slow runner, only flukes.
 */
import { median } from 'simple-statistics';
import type { GatePolicy } from '../src/config/config.js';
import type { Cell, RunResult } from '../src/model/run-result.js';
import type { HistoryPoint } from '../src/model/comparison.js';
import { cellKey } from '../src/model/cell-key.js';
import { compareRun } from '../src/stats/compare-run.js';
import { decideGate } from '../src/stats/decide-gate.js';
import { historyPointOf } from '../src/model/history-point.js';
import { mergeConfirmation } from '../src/stats/merge-confirmation.js';
import { createRng, deriveSeed, type Rng } from '../src/rng.js';
import { baseline, cell, run } from '../test/unit/stats/fixtures.js';

/** Relative standard deviations of the three noise components. */
export interface NoiseModel {
  readonly trialCv: number;
  readonly runShift: number;
  readonly cellShift: number;
}

/** One simulated setting. */
export interface Scenario {
  readonly noise: NoiseModel;
  /** Trials per cell, current run and each baseline run. */
  readonly trials: number;
  /** Stored runs pooled as the baseline. */
  readonly baselineRuns: number;
  /** Stored runs before the baseline ones, seen only as history points (best dps per row). */
  readonly historyRuns: number;
  /** Relative slowdown injected into the current run (0.1 = 10% fewer dps); 0 for A/A. */
  readonly slowdown: number;
  /** Cells slowed: every cell, or only `"32x8"` (a single-cell regression). */
  readonly affected: 'all' | 'one';
  readonly shouldConfirm: boolean;
  readonly alpha?: number;
  readonly minEffect?: number;
  /** `gate-policy` (default `auto`: stored mode's `estimate`). */
  readonly policy?: GatePolicy;
  /** Factor applied to every cell of the newest baseline run (0.75: one bad stored run). */
  readonly badBaselineRun?: number;
  /** Factor applied to one trial of the target cell in the first baseline run (0.5: an outlier trial). */
  readonly outlierTrial?: number;
}

/** Outcome counts over the simulated runs. */
export interface SimulationResult {
  readonly runs: number;
  /** Runs whose gate failed (`shouldFail`). */
  readonly failures: number;
  /** Runs in which `32x8` was among the failing cells (meaningful for `affected: 'one'`). */
  readonly targetCaught: number;
  /** Runs in which a cell that was not slowed failed the gate. */
  readonly falseCellRuns: number;
  /** Runs in which the gate was calibrating (report-only, cannot fail). */
  readonly calibrating: number;
}

const MAX_BATCH = [8, 16, 32, 64] as const;
const USERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const TARGET = cellKey(32, 8);

/** Runs `runs` seeded simulations of `scenario`; the same seed always gives the same counts. */
export function simulateGate(scenario: Scenario, runs: number, seed: number): SimulationResult {
  let failures = 0;
  let targetCaught = 0;
  let falseCellRuns = 0;
  let calibrating = 0;
  for (let i = 0; i < runs; i++) {
    const { failing, isCalibrating } = simulateOnce(scenario, createRng(deriveSeed(seed, `run-${i}`)));
    if (isCalibrating) calibrating++;
    if (failing === undefined) continue;
    failures++;
    if (failing.includes(TARGET)) targetCaught++;
    if (failing.some((key) => !isSlowed(scenario, key))) falseCellRuns++;
  }
  return { runs, failures, targetCaught, falseCellRuns, calibrating };
}

/** Keys of the cells that failed the gate (undefined when it passed), and whether it was calibrating. */
function simulateOnce(
  scenario: Scenario,
  rng: Rng,
): { readonly failing: readonly string[] | undefined; readonly isCalibrating: boolean } {
  const gate = {
    alpha: scenario.alpha ?? 0.05,
    minEffect: scenario.minEffect ?? 0.05,
    policy: scenario.policy ?? 'auto',
  };
  // Older stored runs are seen only through their history points; the baseline runs are also
  // the newest history points, as a store lists them.
  const older = Array.from({ length: scenario.historyRuns }, () => measureRunPoint(scenario, rng));
  const stored = Array.from({ length: scenario.baselineRuns }, (_, r) =>
    measureRun(
      `base-${r}`,
      scenario,
      rng,
      r === scenario.baselineRuns - 1 ? (scenario.badBaselineRun ?? 1) : 1,
      r === 0,
    ),
  );
  const load = { ...baseline(stored), history: [...older, ...stored.map(historyPointOf)] };
  const runFactor = 1 + scenario.noise.runShift * gaussian(rng);
  let current = run('current', measureCells(scenario, rng, runFactor, scenario.slowdown, undefined));
  let outcome = decideGate(compareRun(current, load, gate), 'regression', scenario.shouldConfirm);
  if (outcome.toConfirm.length > 0) {
    const keys = new Set(outcome.toConfirm);
    current = mergeConfirmation(current, measureCells(scenario, rng, runFactor, scenario.slowdown, keys));
    const confirmed = compareRun(current, load, gate, { confirmed: keys });
    outcome = decideGate(confirmed, 'regression', true);
  }
  return {
    failing: outcome.shouldFail ? outcome.regressedCells : undefined,
    isCalibrating: outcome.verdict === 'calibrating',
  };
}

/** A stored run's history point, drawn from the same noise model without building trials. */
function measureRunPoint(scenario: Scenario, rng: Rng): HistoryPoint {
  const runFactor = 1 + scenario.noise.runShift * gaussian(rng);
  const cellDps: Record<string, number> = {};
  for (const maxBatch of MAX_BATCH) {
    for (const users of USERS) {
      const cellFactor = 1 + scenario.noise.cellShift * gaussian(rng);
      const dps = Array.from(
        { length: scenario.trials },
        () => trueDps(maxBatch, users) * runFactor * cellFactor * (1 + scenario.noise.trialCv * gaussian(rng)),
      );
      cellDps[cellKey(maxBatch, users)] = median(dps);
    }
  }
  // The noise estimate reads cellDps only; bestDps is left empty in this simulation.
  return { runId: 'older', startedAt: '2025-12-01T00:00:00Z', bestDps: {}, cellDps };
}

function measureRun(id: string, scenario: Scenario, rng: Rng, factor: number, isFirst: boolean): RunResult {
  const runFactor = (1 + scenario.noise.runShift * gaussian(rng)) * factor;
  const cells = measureCells(scenario, rng, runFactor, 0, undefined);
  const outlier = scenario.outlierTrial;
  if (outlier === undefined || !isFirst) return run(id, cells);
  // One trial of the target cell at `outlier` times its value (a GC pause, a noisy neighbour).
  return run(
    id,
    cells.map((measured) => {
      if (cellKey(measured.maxBatch, measured.users) !== TARGET) return measured;
      const dps = measured.trials.map((trial, index) => (index === 0 ? trial.dps * outlier : trial.dps));
      return cell({ maxBatch: measured.maxBatch, users: measured.users, dps });
    }),
  );
}

/** Cells of one run (or only `only` of them, for a re-measurement). */
function measureCells(
  scenario: Scenario,
  rng: Rng,
  runFactor: number,
  slowdown: number,
  only: ReadonlySet<string> | undefined,
): Cell[] {
  const cells: Cell[] = [];
  for (const maxBatch of MAX_BATCH) {
    for (const users of USERS) {
      const key = cellKey(maxBatch, users);
      if (only !== undefined && !only.has(key)) continue;
      const speed = isSlowed(scenario, key) ? 1 - slowdown : 1;
      const cellFactor = 1 + scenario.noise.cellShift * gaussian(rng);
      const dps = Array.from(
        { length: scenario.trials },
        () => trueDps(maxBatch, users) * speed * runFactor * cellFactor * (1 + scenario.noise.trialCv * gaussian(rng)),
      );
      cells.push(cell({ maxBatch, users, dps }));
    }
  }
  return cells;
}

function isSlowed(scenario: Scenario, key: string): boolean {
  return scenario.slowdown > 0 && (scenario.affected === 'all' || key === TARGET);
}

/** A plausible throughput surface: rises with users, saturating earlier for small max_batch. */
function trueDps(maxBatch: number, users: number): number {
  return 200 * Math.min(users, maxBatch / 4 + 2) * Math.log2(maxBatch);
}

/** Standard normal by Box-Muller (one of the pair; simplicity over speed). */
function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
