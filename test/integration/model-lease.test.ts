/**
 * Two runs on one server and model, for real (issue 13, docs/reliability.md#lease): two CLI
 * processes with `batch-strategy reload` against a copy of demo_onnx of this file's own on the
 * shared CPU Triton (test/support/model-copy.ts), so no other file's load lands in its counts. The second
 * starts once the first holds the lease (its override carries `ttg_lease`). With time to wait it
 * waits and then runs; with `--lock-timeout-s 0` it fails at once, naming the holder. Neither
 * reports a cell measured while the other had the model, and afterwards the model is at its
 * file config (max_batch_size 64, no lease).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { leaseOf } from '../../src/control/model-lease.js';
import type { RunResult } from '../../src/model/run-result.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';
import { baseEnv, REPO_ROOT, startEntry, type RunningProcess } from '../support/run-entry.js';

const address = sharedTriton().grpcUrl;
const client = new TritonClient({ address, isTls: false });
afterAll(() => {
  client.close();
});
const MODEL = 'demo_onnx_lease';
const RUN_TIMEOUT_MS = 120_000;
useModelCopies({ [MODEL]: {} });

/** Short rows; the first run's trials are longer so that the second surely starts while it holds the model. */
const MATRIX = [
  '--max-batch',
  '1,8',
  '--users',
  '1',
  '--trials',
  '3',
  '--warmup-requests',
  '8',
  '--max-reruns',
  '0',
  '--metrics-url',
  'none',
];

function startRun(outPath: string, extra: readonly string[]): RunningProcess {
  const run = startEntry(
    'src/cli.ts',
    [
      'run',
      '--server-url',
      address,
      '--model',
      MODEL,
      '--batch-strategy',
      'reload',
      '--out',
      outPath,
      ...MATRIX,
      ...extra,
    ],
    // Safety nets only (no assertion on timings): on a loaded 2-core machine one run took over 40 s.
    { cwd: REPO_ROOT, env: baseEnv(), timeoutMs: RUN_TIMEOUT_MS },
  );
  onTestFinished(() => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  return run;
}

/** Resolves once the model is served with a lease (the first run holds it). */
async function waitForLease(first: RunningProcess): Promise<void> {
  for (;;) {
    if (first.child.exitCode !== null)
      throw new Error(`the first run ended before it took the lease:\n${first.output().stderr}`);
    try {
      if (leaseOf(await client.modelConfig(MODEL, '', { timeoutMs: 2000 })) !== undefined) return;
    } catch {
      // Between unload and load: keep polling.
    }
    await sleep(50);
  }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ttg-lease-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function expectFileConfig(): Promise<void> {
  const live = await client.modelConfig(MODEL);
  expect(live.maxBatchSize).toBe(64);
  expect(leaseOf(live)).toBeUndefined();
  expect(await client.modelReady(MODEL)).toBe(true);
}

/** Every request the server answered during a cell came from this run (no other client's load). */
function expectOnlyOwnRequests(run: RunResult): void {
  for (const cell of run.cells) {
    // `noisy` is the shared 2-core machine's doing; a cell the other run disturbed would fail.
    expect(['ok', 'noisy'], JSON.stringify(cell)).toContain(cell.status);
    expect(cell.trials.every((t) => t.errors === 0)).toBe(true);
    // Triton's own count of the cell's measured requests (read once every reply is counted,
    // src/matrix/measure-trial.ts): exactly the ones this run sent; another run's would add hundreds.
    const sent = cell.trials.reduce((sum, t) => sum + t.requests, 0);
    expect(cell.server?.successCount, `max_batch ${cell.maxBatch}: counted vs sent`).toBe(sent);
  }
}

describe('two reload runs on one model', () => {
  it(
    'the second waits for the first, then runs; neither measures the other’s model',
    async () => {
      const dir = await tempDir();
      const first = startRun(join(dir, 'first.json'), ['--requests', '1000']);
      await waitForLease(first);
      const second = startRun(join(dir, 'second.json'), [
        '--requests',
        '48',
        '--lock-timeout-s',
        String(RUN_TIMEOUT_MS / 1000),
      ]);
      const [a, b] = await Promise.all([first.done, second.done]);

      expect(a.exitCode, a.stderr).toBe(0);
      expect(b.exitCode, b.stderr).toBe(0);
      expect(b.stderr).toMatch(
        new RegExp(
          `model '${MODEL}' on [\\d.:]+ is in use: run [0-9a-f]{8} \\(cli\\) on host .+, pid \\d+, holding it for \\d+ s, fresh for \\d+ s more; waiting`,
        ),
      );
      const runA = JSON.parse(await readFile(join(dir, 'first.json'), 'utf8')) as RunResult;
      const runB = JSON.parse(await readFile(join(dir, 'second.json'), 'utf8')) as RunResult;
      expectOnlyOwnRequests(runA);
      expectOnlyOwnRequests(runB);
      // The second run's "original" is the file config, not the first run's override.
      expect(runB.environment.configHash).toBe(runA.environment.configHash);
      expect(b.stderr).not.toMatch(/restored '.*' (reports|differs)/);
      await expectFileConfig();
    },
    2 * RUN_TIMEOUT_MS,
  );

  it(
    'with lock-timeout-s 0 the second fails at once, naming the holder; the first is undisturbed',
    async () => {
      const dir = await tempDir();
      const first = startRun(join(dir, 'first.json'), ['--requests', '1000']);
      await waitForLease(first);
      const second = startRun(join(dir, 'second.json'), ['--requests', '48', '--lock-timeout-s', '0']);
      const b = await second.done;
      expect(b.exitCode, b.stderr).toBe(1);
      expect(b.stderr).toMatch(
        new RegExp(
          `^LeaseBusyError: model '${MODEL}' on [\\d.:]+ is in use: run [0-9a-f]{8} \\(cli\\) on host .+, pid ${first.child.pid ?? 0}, holding it for \\d+ s, fresh for \\d+ s more; waited 0 s \\(lock-timeout-s 0\\)`,
          'm',
        ),
      );
      const a = await first.done;
      expect(a.exitCode, a.stderr).toBe(0);
      expectOnlyOwnRequests(JSON.parse(await readFile(join(dir, 'first.json'), 'utf8')) as RunResult);
      await expectFileConfig();
    },
    2 * RUN_TIMEOUT_MS,
  );
});
