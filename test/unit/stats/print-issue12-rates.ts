/**
 * Prints the tables of docs/gate-quality.md §"Simulated" and docs/statistics.md §6: the gate on
 * a dedicated runner (≈2% run-to-run drift), on a noisy one (10%), and the audit's cases.
 * Not a test; run it by hand when the method changes (seeded, so the counts repeat exactly):
 *
 *   npx tsx test/unit/stats/print-issue12-rates.ts [runs per row, default 500]
 */
import { simulateGate, type NoiseModel, type Scenario } from './gate-simulation.js';

const DEDICATED: NoiseModel = { trialCv: 0.03, runShift: 0.02, cellShift: 0.01 };
const NOISY: NoiseModel = { trialCv: 0.03, runShift: 0.1, cellShift: 0.01 };

/** [noise name, noise, baseline runs, older history runs]. */
const SETTINGS: readonly (readonly [string, NoiseModel, number, number])[] = [
  ['dedicated 2%', DEDICATED, 1, 0],
  ['dedicated 2%', DEDICATED, 1, 4],
  ['dedicated 2%', DEDICATED, 1, 9],
  ['dedicated 2%', DEDICATED, 3, 0],
  ['dedicated 2%', DEDICATED, 3, 7],
  ['dedicated 2%', DEDICATED, 5, 10],
  ['noisy 10%', NOISY, 1, 0],
  ['noisy 10%', NOISY, 2, 0],
  ['noisy 10%', NOISY, 3, 0],
  ['noisy 10%', NOISY, 1, 4],
  ['noisy 10%', NOISY, 1, 9],
  ['noisy 10%', NOISY, 1, 19],
];

function percent(count: number, runs: number): string {
  return `${((100 * count) / runs).toFixed(1)}%`;
}

const runs = Number(process.argv[2] ?? 500);
console.log(
  '| runner | baseline runs | stored history points | A/A fails | A/A calibrating | uniform −10% fails | uniform −10% calibrating |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name, noise, baselineRuns, historyRuns] of SETTINGS) {
  const base: Omit<Scenario, 'slowdown'> = {
    noise,
    trials: 5,
    baselineRuns,
    historyRuns,
    affected: 'all',
    shouldConfirm: true,
  };
  const aa = simulateGate({ ...base, slowdown: 0 }, runs, 1201);
  const u10 = simulateGate({ ...base, slowdown: 0.1 }, runs, 1202);
  console.log(
    `| ${name} | ${baselineRuns} | ${baselineRuns + historyRuns} | ${percent(aa.failures, runs)} | ` +
      `${percent(aa.calibrating, runs)} | ${percent(u10.failures, runs)} | ${percent(u10.calibrating, runs)} |`,
  );
}
