/**
 * `npm run bench:gate -- --paired` (docs/gate-quality.md, "Paired mode"): how often the paired
 * gate fails when nothing changed (A/A: the demo model served twice, as `demo_onnx` and
 * `demo_base`) and when the head side is really slower (the model's `slowdown_us` knob on
 * `demo_onnx` only), on the real CPU Triton, through the same pipeline step the Action runs.
 * Scenarios take turns run by run. Then a simulation: 1,000 seeded A/A runs of the paired
 * statistics at the per-round noise measured in the A/A runs, printing the false-alarm rate.
 * Flags: --runs K (40), --slowdowns-us 80,40, --simulate-sd S (simulation only, at S% noise), and matrix/gate inputs (--max-batch, --users,
 * --requests, --min-rounds, --max-rounds, --alpha, --min-effect).
 */
import { parseArgs } from 'node:util';
import { median, sampleStandardDeviation } from 'simple-statistics';
import type { RawInputs } from '../src/config/inputs.js';
import { parseConfig } from '../src/config/parse-config.js';
import { silentLogger } from '../src/logger.js';
import { composeAndRun } from '../src/compose/compose-run.js';
import type { PairedComparison } from '../src/model/paired-comparison.js';
import { createRng, type Rng } from '../src/rng.js';
import { comparePaired, logRatiosOf } from '../src/stats/compare-paired.js';
import { pairedInputsOf } from '../src/stats/paired-inputs.js';
import { ensureTritonInstalled, startTriton } from '../scripts/triton/triton-server.js';
import { serveDemoCopy, setSlowdownUs } from '../test/support/paired-models.js';

const { values: flags } = parseArgs({
  strict: false,
  options: { runs: { type: 'string', default: '40' }, 'simulate-sd': { type: 'string' }, 'slowdowns-us': { type: 'string', default: '80,40' }, paired: { type: 'boolean' } },
});
const DEFAULTS: RawInputs = {
  model: 'demo_onnx', 'baseline-model': 'demo_base', 'max-batch': '8,32', users: '1,2,4,8', requests: '480', 'baseline-store': 'none',
};
const PASSED = ['max-batch', 'users', 'requests', 'min-rounds', 'max-rounds', 'alpha', 'min-effect', 'warmup-requests'];

function rawInputs(address: string): RawInputs {
  const raw: Record<string, string> = { ...DEFAULTS, 'server-url': address };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length - 1; i++) {
    const name = args[i]?.replace(/^--/, '') ?? '';
    if (PASSED.includes(name)) raw[name] = args[i + 1] ?? '';
  }
  return raw;
}

interface Tally { failed: number; deltas: number[]; seconds: number; rounds: number[] }

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** A/A false-alarm rate of the paired statistics at per-round log-ratio noise `sd`, sequential rounds included. */
function simulate(sd: number, cells: number, raw: RawInputs, runs: number): number {
  const config = parseConfig(raw);
  const rng = createRng(20261202);
  let failed = 0;
  for (let run = 0; run < runs; run++) {
    const ratios = Array.from({ length: cells }, () => [] as number[]);
    let active = ratios.map((_, index) => index);
    let result: PairedComparison | undefined;
    for (let round = 0; round < config.paired.maxRounds && active.length > 0; round++) {
      for (const index of active) ratios[index]?.push(sd * gaussian(rng));
      const inputs = ratios.map((list, index) => ({
        maxBatch: index, users: 1, rounds: list.map((value, r) => ({ round: r, head: Math.exp(value), base: 1 })),
      }));
      const looks = config.paired.maxRounds - config.paired.minRounds + 1;
      result = comparePaired(inputs, { ...config.gate, seed: run, resamples: 200, looks });
      const decided = result;
      if (round + 1 >= config.paired.minRounds) active = active.filter((index) => decided.cells[index]?.verdict === 'unknown');
    }
    if (result?.cells.some((cell) => cell.verdict === 'regressed') === true || result?.overall?.verdict === 'regressed') failed++;
  }
  return failed / runs;
}

