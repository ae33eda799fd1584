/**
 * `npm run bench:gate` (docs/gate-quality.md): how often the whole-matrix gate fails
 * when nothing changed (A/A) and when the demo model is really slower, on the real CPU Triton,
 * through the same pipeline the Action runs (comparison, confirmation re-run, gate).
 *
 * As a repository uses it: one stored run per default-branch push, a PR compared with the run of
 * its merge-base plus the stored history (which gives the run-to-run noise).
 * 1. H pushes with no change fill the history of a temporary file store.
 * 2. K rounds, each: a push (saved), then one PR run per scenario (no change, then the model's
 *    `slowdown_us` knob at each level) compared with that push; the gate's decision is counted.
 *    Scenarios take turns within a round, so this VM's drift over minutes hits them alike.
 * The knob (`slowdown_us`: a wait per executed batch, i.e. slower accelerator work) is written
 * into the server's own repository copy, so reloads and restores keep it. What a given wait
 * does to dps depends on the cell (batched cells pay it once per batch), so the median dps
 * change it caused is measured and printed next to each rate.
 * Flags: --history-runs H (5), --runs K (20), --slowdowns-us 80,40 (µs per batch), and any
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
    'history-runs': { type: 'string', default: '5' },
    runs: { type: 'string', default: '20' },
    'slowdowns-us': { type: 'string', default: '80,40' },
  },
});
const MATRIX_DEFAULTS: RawInputs = {
  model: 'demo_onnx',
  'max-batch': '8,32',
  users: '1,2,4,8',
  requests: '480',
  trials: '5',
  'baseline-store': 'file',
};

/** Matrix and gate inputs given on the command line (`--requests 480` ...) override the defaults. */
function rawInputs(dir: string, address: string): RawInputs {
  const raw: Record<string, string> = { ...MATRIX_DEFAULTS, 'server-url': address, 'baseline-path': dir };
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length - 1; i++) {
    const name = args[i]?.replace(/^--/, '') ?? '';
    if (
      name in MATRIX_DEFAULTS ||
      ['alpha', 'min-effect', 'max-cv', 'max-reruns', 'confirm', 'warmup-requests'].includes(name)
    )
      raw[name] = args[i + 1] ?? '';
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

async function pipelineRun(
  raw: RawInputs,
  event: 'push' | 'pull_request',
  sha: string,
  preferredShas: readonly string[],
): Promise<PipelineResult> {
  const config = parseConfig({ ...raw, 'save-baseline': event === 'push' ? 'always' : 'never' });
  const client = new TritonClient({ address: config.server.address, isTls: false });
  try {
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({
      client,
      config,
      log: silentLogger,
      runCommand: runShellCommand,
    });
    return await runPipeline(config, {
      matrix: {
        client,
        transport: client.inferTransport(),
        controller,
        log: silentLogger,
        files: new Map(),
        signal: new AbortController().signal,
      },
      store: createFileStore({ dir: config.store.path ?? '', history: config.store.history, log: silentLogger }),
      sinks: [],
      log: silentLogger,
      event: { name: event, isDefaultBranch: event === 'push', isTag: false },
      context: { source: { sha, event, ref: 'refs/heads/main' }, label: 'bench' },
      preferredShas,
    });
  } finally {
    client.close();
  }
}

function observedDrop(result: PipelineResult): number {
  const deltas = result.comparison.cells.flatMap((c) => (c.delta === undefined ? [] : [c.delta]));
  return deltas.length === 0 ? 0 : median(deltas);
}

interface Tally {
  failed: number;
  readonly drops: number[];
  readonly verdicts: Map<string, number>;
  readonly thresholds: number[];
  seconds: number;
}

function tallyRun(tally: Tally, result: PipelineResult): void {
  if (result.gate.shouldFail) tally.failed++;
  tally.drops.push(observedDrop(result));
  for (const cell of result.comparison.cells) {
    tally.verdicts.set(cell.verdict, (tally.verdicts.get(cell.verdict) ?? 0) + 1);
    if (cell.threshold !== undefined) tally.thresholds.push(cell.threshold);
  }
}

async function main(): Promise<void> {
  const historyRuns = Number(flags['history-runs']);
  const runs = Number(flags.runs);
  const slowdowns = String(flags['slowdowns-us']).split(',').map(Number);
  const scenarios = [0, ...slowdowns];
  await ensureTritonInstalled();
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const dir = await mkdtemp(join(tmpdir(), 'ttg-gate-'));
  const raw = rawInputs(dir, triton.grpcUrl);
  const started = performance.now();
  const tallies = new Map<number, Tally>(
    scenarios.map((us) => [us, { failed: 0, drops: [], verdicts: new Map(), thresholds: [], seconds: 0 }]),
  );
  try {
    process.stdout.write(
      `gate quality on ${triton.grpcUrl}: matrix max-batch ${raw['max-batch']} × users ${raw.users}, ${raw.trials} trials × ${raw.requests} requests; ` +
        `${historyRuns} history pushes, then ${runs} rounds of (push, ${scenarios.length} PR runs in turn)\n`,
    );
    let current = -1;
    const slowdown = async (us: number): Promise<void> => {
      if (us !== current) await setSlowdown(triton, us);
      current = us;
    };
    await slowdown(0);
    for (let i = 0; i < historyRuns; i++) await pipelineRun(raw, 'push', `history-${i}`, []);
    for (let round = 0; round < runs; round++) {
      // Each round's PRs compare with a push measured just before them, as a PR compares with
      // its merge-base; scenarios take turns so the VM's drift over minutes hits all alike.
      await slowdown(0);
      await pipelineRun(raw, 'push', `main-${round}`, []);
      for (const us of round % 2 === 0 ? scenarios : [...scenarios].reverse()) {
        await slowdown(us);
        const t0 = performance.now();
        const tally = tallies.get(us) as Tally;
        tallyRun(tally, await pipelineRun(raw, 'pull_request', `pr-${us}-${round}`, [`main-${round}`]));
        tally.seconds += (performance.now() - t0) / 1000;
      }
      process.stderr.write(
        `round ${round + 1}/${runs} done, ${((performance.now() - started) / 60_000).toFixed(1)} min\n`,
      );
    }
    process.stdout.write(`scenario                      | gate failed | rate   | median Δdps observed | run s\n`);
    for (const us of scenarios) {
      const tally = tallies.get(us) as Tally;
      const label = us === 0 ? 'A/A (no change): false alarms' : `+${us} µs per batch: detected`;
      process.stdout.write(
        `${label.padEnd(29)} | ${`${tally.failed}/${runs}`.padStart(11)} | ${((100 * tally.failed) / runs).toFixed(0).padStart(5)}% | ` +
          `${(median(tally.drops) * 100).toFixed(1).padStart(19)}% | ${(tally.seconds / runs).toFixed(0).padStart(5)}\n`,
      );
      // Why runs passed or failed: the cells' verdicts, the effect they had to exceed, the spread.
      const verdicts = [...tally.verdicts].map(([verdict, count]) => `${verdict} ${count}`).join(', ');
      const threshold = tally.thresholds.length === 0 ? 'none' : `${(median(tally.thresholds) * 100).toFixed(1)}%`;
      const spread = `${(Math.min(...tally.drops) * 100).toFixed(1)}% .. ${(Math.max(...tally.drops) * 100).toFixed(1)}%`;
      process.stdout.write(
        `${''.padEnd(29)} | cells: ${verdicts}; median threshold ${threshold}; Δdps of runs ${spread}\n`,
      );
    }
    process.stdout.write(`total ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await triton.stop();
  }
}

// `--paired` measures paired mode instead (bench/gate-paired.ts).
if (process.argv.includes('--paired')) await import('./gate-paired.js');
else await main();
