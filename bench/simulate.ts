/**
 * `npm run bench:simulate`: the gate's quality in seeded simulation (gate-simulation.ts), the
 * figures docs/statistics.md and docs/gate-quality.md quote. Seeded, so every count repeats
 * exactly; simulations do not depend on the machine's load. Three parts:
 *   targets  the rates the gate promises (A/A false alarms, detection, the audit's cases of
 *            issue 12), each against its target; exits 1 when one is missed
 *   issue12  dedicated and noisy runners (docs/gate-quality.md §Simulated, docs/statistics.md §5b)
 *   rates    the rank test's resolution and the rates per setting (docs/statistics.md §5, §6)
 *
 *   npm run bench:simulate                      # all three (issue12 at 400 runs a row, rates at 500: minutes)
 *   npm run bench:simulate -- --only targets    # one part
 *   npm run bench:simulate -- --only rates --runs 100
 */
import { parseArgs } from 'node:util';
import { minOneSidedPValue } from '../src/stats/mann-whitney.js';
import { simulateGate, type NoiseModel, type Scenario, type SimulationResult } from './gate-simulation.js';

const REALISTIC: NoiseModel = { trialCv: 0.03, runShift: 0.015, cellShift: 0.01 };
const HARSH: NoiseModel = { trialCv: 0.03, runShift: 0.03, cellShift: 0.02 };

/** A promised rate: `count` of `runs` seeded runs of `scenario`, compared with `bound`. */
interface Target {
  readonly name: string;
  readonly scenario: Scenario;
  readonly runs: number;
  readonly seed: number;
  readonly checks: readonly {
    readonly label: string;
    readonly count: (result: SimulationResult) => number;
    readonly atLeast?: number;
    readonly atMost?: number;
  }[];
}

const failures = (result: SimulationResult): number => result.failures;
const caught = (result: SimulationResult): number => result.targetCaught;
const RECOMMENDED = { noise: REALISTIC, trials: 5, baselineRuns: 3, historyRuns: 0, shouldConfirm: true } as const;
const AA = { ...RECOMMENDED, slowdown: 0, affected: 'all' } as const;

