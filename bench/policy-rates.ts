/**
 * `npm run bench:policy-rates` (docs/statistics.md, "Verdict words and the gate policy"): what
 * each `gate-policy` means in error rates. For every policy and a range of true uniform dps
 * changes, the share of seeded runs whose gate fails, through the same functions as the
 * pipeline:
 * - paired mode (bench/paired-simulation.ts, the sequential rounds 5..10): the Action's default
 *   matrix with Gaussian per-round noise, by default the per-cell robust sds measured on the
 *   quiet 2-core VM (docs/gate-quality.md, "Paired mode");
 * - stored mode (bench/gate-simulation.ts): realistic noise (3% per trial, 1.5% per run,
 *   1% per cell and run), 3 pooled baseline runs and 10 history points, confirmation on.
 * A/A rows are false alarms; the rest are detection, or, for changes smaller than min-effect,
 * the rate at which a drop the user declared uninteresting fails the check.
 * Flags: --runs N (400 per line), --changes (0,-0.025,-0.04,-0.05,-0.075,-0.1), --paired-sd S[,S…] (%).
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/parse-config.js';
import type { GatePolicy } from '../src/config/config.js';
import { simulateGate } from './gate-simulation.js';
import { gaussianNoise, nearestCellNoise, simulatePaired } from './paired-simulation.js';

const { values: flags } = parseArgs({
  strict: false,
  options: {
    runs: { type: 'string', default: '400' },
    changes: { type: 'string', default: '0,-0.025,-0.04,-0.05,-0.075,-0.1' },
    'paired-sd': { type: 'string', default: '7.1,18.8,17.3,15.5,7.5,18.1,16.6,15.8' },
  },
});
const POLICIES: readonly Exclude<GatePolicy, 'auto'>[] = ['not-ruled-out', 'estimate', 'established'];
const SEED = 20261206;

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`.padStart(6);
}

function main(): void {
  const runs = Number(flags.runs);
  const changes = String(flags.changes).split(',').map(Number);
  const sds = String(flags['paired-sd'])
    .split(',')
    .map((value) => Number(value) / 100);
  const header = `policy | ${changes.map((c) => (c === 0 ? 'A/A' : `${(c * 100).toFixed(1)}%`)).join(' | ')}`;
  process.stdout.write(
    `paired mode, default 4×10 matrix, rounds 5..10, Gaussian per-round sd ${String(flags['paired-sd'])}% (the cells max_batch 8, 32 × users 1, 2, 4, 8; each default cell takes the nearest), ${runs} runs per cell of the table: share of runs failed\n${header}\n`,
  );
  for (const policy of POLICIES) {
    const config = parseConfig({ model: 'm', 'baseline-model': 'b', 'gate-policy': policy });
    const noise = nearestCellNoise({ maxBatch: [8, 32], users: [1, 2, 4, 8] }, config, gaussianNoise(sds));
    const rates = changes.map((change) => simulatePaired(config, noise, change, runs, SEED).failed);
    process.stdout.write(`${policy} | ${rates.map(percent).join(' | ')}\n`);
  }
  process.stdout.write(
    `\nstored mode, 4×10 matrix, realistic noise (trial 3%, run 1.5%, cell 1%), 3 baseline runs + 10 history, confirmation on, ${runs} runs: share of runs failed\n${header}\n`,
  );
  const noise = { trialCv: 0.03, runShift: 0.015, cellShift: 0.01 };
  for (const policy of POLICIES) {
    const rates = changes.map((change) => {
      const scenario = {
        noise,
        trials: 5,
        baselineRuns: 3,
        historyRuns: 10,
        slowdown: -change,
        affected: 'all' as const,
        shouldConfirm: true,
        policy,
      };
      return simulateGate(scenario, runs, SEED).failures / runs;
    });
    process.stdout.write(`${policy} | ${rates.map(percent).join(' | ')}\n`);
  }
}

main();
