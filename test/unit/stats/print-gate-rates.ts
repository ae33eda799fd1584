/**
 * Prints the tables of docs/statistics.md: the rank test's resolution, and gate-quality rates
 * over seeded simulations (gate-simulation.ts) for several trial counts, baseline poolings and
 * noise levels. Not a test; run it by hand when the method changes:
 *
 *   npx tsx test/unit/stats/print-gate-rates.ts [runs per scenario, default 500]
 */
import { minOneSidedPValue } from '../../../src/stats/mann-whitney.js';
import { simulateGate, type NoiseModel, type Scenario } from './gate-simulation.js';

const NOISE: Readonly<Record<string, NoiseModel>> = {
  realistic: { trialCv: 0.03, runShift: 0.015, cellShift: 0.01 },
  harsh: { trialCv: 0.03, runShift: 0.03, cellShift: 0.02 },
  'quiet trials': { trialCv: 0.01, runShift: 0.02, cellShift: 0.01 },
};

/** [trials, baseline runs, history runs, confirmation]. */
const SETTINGS: readonly (readonly [number, number, number, boolean])[] = [
  [5, 1, 0, false],
  [5, 1, 0, true],
  [5, 1, 10, true],
  [5, 2, 0, true],
  [5, 2, 10, true],
  [5, 3, 0, false],
  [5, 3, 0, true],
  [5, 3, 10, true],
  [5, 5, 0, true],
  [8, 3, 0, true],
  [10, 1, 10, true],
];

function printResolution(): void {
  console.log('| current × baseline trials | min one-sided p | cells needed for BH at 0.05 / 40 |');
  console.log('| --- | --- | --- |');
  for (const [n, m] of [
    [5, 5],
    [5, 10],
    [5, 15],
    [5, 25],
    [6, 6],
    [8, 8],
    [10, 5],
    [10, 15],
  ] as const) {
    const minP = minOneSidedPValue(n, m);
    const cells = Math.max(1, Math.ceil((minP * 40) / 0.05 - 1e-9));
    console.log(`| ${n} × ${m} | ${minP.toPrecision(3)} | ${cells} |`);
  }
}

function percent(count: number, runs: number): string {
  return `${((100 * count) / runs).toFixed(1)}%`;
}

function printRates(runs: number): void {
  console.log(
    '| noise | trials | baseline runs | history | confirm | A/A fails | uniform −10% | uniform −5% | ' +
      'one cell −10% caught | wrong cell failed |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, noise] of Object.entries(NOISE)) {
    for (const [trials, baselineRuns, historyRuns, shouldConfirm] of SETTINGS) {
      const base: Omit<Scenario, 'slowdown' | 'affected'> = { noise, trials, baselineRuns, historyRuns, shouldConfirm };
      const aa = simulateGate({ ...base, slowdown: 0, affected: 'all' }, runs, 1);
      const all10 = simulateGate({ ...base, slowdown: 0.1, affected: 'all' }, runs, 2);
      const all5 = simulateGate({ ...base, slowdown: 0.05, affected: 'all' }, runs, 3);
      const one10 = simulateGate({ ...base, slowdown: 0.1, affected: 'one' }, runs, 4);
      console.log(
        `| ${name} | ${trials} | ${baselineRuns} | ${historyRuns} | ${shouldConfirm ? 'yes' : 'no'} | ` +
          `${percent(aa.failures, runs)} | ${percent(all10.failures, runs)} | ${percent(all5.failures, runs)} | ` +
          `${percent(one10.targetCaught, runs)} | ${percent(one10.falseCellRuns, runs)} |`,
      );
    }
  }
}

const runs = Number(process.argv[2] ?? 500);
printResolution();
console.log('');
printRates(runs);
