/**
 * `npm run bench:gate` (DESIGN §9 "gate quality"): how often the whole-matrix gate fails
 * when nothing changed (A/A) and when the demo model is really slower, on the real CPU Triton,
 * through the same pipeline the Action runs (comparison, confirmation re-run, gate).
 *
 * 1. B baseline runs of commit `base` are saved to a temporary file store (pooled later).
 * 2. For each scenario (no change, then the model's `slowdown_us` knob at each level) K PR
 *    runs are compared with that baseline; the gate's decision is counted.
 * The knob (`slowdown_us`: a sleep per executed batch, i.e. slower accelerator work) is written
 * into the server's own repository copy, so reloads and restores keep it. What a given sleep
 * does to dps depends on the cell (batched cells pay it once per batch), so the median dps
 * change it caused is measured and printed next to each rate.
 * Flags: --baseline-runs B, --runs K, --slowdowns-us 80,40 (µs per batch), and any
 * matrix/gate input (--max-batch, --users, --requests, --trials, --alpha, --min-effect).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { createFileStore } from '../src/baseline/file-store.js';
import type { RawInputs } from '../src/config/inputs.js';
import { parseConfig } from '../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../src/control/controllers.js';
import { runShellCommand } from '../src/control/run-shell-command.js';
import { silentLogger } from '../src/logger.js';
import { runPipeline, type PipelineResult } from '../src/pipeline.js';
import { TritonClient } from '../src/triton/triton-client.js';
import { waitForModelReady } from '../src/triton/inspect-model.js';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../scripts/triton/triton-server.js';
import { withParameters } from '../scripts/triton/triton-server-support.js';

const { values: flags } = parseArgs({
  strict: false,
  options: {
    'baseline-runs': { type: 'string', default: '3' },
    runs: { type: 'string', default: '10' },
    'slowdowns-us': { type: 'string', default: '80,40' },
  },
});
const MATRIX_DEFAULTS: RawInputs = { model: 'demo_onnx', 'max-batch': '8,32', users: '1,2,4,8', requests: '240', trials: '5', 'baseline-store': 'file' };

/** Matrix and gate inputs given on the command line (`--requests 480` ...) override the defaults. */
function rawInputs(dir: string, address: string): RawInputs {
  const raw: Record<string, string> = { ...MATRIX_DEFAULTS, 'server-url': address, 'baseline-path': dir };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length - 1; i++) {
    const name = args[i]?.replace(/^--/, '') ?? '';
    if (name in MATRIX_DEFAULTS || ['alpha', 'min-effect', 'max-cv', 'max-reruns', 'confirm', 'warmup-requests'].includes(name)) raw[name] = args[i + 1] ?? '';
  }
  return raw;
}

async function setSlowdown(triton: TritonProcess, microseconds: number): Promise<void> {
  const file = join(triton.repoDir, 'demo_onnx', 'config.pbtxt');
  await writeFile(file, withParameters(await readFile(file, 'utf8'), { slowdown_us: String(microseconds) }));
  const client = new TritonClient({ address: triton.grpcUrl, isTls: false });
  try {
    await client.repositoryModelUnload('demo_onnx');
    await client.repositoryModelLoad('demo_onnx', undefined, { timeoutMs: 120_000 });
    await waitForModelReady(client, 'demo_onnx', { timeoutMs: 60_000 });
  } finally {
    client.close();
  }
}

async function pipelineRun(raw: RawInputs, event: 'push' | 'pull_request', sha: string): Promise<PipelineResult> {
  const config = parseConfig({ ...raw, 'save-baseline': event === 'push' ? 'always' : 'never' });
  const client = new TritonClient({ address: config.server.address, isTls: false });
  try {
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({ client, config, log: silentLogger, runCommand: runShellCommand });
    return await runPipeline(config, {
      matrix: { client, transport: client.inferTransport(), controller, log: silentLogger, files: new Map(), signal: new AbortController().signal },
      store: createFileStore({ dir: config.store.path ?? '', history: config.store.history, log: silentLogger }),
      sinks: [],
      log: silentLogger,
      event: { name: event, isDefaultBranch: event === 'push', isTag: false },
      context: { source: { sha, event, ref: 'refs/heads/main' }, label: 'bench' },
      preferredShas: ['base'],
    });
  } finally {
    client.close();
  }
}

function observedDrop(result: PipelineResult): number {
  const deltas = result.comparison.cells.flatMap((c) => (c.delta === undefined ? [] : [c.delta]));
  return deltas.length === 0 ? 0 : median(deltas);
}

async function main(): Promise<void> {
  const baselineRuns = Number(flags['baseline-runs']);
  const runs = Number(flags.runs);
  const slowdowns = String(flags['slowdowns-us']).split(',').map(Number);
  await ensureTritonInstalled();
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const dir = await mkdtemp(join(tmpdir(), 'ttg-gate-'));
  const raw = rawInputs(dir, triton.grpcUrl);
  const started = performance.now();
  try {
    process.stdout.write(`gate quality on ${triton.grpcUrl}: matrix max-batch ${raw['max-batch']} × users ${raw.users}, ${raw.trials} trials × ${raw.requests} requests; ${baselineRuns} baseline runs pooled; ${runs} runs per scenario\n`);
    for (let i = 0; i < baselineRuns; i++) await pipelineRun(raw, 'push', 'base');
    process.stdout.write(`scenario                      | gate failed | rate   | median Δdps observed | run s\n`);
    for (const sleepUs of [0, ...slowdowns]) {
      await setSlowdown(triton, sleepUs);
      let failed = 0;
      const drops: number[] = [];
      const t0 = performance.now();
      for (let i = 0; i < runs; i++) {
        const result = await pipelineRun(raw, 'pull_request', `pr-${sleepUs}-${i}`);
        if (result.gate.shouldFail) failed++;
        drops.push(observedDrop(result));
      }
      const label = sleepUs === 0 ? 'A/A (no change): false alarms' : `+${sleepUs} µs per batch: detected`;
      const perRun = (performance.now() - t0) / 1000 / runs;
      process.stdout.write(`${label.padEnd(29)} | ${`${failed}/${runs}`.padStart(11)} | ${((100 * failed) / runs).toFixed(0).padStart(5)}% | ${(median(drops) * 100).toFixed(1).padStart(19)}% | ${perRun.toFixed(0).padStart(5)}\n`);
    }
    process.stdout.write(`total ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await triton.stop();
  }
}

await main();