/** What the unit tests asserted before issue 23 moved them here (seeds and thresholds unchanged). */
const TARGETS: readonly Target[] = [
  // A/A false alarms of the whole matrix.
  { name: 'A/A, 3 pooled baseline runs', scenario: AA, runs: 500, seed: 101, checks: [failAtMost(0.05)] },
  {
    name: 'A/A, 1 baseline run + 10 runs of history',
    scenario: { ...AA, baselineRuns: 1, historyRuns: 10 },
    runs: 500,
    seed: 102,
    checks: [failAtMost(0.05)],
  },
  {
    name: 'A/A, a new repository: 1 baseline run, no history',
    scenario: { ...AA, baselineRuns: 1 },
    runs: 500,
    seed: 104,
    checks: [failAtMost(0.05)],
  },
  // The run-wide noise estimate rests on R − 1 = 2 run differences; 5 runs bring it to ~2%.
  {
    name: 'A/A, harsher noise (3% trial, 3% run-wide, 2% cell), 3 baseline runs',
    scenario: { ...AA, noise: HARSH },
    runs: 300,
    seed: 103,
    checks: [failAtMost(0.075)],
  },
  // Detection of injected slowdowns.
  {
    name: 'uniform −10%',
    scenario: { ...RECOMMENDED, slowdown: 0.1, affected: 'all' },
    runs: 200,
    seed: 201,
    checks: [{ label: 'failed', count: failures, atLeast: 0.95 }],
  },
  {
    name: 'uniform −5% (at min-effect, below the 6% noise threshold)',
    scenario: { ...RECOMMENDED, slowdown: 0.05, affected: 'all' },
    runs: 200,
    seed: 202,
    checks: [{ label: 'failed', count: failures, atLeast: 0.45 }],
  },
  {
    name: 'one cell of 40 at −10%',
    scenario: { ...RECOMMENDED, slowdown: 0.1, affected: 'one' },
    runs: 200,
    seed: 203,
    checks: [
      { label: 'caught', count: caught, atLeast: 0.6 },
      { label: 'another cell failed', count: (result) => result.falseCellRuns, atMost: 0.05 },
    ],
  },
  // The design fact of docs/statistics.md §5: min p = 1/252 > 0.05/40 for a lone cell.
  {
    name: 'one cell at −10%, 5 vs 5 trials (1 baseline run + 10 history): cannot resolve',
    scenario: { ...RECOMMENDED, baselineRuns: 1, historyRuns: 10, slowdown: 0.1, affected: 'one' },
    runs: 200,
    seed: 204,
    checks: [{ label: 'caught', count: caught, atMost: 0.1 }],
  },
  // The audit of issue 12 (docs/statistics.md §2.3–§6).
  {
    name: 'audit 1: −27% in one cell, one baseline trial at 0.5×',
    scenario: { ...RECOMMENDED, slowdown: 0.27, affected: 'one', outlierTrial: 0.5 },
    runs: 100,
    seed: 301,
    checks: [{ label: 'caught', count: caught, atLeast: 0.95 }],
  },
  {
    name: 'audit 2: uniform −30%, 1 of 3 merge-base runs at 0.75×, 10 history',
    scenario: { ...RECOMMENDED, historyRuns: 10, slowdown: 0.3, affected: 'all', badBaselineRun: 0.75 },
    runs: 100,
    seed: 302,
    checks: [{ label: 'failed', count: failures, atLeast: 0.95 }],
  },
  {
    name: 'audit 2, A/A: that bad run set aside',
    scenario: { ...AA, historyRuns: 10, badBaselineRun: 0.75 },
    runs: 100,
    seed: 303,
    checks: [failAtMost(0.05)],
  },
  {
    name: 'audit 3: A/A, 1 baseline run, 10% run-to-run drift, no history',
    scenario: { ...AA, noise: { ...REALISTIC, runShift: 0.1 }, baselineRuns: 1 },
    runs: 100,
    seed: 304,
    checks: [
      failAtMost(0.05),
      // Every run that does not fail says it is calibrating: report-only, it cannot fail yet.
      { label: 'neither failed nor calibrating', count: (r) => r.runs - r.calibrating - r.failures, atMost: 0 },
    ],
  },
];

function failAtMost(share: number): Target['checks'][number] {
  return { label: 'failed', count: failures, atMost: share };
}

/** Prints one row per check; returns how many targets were missed. */
function printTargets(): number {
  console.log('| scenario | seed | outcome | target | met? |');
  console.log('| --- | --- | --- | --- | --- |');
  let missed = 0;
  for (const target of TARGETS) {
    const result = simulateGate(target.scenario, target.runs, target.seed);
    for (const check of target.checks) {
      const count = check.count(result);
      const isMet =
        (check.atLeast === undefined || count / target.runs >= check.atLeast) &&
        (check.atMost === undefined || count / target.runs <= check.atMost);
      if (!isMet) missed++;
      const bound = check.atLeast === undefined ? `≤ ${percent(check.atMost ?? 0)}` : `≥ ${percent(check.atLeast)}`;
      console.log(
        `| ${target.name} | ${target.seed} | ${check.label} in ${count} of ${target.runs} runs | ${bound} | ${isMet ? 'yes' : '**no**'} |`,
      );
    }
  }
  return missed;
}

const DEDICATED: NoiseModel = { trialCv: 0.03, runShift: 0.02, cellShift: 0.01 };
const NOISY: NoiseModel = { trialCv: 0.03, runShift: 0.1, cellShift: 0.01 };

