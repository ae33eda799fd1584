/**
 * `npm run bench:latency-simulation` (docs/gate-quality.md, "Latency gate"): the latency gate's
 * false alarms on A/A and its detection of a latency rise, replaying the A/A noise measured on
 * the real server by `npm run bench:latency-noise` (bench/data/latency-noise.json). No server.
 * - Paired mode: the bench's matrix and the Action's default matrix (4 × 10: each cell replays
 *   the measured cell of the nearest max_batch and users), rounds 5..10 (latency-simulation-paired.ts).
 * - Stored mode: distinct measured runs in random roles (current, merge-base, history, re-run)
 *   (latency-simulation-stored.ts).
 * Flags: --file FILE, --runs N (1000 paired, the same for stored), --rises 0,0.2,0.5 (latency
 * rises simulated in every cell; plus one cell at the largest), --history-runs H (10),
 * --noise-scale S (paired only: the measured rounds' deviations times S, e.g. 0.25 for a runner
 * with a quarter of this machine's noise), and gate
 * inputs (--latency-gate p99, --latency-min-effect, --gate-policy, --alpha, --min-rounds, --max-rounds).
 */
import { parseArgs } from 'node:util';
import type { RawInputs } from '../src/config/inputs.js';
import type { Config } from '../src/config/config.js';
import { parseConfig } from '../src/config/parse-config.js';
import { LATENCY_FIGURES, pairedResiduals, readLatencyNoise, type FigureVector } from './latency-noise-file.js';
import { simulatePairedLatency, type LatencyChange } from './latency-simulation-paired.js';
import { simulateStoredLatency } from './latency-simulation-stored.js';
import { nearestCellIndices } from './paired-simulation.js';

const { values: flags } = parseArgs({
  strict: false,
  options: {
    file: { type: 'string', default: 'bench/data/latency-noise.json' },
    runs: { type: 'string', default: '1000' },
    rises: { type: 'string', default: '0,0.2,0.5' },
    'history-runs': { type: 'string', default: '10' },
    'latency-gate': { type: 'string', default: 'p99' },
    'noise-scale': { type: 'string', default: '1' },
  },
});
const PASSED = ['latency-min-effect', 'gate-policy', 'alpha', 'min-effect', 'min-rounds', 'max-rounds'] as const;
const SEED = 20261206;

function gateInputs(): RawInputs {
  const raw: Record<string, string> = { 'latency-gate': String(flags['latency-gate']) };
  for (const name of PASSED) if (typeof flags[name] === 'string') raw[name] = flags[name];
  return raw;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`.padStart(7);
}

function changes(rises: readonly number[]): [string, LatencyChange][] {
  const largest = Math.max(...rises);
  return [
    ...rises.map((rise): [string, LatencyChange] => [rise === 0 ? 'A/A' : `every cell +${rise * 100}%`, { rise }]),
    [`one cell +${largest * 100}%`, { rise: largest, cells: new Set([0]) }],
  ];
}

async function main(): Promise<void> {
  const file = await readLatencyNoise(String(flags.file));
  const runs = Number(flags.runs);
  const rises = String(flags.rises).split(',').map(Number);
  const raw = gateInputs();
  const figure = LATENCY_FIGURES.indexOf(raw['latency-gate'] as (typeof LATENCY_FIGURES)[number]);
  const measured = file.matrix;
  const matrices: [string, Config][] = [
    [
      `bench ${measured.maxBatch.length}×${measured.users.length}`,
      parseConfig({
        model: 'm',
        'baseline-model': 'b',
        'max-batch': measured.maxBatch.join(','),
        users: measured.users.join(','),
        ...raw,
      }),
    ],
    ['default 4×10', parseConfig({ model: 'm', 'baseline-model': 'b', ...raw })],
  ];
  const scale = Number(flags['noise-scale']);
  const residuals = pairedResiduals(file).map((pool) => pool.map((vector) => vector.map((value) => value * scale)));
  const config = matrices[0]?.[1] as Config;
  process.stdout.write(
    `latency gate ${raw['latency-gate']}, latency-min-effect ${config.gate.latency?.minEffect}, gate-policy ${config.gate.policy}, alpha ${config.gate.alpha}; ` +
      `noise from ${String(flags.file)} (${file.paired.length} paired A/A runs, ${file.stored.length} stored runs, measured ${file.measuredAt})` +
      `${scale === 1 ? '' : `, paired deviations × ${scale}`}; ${runs} seeded runs per line\n\n`,
  );
  process.stdout.write(
    'paired | matrix | change | latency gate failed | changed cell caught | other cell failed | dps gate failed | mean rounds\n',
  );
  for (const [label, target] of matrices) {
    const pools: FigureVector[][] = nearestCellIndices(measured, target).map((cell) => residuals[cell] ?? []);
    for (const [name, change] of changes(rises)) {
      const rate = simulatePairedLatency(target, pools, figure, change, { runs, seed: SEED });
      const isOneCell = change.cells !== undefined;
      process.stdout.write(
        `paired | ${label} | ${name} | ${percent(rate.latencyFailed)} | ${isOneCell ? percent(rate.changedCaught) : '—'} | ` +
          `${isOneCell ? percent(rate.wrongCell) : '—'} | ${percent(rate.dpsFailed)} | ${rate.meanRounds.toFixed(1)}\n`,
      );
    }
  }
  if (scale !== 1) return;
  const stored = parseConfig({ model: 'm', ...raw });
  const historyRuns = Number(flags['history-runs']);
  process.stdout.write(
    `\nstored | matrix | change | latency gate failed | flagged before the re-run | calibrating (history ${historyRuns} runs + 1 base run)\n`,
  );
  for (const [name, change] of changes(rises)) {
    const rate = simulateStoredLatency(file, stored, change, { runs, seed: SEED, historyRuns });
    process.stdout.write(
      `stored | bench ${measured.maxBatch.length}×${measured.users.length} | ${name} | ${percent(rate.failed)} | ${percent(rate.flagged)} | ${percent(rate.calibrating)}\n`,
    );
  }
}

await main();
