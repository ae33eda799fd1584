/**
 * `npm run demo`: starts the real CPU Triton of scripts/triton/ on free 127.0.0.1 ports, runs a
 * max_batch 8,16,32,64 × users 1-10 matrix against demo_onnx through the CLI, prints the tables
 * and conclusions, then the wall time, the noisy-cell count and the server cross-check, and
 * stops the server. Extra flags are passed to `run` (e.g. `npm run demo -- --trials 5`).
 *
 * The demo's settings answer the study's questions on a 2-core machine: 8 items per request make
 * users × items reach 8..80, so every row up to 64 can form full batches; 0.5 s steady windows
 * give each trial hundreds of replies; the capacity probe sends full batches per row.
 * `--seed-matrix` runs the original settings instead (1 item, 480 requests per trial).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/cli-main.js';
import type { RunResult } from '../src/model/run-result.js';
import { serverGap } from '../src/analysis/cross-check.js';
import { ensureTritonInstalled, startTriton } from './triton/triton-server.js';

/** Flags both modes set; flags given by the user win. */
const COMMON_DEFAULTS: Readonly<Record<string, string>> = { '--model': 'demo_onnx', '--trials': '3' };

/** The study settings (see the module comment). */
const STUDY_DEFAULTS: Readonly<Record<string, string>> = {
  ...COMMON_DEFAULTS,
  '--items-per-request': '8',
  '--trial-seconds': '0.5',
  '--warmup-requests': '24',
  '--max-cv': '10%',
  '--capacity': 'probe',
};

/** The seed's demo: the classic study's matrix as is, 1 item per request. */
const SEED_DEFAULTS: Readonly<Record<string, string>> = { ...COMMON_DEFAULTS, '--max-cv': '15%' };

const SEED_FLAG = '--seed-matrix';

function withDefaults(
  args: readonly string[],
  defaults: Readonly<Record<string, string>>,
  server: { readonly grpcUrl: string; readonly metricsUrl: string },
  out: string,
): string[] {
  const result = ['run', '--server-url', server.grpcUrl];
  // The server listens on free ports: the default metrics URL (server host, port 8002) is not its own.
  const own = { ...defaults, '--metrics-url': `${server.metricsUrl}/metrics` };
  for (const [flag, value] of Object.entries(own)) {
    if (!args.includes(flag)) result.push(flag, value);
  }
  if (!args.includes('--out')) result.push('--out', out);
  return [...result, ...args];
}

/** The closing lines the integrator compares across machines. */
async function summarize(outPath: string, wallSeconds: number): Promise<string> {
  const run = JSON.parse(await readFile(outPath, 'utf8')) as RunResult;
  const noisy = run.cells.filter((cell) => cell.status === 'noisy').length;
  const gaps = run.cells.flatMap((cell) => {
    const gap = serverGap(cell);
    return gap === undefined ? [] : [Math.abs(gap)];
  });
  const worst =
    gaps.length === 0
      ? 'no server rates'
      : `largest |server/client - 1| ${(Math.max(...gaps) * 100).toFixed(2)}% over ${gaps.length} cells`;
  return `demo: wall ${wallSeconds.toFixed(0)} s after setup · ${noisy} of ${run.cells.length} cells noisy · ${worst}\n`;
}

async function demo(): Promise<number> {
  const isSeed = process.argv.includes(SEED_FLAG);
  const userArgs = process.argv.slice(2).filter((arg) => arg !== SEED_FLAG);
  await ensureTritonInstalled();
  process.stderr.write('demo: starting a local CPU Triton (demo_onnx, identity) on 127.0.0.1 ...\n');
  const triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'ttg-demo-'));
  try {
    const settings = isSeed
      ? 'the seed matrix: 1 item per request, 480 requests per trial'
      : '8 items per request, 0.5 s steady windows, capacity probe on (--seed-matrix for the original settings)';
    process.stderr.write(
      `demo: Triton ${triton.version} ready on ${triton.grpcUrl} in ${(triton.startMs / 1000).toFixed(1)} s\n` +
        `demo: max_batch 8,16,32,64 × users 1-10, ${settings}; CPU numbers, not a GPU's.\n`,
    );
    const outPath = join(dir, 'demo.json');
    const startMs = performance.now();
    const code = await main(withDefaults(userArgs, isSeed ? SEED_DEFAULTS : STUDY_DEFAULTS, triton, outPath));
    const wallSeconds = (performance.now() - startMs) / 1000;
    const given = userArgs.indexOf('--out');
    process.stderr.write(await summarize(given >= 0 ? (userArgs[given + 1] ?? outPath) : outPath, wallSeconds));
    return code;
  } finally {
    await triton.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await demo();