/** [noise name, noise, baseline runs, older history runs]. */
const ISSUE12_SETTINGS: readonly (readonly [string, NoiseModel, number, number])[] = [
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

/** The gate on a dedicated runner (≈2% run-to-run drift) and a noisy one (10%); seeds 1201/1202. */
function printIssue12(runs: number): void {
  console.log(
    '| runner | baseline runs | stored history points | A/A fails | A/A calibrating | uniform −10% fails | uniform −10% calibrating |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, noise, baselineRuns, historyRuns] of ISSUE12_SETTINGS) {
    const base = { noise, trials: 5, baselineRuns, historyRuns, affected: 'all', shouldConfirm: true } as const;
    const aa = simulateGate({ ...base, slowdown: 0 }, runs, 1201);
    const u10 = simulateGate({ ...base, slowdown: 0.1 }, runs, 1202);
    console.log(
      `| ${name} | ${baselineRuns} | ${baselineRuns + historyRuns} | ${share(aa.failures, runs)} | ` +
        `${share(aa.calibrating, runs)} | ${share(u10.failures, runs)} | ${share(u10.calibrating, runs)} |`,
    );
  }
}

const RATE_NOISE: Readonly<Record<string, NoiseModel>> = {
  realistic: REALISTIC,
  harsh: HARSH,
  'quiet trials': { trialCv: 0.01, runShift: 0.02, cellShift: 0.01 },
};

/** [trials, baseline runs, history runs, confirmation]. */
const RATE_SETTINGS: readonly (readonly [number, number, number, boolean])[] = [
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

/** The exact rank test's floor and what BH over 40 cells needs of it (docs/statistics.md §5). */
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

/** Rates per noise level and setting (docs/statistics.md §6); seeds 1 to 4. */
function printRates(runs: number): void {
  console.log(
    '| noise | trials | baseline runs | history | confirm | A/A fails | uniform −10% | uniform −5% | ' +
      'one cell −10% caught | wrong cell failed |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, noise] of Object.entries(RATE_NOISE)) {
    for (const [trials, baselineRuns, historyRuns, shouldConfirm] of RATE_SETTINGS) {
      const base: Omit<Scenario, 'slowdown' | 'affected'> = { noise, trials, baselineRuns, historyRuns, shouldConfirm };
      const aa = simulateGate({ ...base, slowdown: 0, affected: 'all' }, runs, 1);
      const all10 = simulateGate({ ...base, slowdown: 0.1, affected: 'all' }, runs, 2);
      const all5 = simulateGate({ ...base, slowdown: 0.05, affected: 'all' }, runs, 3);
      const one10 = simulateGate({ ...base, slowdown: 0.1, affected: 'one' }, runs, 4);
      console.log(
        `| ${name} | ${trials} | ${baselineRuns} | ${historyRuns} | ${shouldConfirm ? 'yes' : 'no'} | ` +
          `${share(aa.failures, runs)} | ${share(all10.failures, runs)} | ${share(all5.failures, runs)} | ` +
          `${share(one10.targetCaught, runs)} | ${share(one10.falseCellRuns, runs)} |`,
      );
    }
  }
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

function share(count: number, runs: number): string {
  return percent(count / runs);
}

const PARTS = ['targets', 'issue12', 'rates'] as const;
const { values: flags } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string' } } });
const only = flags.only;
if (only !== undefined && !(PARTS as readonly string[]).includes(only)) {
  console.error(`--only: got '${only}', expected one of ${PARTS.join(', ')}`);
  process.exitCode = 2;
} else {
  const runsFlag = flags.runs === undefined ? undefined : Number(flags.runs);
  const wants = (part: (typeof PARTS)[number]): boolean => only === undefined || only === part;
  if (wants('targets')) {
    console.log('## Targets (seeded; the runs per scenario are fixed)\n');
    const missed = printTargets();
    if (missed > 0) {
      console.log(`\n${missed} target(s) missed`);
      process.exitCode = 1;
    }
  }
  if (wants('issue12')) {
    console.log(`\n## Dedicated and noisy runners (${runsFlag ?? 400} runs per row)\n`);
    printIssue12(runsFlag ?? 400);
  }
  if (wants('rates')) {
    console.log(`\n## Resolution and rates per setting (${runsFlag ?? 500} runs per entry)\n`);
    printResolution();
    console.log('');
    printRates(runsFlag ?? 500);
  }
}
