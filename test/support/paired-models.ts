/**
 * Serves the demo model a second time under another name on a running test Triton (the A/A
 * base side of paired mode), and turns the demo model's slowdown knob on one side only.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withParameters } from '../../scripts/triton/triton-server-support.js';
import { startTriton, type TritonProcess } from '../../scripts/triton/triton-server.js';
import { waitForModelReady } from '../../src/triton/inspect-model.js';
import { TritonClient } from '../../src/triton/triton-client.js';

/** A Triton of its own serving the demo model twice: `demo_onnx` (head) and `demo_base` (base). */
export async function startPairedTriton(): Promise<TritonProcess> {
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  await serveDemoCopy(triton, 'demo_base');
  return triton;
}

/** Copies `demo_onnx` to `name` in the server's repository copy and loads it. */
export async function serveDemoCopy(triton: TritonProcess, name: string): Promise<void> {
  const source = join(triton.repoDir, 'demo_onnx');
  const target = join(triton.repoDir, name);
  await cp(source, target, { recursive: true });
  const configFile = join(target, 'config.pbtxt');
  const config = (await readFile(configFile, 'utf8')).replace(/^name: "demo_onnx"$/m, `name: "${name}"`);
  await writeFile(configFile, withParameters(config, { slowdown_pct: '0', slowdown_us: '0' }));
  await reload(triton, name);
}

/**
 * Sets `model`'s `slowdown_us` (a wait per executed batch, standing for slower accelerator
 * work; scripts/triton/models/common/model_params.py) and reloads it.
 */
export async function setSlowdownUs(triton: TritonProcess, model: string, microseconds: number): Promise<void> {
  const configFile = join(triton.repoDir, model, 'config.pbtxt');
  await writeFile(
    configFile,
    withParameters(await readFile(configFile, 'utf8'), { slowdown_us: String(microseconds) }),
  );
  await reload(triton, model);
}

async function reload(triton: TritonProcess, model: string): Promise<void> {
  const client = new TritonClient({ address: triton.grpcUrl, isTls: false });
  try {
    await client.repositoryModelLoad(model, undefined, { timeoutMs: 120_000 });
    await waitForModelReady(client, model, { timeoutMs: 60_000 });
  } finally {
    client.close();
  }
}
