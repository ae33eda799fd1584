/**
 * A server that dies mid-run fails the run (issue 13; docs/reliability.md): the CLI as its own
 * process against a dedicated real CPU Triton, `reload` over max_batch 8, 16 and 32, and the
 * server killed with SIGKILL once max_batch 8 has answered measured requests. The CLI must exit
 * 1 on its own, with verdict `failure` in its output, soon after the kill (the time is printed,
 * not asserted: tests never assert on timings; the safety timeout only catches a hang). The
 * server is this file's own, not the project's shared one: the test kills it.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../../scripts/triton/triton-server.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { baseEnv, REPO_ROOT, startEntry } from '../support/run-entry.js';
import { waitForMeasurement } from '../support/wait-for-measurement.js';

const MATRIX = [
  '--max-batch',
  '8,16,32',
  '--users',
  '1,4',
  '--requests',
  '4000',
  '--trials',
  '5',
  '--warmup-requests',
  '16',
  '--max-reruns',
  '0',
];

let triton: TritonProcess;
let client: TritonClient;

beforeAll(async () => {
  await ensureTritonInstalled();
  triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  client = new TritonClient({ address: triton.grpcUrl, isTls: false });
}, 180_000);

afterAll(async () => {
  client.close();
  await triton.stop();
}, 60_000);

describe('a server killed mid-run', () => {
  it('fails the run: exit 1, verdict failure, the cells named', async () => {
    const cli = startEntry(
      'src/cli.ts',
      [
        'run',
        '--server-url',
        triton.grpcUrl,
        '--metrics-url',
        `${triton.metricsUrl}/metrics`,
        '--model',
        'demo_onnx',
        '--batch-strategy',
        'reload',
        ...MATRIX,
      ],
      { cwd: REPO_ROOT, env: baseEnv(), timeoutMs: 90_000 },
    );
    onTestFinished(() => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    });
    let isRunning = true;
    void cli.done.finally(() => (isRunning = false));
    await waitForMeasurement(client, { model: 'demo_onnx', maxBatch: 8, requests: 200 }, () => isRunning);
    const killedAt = performance.now();
    process.kill(triton.pid, 'SIGKILL');
    const result = await cli.done;
    const seconds = (performance.now() - killedAt) / 1000;
    process.stdout.write(
      `server-killed: the CLI exited ${seconds.toFixed(1)} s after SIGKILL of Triton (exit ${String(result.exitCode)})\n`,
    );

    expect(result.isTimedOut, `${result.stdout}\n${result.stderr}`).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^verdict: failure$/m);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/the server stopped answering/);
  }, 150_000);
});