async function main(): Promise<void> {
  const runs = Number(flags.runs);
  const simulateOnly = flags['simulate-sd'];
  if (typeof simulateOnly === 'string') {
    // Replays a noise level measured earlier (e.g. on a quiet machine) without a server.
    const raw = rawInputs('127.0.0.1:1');
    const config = parseConfig(raw);
    const cells = config.matrix.maxBatch.length * config.matrix.users.length;
    const rate = simulate(Number(simulateOnly) / 100, cells, raw, 1000);
    process.stdout.write(`simulation: 1000 seeded A/A runs of ${cells} cells at sd ${simulateOnly}%: ${(rate * 100).toFixed(1)}% failed\n`);
    return;
  }
  const scenarios = [0, ...String(flags['slowdowns-us']).split(',').map(Number)];
  await ensureTritonInstalled();
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const raw = rawInputs(triton.grpcUrl);
  const config = parseConfig(raw);
  const tallies = new Map<number, Tally>(scenarios.map((us) => [us, { failed: 0, deltas: [], seconds: 0, rounds: [] }]));
  const aaRatios: number[] = [];
  const started = performance.now();
  try {
    await serveDemoCopy(triton, 'demo_base');
    process.stdout.write(`paired gate quality on ${triton.grpcUrl}: max-batch ${raw['max-batch']} × users ${raw.users}, ` +
      `${raw.requests} requests per trial, rounds ${config.paired.minRounds}..${config.paired.maxRounds}; ${runs} runs per scenario in turn\n`);
    let current = 0;
    for (let run = 0; run < runs; run++) {
      for (const us of run % 2 === 0 ? scenarios : [...scenarios].reverse()) {
        if (us !== current) await setSlowdownUs(triton, 'demo_onnx', us);
        current = us;
        const t0 = performance.now();
        const result = await composeAndRun(config, {
          log: silentLogger, signal: new AbortController().signal, sinks: [],
          event: { name: 'pull_request', isDefaultBranch: false, isTag: false },
          context: { source: { event: 'pull_request' }, label: 'bench' },
        });
        const tally = tallies.get(us) as Tally;
        tally.seconds += (performance.now() - t0) / 1000;
        if (result.gate.shouldFail) tally.failed++;
        tally.deltas.push(result.comparison.paired?.overall?.delta ?? Number.NaN);
        tally.rounds.push(...(result.comparison.paired?.cells.map((cell) => cell.rounds) ?? []));
        // Each cell's ratios around its own median: the paired noise, without a cell's offset.
        if (us === 0) for (const input of pairedInputsOf(result.run)) {
          const ratios = logRatiosOf(input);
          const centre = median(ratios);
          aaRatios.push(...ratios.map((value) => value - centre));
        }
      }
      process.stderr.write(`run ${run + 1}/${runs} done, ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
    }
  } finally {
    await triton.stop();
  }
  process.stdout.write('scenario                      | gate failed | median Δ (whole matrix) | median rounds | run s\n');
  for (const us of scenarios) {
    const tally = tallies.get(us) as Tally;
    const label = us === 0 ? 'A/A (no change): false alarms' : `+${us} µs per batch: detected`;
    process.stdout.write(`${label.padEnd(29)} | ${`${tally.failed}/${runs}`.padStart(11)} | ` +
      `${(median(tally.deltas) * 100).toFixed(1).padStart(22)}% | ${String(median(tally.rounds)).padStart(13)} | ${(tally.seconds / runs).toFixed(0).padStart(5)}\n`);
  }
  const sd = aaRatios.length >= 2 ? sampleStandardDeviation(aaRatios) : 0;
  const cells = config.matrix.maxBatch.length * config.matrix.users.length;
  const rate = simulate(sd, cells, raw, 1000);
  process.stdout.write(`measured paired noise: sd of per-round log ratio ${(sd * 100).toFixed(2)}% (${aaRatios.length} A/A rounds)\n`);
  process.stdout.write(`simulation: 1000 seeded A/A runs of ${cells} cells at that noise: ${(rate * 100).toFixed(1)}% failed\n`);
  process.stdout.write(`total ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
}

await main();
