/**
 * `npm run bench:gate -- --paired` (docs/gate-quality.md, "Paired mode"): how often the paired
 * gate fails when nothing changed (A/A: the demo model served twice, as `demo_onnx` and
 * `demo_base`) and when the head side is really slower (the model's `slowdown_us` knob on
 * `demo_onnx` only), on the real CPU Triton, through the same pipeline step the Action runs.
 * Scenarios take turns run by run; in the first `--stored-runs` turns a stored-mode run of the
 * same matrix (no base side) takes its turn too, so the cost ratio is measured in the same
 * minutes. Then seeded simulations replaying each cell's measured A/A noise: the A/A rate and
 * the detection of −5% and −10%, on the bench's matrix and on the Action's default matrix.
 * Flags: --runs K (40), --slowdowns-us 20,40, --stored-runs K (8), --simulate-sd S[,S…] (simulation
 * only, Gaussian at S% per cell), --cost-only (K turns of one stored-mode and one paired A/A run
 * each, in alternating order, printing the wall-time ratio: e.g. for the Action's default
 * matrix, `--max-batch 8,16,32,64 --users 1-10 --runs 2`), and matrix/gate inputs (--max-batch, --users, --requests,
 * --min-rounds, --max-rounds, --alpha, --min-effect, --warmup-requests).
 */
import { parseArgs } from 'node:util';
import { median, sampleStandardDeviation } from 'simple-statistics';
import type { RawInputs } from '../src/config/inputs.js';
import type { Config } from '../src/config/config.js';
import { parseConfig } from '../src/config/parse-config.js';
import { silentLogger } from '../src/logger.js';
import { composeAndRun } from '../src/compose/compose-run.js';
import { logRatiosOf } from '../src/stats/compare-paired.js';
import { pairedInputsOf } from '../src/stats/paired-inputs.js';
import { ensureTritonInstalled, startTriton } from '../scripts/triton/triton-server.js';
import { addModelCopy, setModelParameters } from '../test/support/model-copy.js';
import { gaussianNoise, replayedNoise, simulatePaired, type PairedNoise } from './paired-simulation.js';

const { values: flags } = parseArgs({
  strict: false,
  options: {
    runs: { type: 'string', default: '40' },
    'simulate-sd': { type: 'string' },
    'slowdowns-us': { type: 'string', default: '20,40' },
    'stored-runs': { type: 'string', default: '8' },
    paired: { type: 'boolean' },
    'cost-only': { type: 'boolean' },
  },
});
const DEFAULTS: RawInputs = {
  model: 'demo_onnx',
  'baseline-model': 'demo_base',
  'max-batch': '8,32',
  users: '1,2,4,8',
  requests: '480',
  'baseline-store': 'none',
};
const PASSED = ['max-batch', 'users', 'requests', 'min-rounds', 'max-rounds', 'alpha', 'min-effect', 'warmup-requests'];
const SIMULATED_RUNS = 1000;

function rawInputs(address: string): RawInputs {
  const raw: Record<string, string> = { ...DEFAULTS, 'server-url': address };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length - 1; i++) {
    const name = args[i]?.replace(/^--/, '') ?? '';
    if (PASSED.includes(name)) raw[name] = args[i + 1] ?? '';
  }
  return raw;
}

interface Tally {
  failed: number;
  deltas: number[];
  seconds: number[];
  rounds: number[];
}

/** The Action's default matrix with the bench's rounds and gate settings. */
function defaultMatrixConfig(raw: RawInputs): Config {
  const { 'max-batch': _rows, users: _users, requests: _requests, ...rest } = raw;
  return parseConfig(rest);
}

/**
 * Noise of the default matrix's cells, each borrowing the measured cell of the nearest max_batch
 * and users (both in log scale): the bench measures a smaller matrix to keep 40 runs affordable.
 */
function mapNoise(measured: Config, target: Config, noise: PairedNoise): PairedNoise {
  const nearest = (values: readonly number[], value: number): number => {
    let best = 0;
    values.forEach((candidate, index) => {
      if (
        Math.abs(Math.log(Math.max(candidate, 1) / Math.max(value, 1))) <
        Math.abs(Math.log(Math.max(values[best] ?? 1, 1) / Math.max(value, 1)))
      )
        best = index;
    });
    return best;
  };
  const { users } = target.matrix;
  const map = target.matrix.maxBatch.flatMap((batch) =>
    users.map(
      (u) =>
        nearest(measured.matrix.maxBatch, batch) * measured.matrix.users.length + nearest(measured.matrix.users, u),
    ),
  );
  return (cell, rng) => noise(map[cell] ?? 0, rng);
}

