/**
 * The zero-config base against the real CPU Triton (docs/paired.md, "Zero-config base"): a
 * scratch git repository holds the demo model at a base commit and a broken copy at HEAD (its
 * backend renamed to one Triton lacks), so only a base read at the base commit can load. The run loads it as
 * `demo_onnx__base` with file overrides (a python-backend model: config, model.py,
 * model_params.py, model.onnx and weights.json all travel in the request), measures it on the
 * base side at each row's max_batch, and unloads it at the end, also when the run is
 * cancelled and when the load fails. Small and short: max_batch 8, users 1 and 4, 3 rounds of
 * 96-request trials; no statistical assertion (the A/A verdict is paired.test.ts's job).
 * Its own server: the failed load of the last case stays in Triton's model states and makes
 * the server report not ready (strict readiness), which later files on a shared server saw.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTriton, type TritonProcess } from '../../scripts/triton/triton-server.js';
import { readZeroConfigBase } from '../../src/compose/read-zero-config-base.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import { createGitRunner } from '../../src/control/run-git.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import { silentLogger } from '../../src/logger.js';
import { createBaseSide } from '../../src/matrix/create-base-side.js';
import { runMatrix } from '../../src/matrix/run-matrix.js';
import type { RunResult } from '../../src/model/run-result.js';
import { evaluateRun } from '../../src/pipeline.js';
import { TritonClient } from '../../src/triton/triton-client.js';

const RAW = {
  model: 'demo_onnx',
  'model-repository': 'models',
  'max-batch': '8',
  users: '1,4',
  requests: '96',
  'warmup-requests': '16',
  'min-rounds': '3',
  'max-rounds': '3',
  'baseline-store': 'none',
};

let checkout: string;
let client: TritonClient;
let triton: TritonProcess;

function git(...args: string[]): void {
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd: checkout, stdio: 'pipe' },
  );
}

beforeAll(async () => {
  triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  checkout = await mkdtemp(join(tmpdir(), 'ttg-zero-config-'));
  await cp(join(triton.repoDir, 'demo_onnx'), join(checkout, 'models', 'demo_onnx'), { recursive: true });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  // A backend Triton does not have fails the load at once (a python model without model.py
  // would instead hang the load in Triton 2.51: its stub never answers).
  const configFile = join(checkout, 'models', 'demo_onnx', 'config.pbtxt');
  await writeFile(
    configFile,
    (await readFile(configFile, 'utf8')).replace('backend: "python"', 'backend: "no_such_backend"'),
  );
  git('commit', '-q', '-am', 'head: the model no longer loads');
  client = new TritonClient({ address: triton.grpcUrl, isTls: false });
}, 180_000);

afterAll(async () => {
  client.close();
  await triton.stop();
  await rm(checkout, { recursive: true, force: true });
});

async function zeroConfigRun(
  raw: Readonly<Record<string, string>>,
  signal = new AbortController().signal,
): Promise<RunResult> {
  const config = parseConfig({ ...RAW, ...raw, 'server-url': triton.grpcUrl });
  const snapshot = await readZeroConfigBase(config, {
    git: createGitRunner(checkout),
    cwd: checkout,
    log: silentLogger,
    preferredShas: [],
  });
  const transport = client.inferTransport();
  const base = createBaseSide(config, { client, transport }, silentLogger, runShellCommand, snapshot);
  const controller = CONTROLLER_FACTORIES.reload({ client, config, log: silentLogger, runCommand: runShellCommand });
  return runMatrix(
    config,
    {
      client,
      transport,
      controller,
      log: silentLogger,
      files: new Map(),
      signal,
      ...(base === undefined ? {} : { base: base.deps }),
    },
    { source: { event: 'test' }, label: 'ci' },
  );
}

/** ModelReady, with Triton's "unknown model" error as not ready (the index never lists a base loaded from files). */
async function isReady(model: string): Promise<boolean> {
  return client.modelReady(model).catch(() => false);
}

describe('zero-config base on the real Triton', () => {
  it('loads the base commit as demo_onnx__base, measures it beside the head, and unloads it', async () => {
    const abort = new AbortController();
    const running = zeroConfigRun({ 'baseline-ref': 'HEAD~1' }, abort.signal);
    let wasServed = false;
    for (let i = 0; i < 600 && !wasServed; i += 1) {
      wasServed = await isReady('demo_onnx__base');
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await running;
    expect(wasServed).toBe(true);
    expect(run.base?.model).toBe('demo_onnx__base');
    expect(run.notes).toEqual([]);
    for (const cells of [run.cells, run.base?.cells ?? []]) {
      expect(cells.map((c) => `${c.maxBatch}x${c.users}`)).toEqual(['8x1', '8x4']);
      for (const cell of cells) {
        expect(cell.trials).toHaveLength(3);
        expect(cell.trials.every((t) => t.errors === 0 && t.dps > 0)).toBe(true);
      }
    }
    const { comparison } = evaluateRun(
      run,
      { runs: [], selectedBy: 'none', history: [], notes: [] },
      parseConfig({ ...RAW, 'baseline-ref': 'HEAD~1' }),
    );
    expect(comparison.paired?.cells).toHaveLength(2);
    expect(await isReady('demo_onnx__base')).toBe(false);
    expect((await client.modelConfig('demo_onnx')).maxBatchSize).toBe(64);
  }, 180_000);

  it('unloads the base when the run is cancelled mid-measurement', async () => {
    const abort = new AbortController();
    const running = zeroConfigRun(
      { 'baseline-ref': 'HEAD~1', requests: '960', 'min-rounds': '5', 'max-rounds': '5' },
      abort.signal,
    );
    // Cancel once the base is serving requests, as SIGINT would (control/interrupt.ts aborts the same signal).
    for (let i = 0; i < 600 && !(await isReady('demo_onnx__base')); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    abort.abort(new Error('cancelled by the test'));
    const run = await running;
    expect(run.isComplete).toBe(false);
    expect(await isReady('demo_onnx__base')).toBe(false);
    // A load the cancel interrupted must not finish later and leave the base loaded.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await isReady('demo_onnx__base')).toBe(false);
  }, 180_000);

  it('a base Triton cannot load fails the run naming the model and the commit, and leaves nothing loaded', async () => {
    const failure = await zeroConfigRun({ 'baseline-ref': 'HEAD' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    // The whole text on failure: what Triton answered is the point of this test.
    expect(failure, String(failure)).toBeInstanceOf(Error);
    expect(String(failure)).toMatch(
      /loading the base 'demo_onnx__base' from 'models\/demo_onnx' at HEAD \([0-9a-f]{7}\)/,
    );
    expect(String(failure)).toMatch(/no_such_backend/);
    expect(await isReady('demo_onnx__base')).toBe(false);
  }, 180_000);
});
