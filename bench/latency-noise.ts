/**
 * `npm run bench:latency-noise` (docs/gate-quality.md, "Latency gate"): the latency noise of A/A
 * runs on the real CPU Triton, the input of the latency gate's simulation
 * (bench/latency-simulation.ts). Nothing changes between the sides: `demo_onnx` and a copy
 * `demo_base` of it are served side by side. Each turn measures one paired run (head vs base,
 * a fixed number of rounds) and one stored-mode run (trials of `demo_onnx` alone), in
 * alternating order, so the machine's drift over minutes falls on both alike. Every round's
 * log ratios and every stored trial's dps and latency percentiles are written to a JSON file
 * (latency-noise-file.ts); the summary printed at the end is the noise the latency gate has to
 * see through:
 * - paired: per cell, the robust sd (1.4826·MAD) of the per-round `ln(head pX / base pX)`
 *   around the cell's median, and the same for dps;
 * - stored: per cell, the within-run robust CV of the trials' pX, and the run-to-run noise of a
 *   cell's median pX (pairwise differences of runs' log medians, as the dps gate estimates it).
 * Flags: --runs K (24 turns), --rounds R (10 per paired run), --out FILE
 * (bench/data/latency-noise.json), and the matrix inputs --max-batch, --users, --requests.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { RawInputs } from '../src/config/inputs.js';
import type { Config } from '../src/config/config.js';
import { parseConfig } from '../src/config/parse-config.js';
import { silentLogger } from '../src/logger.js';
import { composeAndRun } from '../src/compose/compose-run.js';
import type { Cell, RunResult, Trial } from '../src/model/run-result.js';
import { ensureTritonInstalled, startTriton } from '../scripts/triton/triton-server.js';
import { addModelCopy } from '../test/support/model-copy.js';
import { LATENCY_FIGURES, summarizeNoise, type LatencyNoiseFile } from './latency-noise-file.js';

const { values: flags } = parseArgs({
  strict: false,
  options: {
    runs: { type: 'string', default: '24' },
    rounds: { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench/data/latency-noise.json' },
    'max-batch': { type: 'string', default: '8,32' },
    users: { type: 'string', default: '1,2,4,8' },
    requests: { type: 'string', default: '480' },
  },
});

const round4 = (value: number): number => Number(value.toPrecision(4));

function figuresOf(trial: Trial): number[] {
  return [trial.dps, trial.latencyMs.p50, trial.latencyMs.p90, trial.latencyMs.p99];
}

function goodTrials(cell: Cell | undefined): Trial[] {
  return (cell?.trials ?? []).filter((trial) => trial.errors === 0);
}

/** Per cell, each complete round's `ln(head / base)` of every figure (rounds where a side failed left out). */
function pairedRoundsOf(run: RunResult): number[][][] {
  return run.cells.map((cell) => {
    const other = run.base?.cells.find((b) => b.maxBatch === cell.maxBatch && b.users === cell.users);
    const baseByRound = new Map(goodTrials(other).map((trial) => [trial.round, figuresOf(trial)]));
    return goodTrials(cell).flatMap((trial) => {
      const base = baseByRound.get(trial.round);
      if (base === undefined) return [];
      return [figuresOf(trial).map((value, f) => Number(Math.log(value / (base[f] ?? value)).toFixed(4)))];
    });
  });
}

function storedTrialsOf(run: RunResult): number[][][] {
  return run.cells.map((cell) => goodTrials(cell).map((trial) => figuresOf(trial).map(round4)));
}

async function main(): Promise<void> {
  const runs = Number(flags.runs);
  const rounds = String(flags.rounds);
  await ensureTritonInstalled();
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const matrix: RawInputs = {
    model: 'demo_onnx',
    'server-url': triton.grpcUrl,
    'max-batch': String(flags['max-batch']),
    users: String(flags.users),
    requests: String(flags.requests),
    'baseline-store': 'none',
  };
  const pairedConfig = parseConfig({
    ...matrix,
    'baseline-model': 'demo_base',
    'min-rounds': rounds,
    'max-rounds': rounds,
  });
  const storedConfig = parseConfig(matrix);
  const paired: number[][][][] = [];
  const stored: number[][][][] = [];
  const file: LatencyNoiseFile = {
    measuredAt: new Date().toISOString(),
    command: `npm run bench:latency-noise -- ${process.argv.slice(2).join(' ')}`.trim(),
    matrix: {
      maxBatch: pairedConfig.matrix.maxBatch,
      users: pairedConfig.matrix.users,
      requests: pairedConfig.matrix.requests,
    },
    figures: LATENCY_FIGURES,
    paired,
    stored,
  };
  const execute = async (config: Config): Promise<RunResult> => {
    const result = await composeAndRun(config, {
      log: silentLogger,
      signal: new AbortController().signal,
      sinks: [],
      event: { name: 'pull_request', isDefaultBranch: false, isTag: false },
      context: { source: { event: 'pull_request' }, label: 'bench' },
    });
    return result.run;
  };
  const started = performance.now();
  try {
    await addModelCopy(triton, 'demo_base', { parameters: { slowdown_pct: '0', slowdown_us: '0' } });
    process.stdout.write(
      `latency noise on ${triton.grpcUrl}: max-batch ${matrix['max-batch']} × users ${matrix.users}, ${matrix.requests} requests per trial; ` +
        `${runs} turns of (a paired A/A run of ${rounds} rounds, a stored-mode run of ${storedConfig.matrix.trials} trials)\n`,
    );
    for (let turn = 0; turn < runs; turn++) {
      // Alternating order: neither kind always runs first in a turn.
      for (const kind of turn % 2 === 0 ? (['paired', 'stored'] as const) : (['stored', 'paired'] as const)) {
        if (kind === 'paired') paired.push(pairedRoundsOf(await execute(pairedConfig)));
        else stored.push(storedTrialsOf(await execute(storedConfig)));
      }
      await writeFile(String(flags.out), `${JSON.stringify(file)}\n`);
      process.stderr.write(
        `turn ${turn + 1}/${runs} done, ${((performance.now() - started) / 60_000).toFixed(1)} min\n`,
      );
    }
  } finally {
    await triton.stop();
  }
  process.stdout.write(
    `${summarizeNoise(file)}\nwritten to ${String(flags.out)}; total ${((performance.now() - started) / 60_000).toFixed(1)} min\n`,
  );
}

await main();