function printSimulations(config: Config, raw: RawInputs, noise: PairedNoise, source: string): void {
  const targets: [string, Config][] = [
    ['bench matrix', config],
    ['default matrix', defaultMatrixConfig(raw)],
  ];
  process.stdout.write(
    `simulation: ${SIMULATED_RUNS} seeded runs per line, noise ${source}, rounds ${config.paired.minRounds}..${config.paired.maxRounds}\n`,
  );
  process.stdout.write('matrix                     | change | gate failed | mean rounds per cell\n');
  for (const [label, target] of targets) {
    const cellNoise = target === config ? noise : mapNoise(config, target, noise);
    const shape = `${label} ${target.matrix.maxBatch.length}×${target.matrix.users.length}`;
    for (const change of [0, -0.05, -0.1]) {
      const rate = simulatePaired(target, cellNoise, change, SIMULATED_RUNS, 20261203);
      process.stdout.write(
        `${shape.padEnd(26)} | ${`${(change * 100).toFixed(0)}%`.padStart(6)} | ${`${(rate.failed * 100).toFixed(1)}%`.padStart(11)} | ${rate.meanRounds.toFixed(1).padStart(20)}\n`,
      );
    }
  }
}

async function main(): Promise<void> {
  const runs = Number(flags.runs);
  const simulateOnly = flags['simulate-sd'];
  if (typeof simulateOnly === 'string') {
    // Replays a noise level given on the command line (e.g. a dedicated runner's) without a server.
    const raw = rawInputs('127.0.0.1:1');
    const sds = simulateOnly.split(',').map((value) => Number(value) / 100);
    printSimulations(parseConfig(raw), raw, gaussianNoise(sds), `Gaussian, sd ${simulateOnly}% per cell (row-major)`);
    return;
  }
  const scenarios = [0, ...String(flags['slowdowns-us']).split(',').map(Number)];
  const storedRuns = Number(flags['stored-runs']);
  await ensureTritonInstalled();
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const raw = rawInputs(triton.grpcUrl);
  const config = parseConfig(raw);
  // Stored mode takes no base side and no rounds (rounds without a base side are a config error).
  const { 'baseline-model': _base, 'min-rounds': _min, 'max-rounds': _max, ...storedRaw } = raw;
  const storedConfig = parseConfig(storedRaw);
  const tallies = new Map<number, Tally>(
    scenarios.map((us) => [us, { failed: 0, deltas: [], seconds: [], rounds: [] }]),
  );
  const storedSeconds: number[] = [];
  const costRatios: number[] = [];
  const residuals: number[][] = [];
  const started = performance.now();
  const execute = async (
    runConfig: Config,
  ): Promise<{ seconds: number; result: Awaited<ReturnType<typeof composeAndRun>> }> => {
    const t0 = performance.now();
    const result = await composeAndRun(runConfig, {
      log: silentLogger,
      signal: new AbortController().signal,
      sinks: [],
      event: { name: 'pull_request', isDefaultBranch: false, isTag: false },
      context: { source: { event: 'pull_request' }, label: 'bench' },
    });
    return { seconds: (performance.now() - t0) / 1000, result };
  };
  try {
    // The A/A base: the demo model again under another name, without the head's slowdown.
    await addModelCopy(triton, 'demo_base', { parameters: { slowdown_pct: '0', slowdown_us: '0' } });
    if (flags['cost-only'] === true) {
      for (let run = 0; run < runs; run++) {
        const pair = run % 2 === 0 ? [storedConfig, config] : [config, storedConfig];
        const [first, second] = [await execute(pair[0] as Config), await execute(pair[1] as Config)];
        const [stored, paired] = run % 2 === 0 ? [first, second] : [second, first];
        const rounds = paired.result.comparison.paired?.cells.map((cell) => cell.rounds) ?? [];
        process.stdout.write(
          `cost turn ${run + 1}: max-batch ${raw['max-batch']} × users ${raw.users}: stored mode ${stored.seconds.toFixed(0)} s, ` +
            `paired A/A ${paired.seconds.toFixed(0)} s (median rounds ${median(rounds)}): ${(paired.seconds / stored.seconds).toFixed(2)}×\n`,
        );
      }
      return;
    }
    process.stdout.write(
      `paired gate quality on ${triton.grpcUrl}: max-batch ${raw['max-batch']} × users ${raw.users}, ` +
        `${raw.requests} requests per trial, rounds ${config.paired.minRounds}..${config.paired.maxRounds}; ${runs} runs per scenario in turn, ` +
        `a stored-mode run (${storedConfig.matrix.trials} trials per cell) in the first ${storedRuns} turns\n`,
    );
    let current = 0;
    for (let run = 0; run < runs; run++) {
      const turn: (number | 'stored')[] = [...scenarios, ...(run < storedRuns ? ['stored' as const] : [])];
      let aaSeconds = Number.NaN;
      let stored = Number.NaN;
      for (const item of run % 2 === 0 ? turn : [...turn].reverse()) {
        if (item === 'stored') {
          if (current !== 0) await setModelParameters(triton, 'demo_onnx', { slowdown_us: '0' });
          current = 0;
          stored = (await execute(storedConfig)).seconds;
          storedSeconds.push(stored);
          continue;
        }
        if (item !== current) await setModelParameters(triton, 'demo_onnx', { slowdown_us: String(item) });
        current = item;
        const { seconds, result } = await execute(config);
        const tally = tallies.get(item) as Tally;
        tally.seconds.push(seconds);
        if (result.gate.shouldFail) tally.failed++;
        tally.deltas.push(result.comparison.paired?.overall?.delta ?? Number.NaN);
        tally.rounds.push(...(result.comparison.paired?.cells.map((cell) => cell.rounds) ?? []));
        if (item !== 0) continue;
        aaSeconds = seconds;
        // Each cell's ratios around its own median: the paired noise, without a cell's offset.
        pairedInputsOf(result.run).forEach((input, index) => {
          const ratios = logRatiosOf(input);
          const centre = median(ratios);
          (residuals[index] ??= []).push(...ratios.map((value) => value - centre));
        });
      }
      if (Number.isFinite(stored)) costRatios.push(aaSeconds / stored);
      const progress = scenarios.map((us) => `${us} µs ${(tallies.get(us) as Tally).failed}/${run + 1}`).join(', ');
      process.stderr.write(
        `run ${run + 1}/${runs} done, ${((performance.now() - started) / 60_000).toFixed(1)} min; gate failed: ${progress}\n`,
      );
    }
  } finally {
    await triton.stop();
  }
  printTable(scenarios, tallies, runs);
  if (costRatios.length > 0) {
    process.stdout.write(
      `cost: stored-mode run ${median(storedSeconds).toFixed(0)} s (median of ${storedSeconds.length}); ` +
        `paired A/A ÷ stored-mode in the same turn: median ${median(costRatios).toFixed(2)}×, ` +
        `range ${Math.min(...costRatios).toFixed(2)}–${Math.max(...costRatios).toFixed(2)}×\n`,
    );
  }
  const all = residuals.flat();
  const robust = residuals.map((list) => (1.4826 * median(list.map(Math.abs)) * 100).toFixed(1)).join(', ');
  process.stdout.write(
    `measured paired noise (A/A, per-round log ratio around each cell's median): sd ${(sampleStandardDeviation(all) * 100).toFixed(2)}% ` +
      `over ${all.length} rounds; robust sd per cell (1.4826·MAD, row-major) ${robust}%\n`,
  );
  printSimulations(
    config,
    raw,
    replayedNoise(residuals),
    "each cell's measured A/A residuals, resampled with random signs",
  );
  process.stdout.write(`total ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
}

function printTable(scenarios: readonly number[], tallies: ReadonlyMap<number, Tally>, runs: number): void {
  process.stdout.write(
    'scenario                      | gate failed | median Δ (whole matrix) | median rounds | run s\n',
  );
  for (const us of scenarios) {
    const tally = tallies.get(us) as Tally;
    const label = us === 0 ? 'A/A (no change): false alarms' : `+${us} µs per batch: detected`;
    process.stdout.write(
      `${label.padEnd(29)} | ${`${tally.failed}/${runs}`.padStart(11)} | ` +
        `${(median(tally.deltas) * 100).toFixed(1).padStart(22)}% | ${String(median(tally.rounds)).padStart(13)} | ${median(tally.seconds).toFixed(0).padStart(5)}\n`,
    );
  }
}

await main();
