/**
 * The model-state journal against a real CPU Triton (docs/reliability.md, "Model-state
 * journal"; the full sweep is `npm run bench:faults`): the CLI as its own process, `reload`
 * over max_batch 8 and 16. SIGINT while the first row's model is being loaded (it used to be
 * left unloaded), SIGHUP while a row is measured (it used to kill the run with no restore), and
 * a model served with a runtime config override before the run (it used to come back at its
 * file config). After each: exit 1 (or 0 for the undisturbed run), the verdict line last, and
 * the model served exactly as before, field by field.
 */
import { create } from '@bufbuild/protobuf';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../../scripts/triton/triton-server.js';
import { configOverrideJson, overrideConfig } from '../../src/control/override-config.js';
import { isSameConfig } from '../../src/control/served-state.js';
import { ModelParameterSchema, type ModelConfig } from '../../src/gen/model_config_pb.js';
import { waitForModelReady } from '../../src/triton/inspect-model.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { baseEnv, REPO_ROOT, startEntry, type RunningProcess } from '../support/run-entry.js';
import { waitForMeasurement } from '../support/wait-for-measurement.js';

const MODEL = 'demo_onnx';
const RUN = ['--max-batch', '8,16', '--users', '1', '--requests', '600', '--trials', '3', '--max-reruns', '0'];

let triton: TritonProcess;
let client: TritonClient;

beforeAll(async () => {
  await ensureTritonInstalled();
  triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0, models: [MODEL] });
  client = new TritonClient({ address: triton.grpcUrl, isTls: false });
}, 180_000);

afterAll(async () => {
  client.close();
  await triton.stop();
}, 60_000);

function startRun(matrix: readonly string[] = RUN): { cli: RunningProcess; isRunning: () => boolean } {
  const args = ['run', '--server-url', triton.grpcUrl, '--model', MODEL, '--batch-strategy', 'reload'];
  const cli = startEntry('src/cli.ts', [...args, '--metrics-url', 'none', ...matrix], {
    cwd: REPO_ROOT,
    env: baseEnv(),
    timeoutMs: 120_000,
  });
  onTestFinished(() => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  });
  let isRunning = true;
  void cli.done.finally(() => (isRunning = false));
  return { cli, isRunning: () => isRunning };
}

/** Resolves when the model stops being served (the first row's unload, before its load). */
async function firstUnload(isRunning: () => boolean): Promise<void> {
  while (isRunning()) {
    if (!(await client.modelReady(MODEL, '', { timeoutMs: 1000 }).catch(() => false))) return;
    await sleep(10);
  }
  throw new Error('the CLI ended before it changed the model');
}

async function expectAsBefore(before: ModelConfig): Promise<void> {
  await waitForModelReady(client, MODEL, { timeoutMs: 30_000 });
  const after = await client.modelConfig(MODEL);
  expect(after.parameters['ttg_lease']).toBeUndefined();
  expect(isSameConfig(after, before)).toBe(true);
}

describe('the journal restores on every signal, on a real Triton', { retry: 1 }, () => {
  it('SIGINT during the first row’s load: exit 1, cancelled, the model served as before', async () => {
    const before = await client.modelConfig(MODEL);
    const { cli, isRunning } = startRun();
    await firstUnload(isRunning);
    await sleep(300);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.isTimedOut, `${result.stdout}\n${result.stderr}`).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: cancelled');
    expect(result.stderr).toMatch(new RegExp(`model '${MODEL}' on .*: restored \\(served at max_batch_size 64`));
    await expectAsBefore(before);
  }, 150_000);

  it('SIGHUP (a closed terminal) while a row is measured: restored like Ctrl-C', async () => {
    const before = await client.modelConfig(MODEL);
    const { cli, isRunning } = startRun();
    await waitForMeasurement(client, { model: MODEL, maxBatch: 8, requests: 100 }, isRunning);
    cli.child.kill('SIGHUP');
    const result = await cli.done;
    expect(result.signal, `${result.stdout}\n${result.stderr}`).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('SIGHUP: the run was interrupted');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: cancelled');
    await expectAsBefore(before);
  }, 150_000);

  it('a runtime config override before the run is what the model is served with after it', async () => {
    const file = await client.modelConfig(MODEL);
    const override = overrideConfig(file, { maxBatch: 32, originalMaxBatch: file.maxBatchSize });
    override.parameters['slowdown_us'] = create(ModelParameterSchema, { stringValue: '7' });
    await client.repositoryModelUnload(MODEL);
    await client.repositoryModelLoad(MODEL, configOverrideJson(override), { timeoutMs: 60_000 });
    await waitForModelReady(client, MODEL, { timeoutMs: 60_000 });
    const before = await client.modelConfig(MODEL);
    onTestFinished(async () => {
      // Back to the file config for the other tests.
      await client.repositoryModelUnload(MODEL);
      await sleep(1500);
      await client.repositoryModelLoad(MODEL, undefined, { timeoutMs: 60_000 });
      await waitForModelReady(client, MODEL, { timeoutMs: 60_000 });
    });
    const { cli } = startRun(['--max-batch', '8', '--users', '1', '--requests', '96', '--trials', '3']);
    const result = await cli.done;
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/^model state: model 'demo_onnx' on .*: restored \(served at max_batch_size 32/m);
    await expectAsBefore(before);
    expect((await client.modelConfig(MODEL)).parameters['slowdown_us']?.stringValue).toBe('7');
  }, 150_000);
});
