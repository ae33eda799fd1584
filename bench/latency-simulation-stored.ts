/**
 * Seeded replay of the latency gate in stored mode (docs/gate-quality.md, "Latency gate"): each
 * simulated PR takes distinct measured A/A runs at random as its current run, its merge-base run,
 * the stored history before it and the confirmation re-run, and goes through the same functions
 * as the pipeline: `compareStoredLatency`, re-measure the flagged cells (`mergeConfirmation`),
 * compare again, count the confirmed regressions unless the comparison is calibrating. The
 * simulated change multiplies the current run's (and the re-run's) latencies.
 */
import type { Config } from '../src/config/config.js';
import { historyPointOf } from '../src/model/history-point.js';
import type { Cell, RunResult, Trial } from '../src/model/run-result.js';
import { createRng, nextInt } from '../src/rng.js';
import { compareStoredLatency } from '../src/stats/compare-latency.js';
import { mergeConfirmation } from '../src/stats/merge-confirmation.js';
import type { LatencyNoiseFile } from './latency-noise-file.js';
import type { LatencyChange } from './latency-simulation-paired.js';

/** What a batch of simulated stored-mode PRs gave. */
export interface StoredLatencyRate {
  /** Share of PRs whose latency gate failed (a confirmed latency regression, not calibrating). */
  readonly failed: number;
  /** Share of PRs flagged before the confirmation re-run. */
  readonly flagged: number;
  /** Share of PRs whose latency comparison was calibrating. */
  readonly calibrating: number;
}

/** Measured run `index` of the file as a RunResult; latencies of changed cells times `factor`. */
function runOf(file: LatencyNoiseFile, index: number, id: string, change?: LatencyChange): RunResult {
  const { maxBatch, users } = file.matrix;
  const cells = maxBatch.flatMap((batch, row) =>
    users.map((u, column): Cell => {
      const cell = row * users.length + column;
      const factor = change !== undefined && (change.cells?.has(cell) ?? true) ? 1 + change.rise : 1;
      const trials = (file.stored[index]?.[cell] ?? []).map((vector, order): Trial => {
        const [dps = 0, p50 = 0, p90 = 0, p99 = 0] = vector;
        const latencyMs = { p50: p50 * factor, p90: p90 * factor, p99: p99 * factor, max: p99 * factor, mean: p50 };
        return {
          requests: 480,
          items: 480,
          seconds: 480 / dps,
          dps,
          rps: dps,
          errors: 0,
          errorsByStatus: {},
          latencyMs,
          order,
        };
      });
      const sorted = trials.map((trial) => trial.dps).sort((a, b) => a - b);
      const dpsMedian = sorted[Math.floor(sorted.length / 2)] ?? 0;
      const latencyMs = { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
      return {
        maxBatch: batch,
        users: u,
        status: 'ok',
        trials,
        latencyMs,
        dpsMedian,
        rpsMedian: dpsMedian,
        cv: 0,
        reruns: 0,
      };
    }),
  );
  return {
    schemaVersion: 1,
    id,
    benchmarkKey: 'demo_onnx',
    startedAt: `2026-01-01T00:00:${String(index).padStart(2, '0')}Z`,
    finishedAt: '2026-01-01T01:00:00Z',
    environment: {
      tritonVersion: '2.51.0',
      model: 'demo_onnx',
      modelVersion: '1',
      configHash: 'x',
      clientHost: 'h',
      label: 'bench',
    },
    method: { batchStrategy: 'reload', requests: 480, itemsPerRequest: 1, trials: 5, warmupRequests: null, inputs: [] },
    source: { sha: id },
    seed: 1,
    rows: [],
    cells,
    isComplete: true,
    notes: [],
  };
}

/** `count` distinct indices in `[0, n)`. */
function distinct(count: number, n: number, next: (n: number) => number): number[] {
  const chosen: number[] = [];
  while (chosen.length < count) {
    const index = next(n);
    if (!chosen.includes(index)) chosen.push(index);
  }
  return chosen;
}

/**
 * `runs` seeded PRs against one merge-base run and `historyRuns` older stored runs, all drawn
 * from the file's measured stored runs (which must number at least `historyRuns + 3`).
 */
export function simulateStoredLatency(
  file: LatencyNoiseFile,
  config: Config,
  change: LatencyChange,
  options: { readonly runs: number; readonly seed: number; readonly historyRuns: number },
): StoredLatencyRate {
  const latency = config.gate.latency;
  if (latency === undefined) throw new Error('simulateStoredLatency: latency-gate is off');
  const gate = { alpha: config.gate.alpha, policy: config.gate.policy, latency };
  const rng = createRng(options.seed);
  const tally = { failed: 0, flagged: 0, calibrating: 0 };
  for (let run = 0; run < options.runs; run++) {
    const [current = 0, base = 0, rerun = 0, ...older] = distinct(options.historyRuns + 3, file.stored.length, (n) =>
      nextInt(rng, n),
    );
    const baseRun = runOf(file, base, `base-${run}`);
    const history = [...older.map((index) => historyPointOf(runOf(file, index, `h${index}`))), historyPointOf(baseRun)];
    const load = { runs: [baseRun], selectedBy: 'merge-base', history, notes: [] };
    const head = runOf(file, current, `pr-${run}`, change);
    const first = compareStoredLatency(head, load, gate);
    if (first.calibration?.isCalibrating === true) {
      tally.calibrating++;
      continue;
    }
    const flagged = first.cells.filter((cell) => cell.verdict === 'regressed').map((c) => `${c.maxBatch}x${c.users}`);
    if (flagged.length === 0) continue;
    tally.flagged++;
    const again = runOf(file, rerun, `rerun-${run}`, change).cells.filter((cell) =>
      flagged.includes(`${cell.maxBatch}x${cell.users}`),
    );
    const confirmed = compareStoredLatency(mergeConfirmation(head, again), load, gate, { confirmed: new Set(flagged) });
    if (confirmed.cells.some((cell) => cell.confirmation === 'confirmed')) tally.failed++;
  }
  const share = (count: number): number => count / options.runs;
  return { failed: share(tally.failed), flagged: share(tally.flagged), calibrating: share(tally.calibrating) };
}
