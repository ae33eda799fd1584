/**
 * Models of their own on a running test Triton (docs/architecture.md#tests): a copy of one of
 * the repository's models (scripts/triton/make_repo.py) under a new name, written into the
 * server's own repository copy, loaded, and removed again; and the slowdown knobs of a model.
 * Integration files use them through test/support/shared-triton.ts; the benchmarks directly.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withParameters } from '../../scripts/triton/triton-server-support.js';
import { waitForModelReady } from '../../src/triton/inspect-model.js';
import { TritonClient } from '../../src/triton/triton-client.js';

/** What a copy needs of its server: a `startTriton` result or the shared server. */
export interface TestServer {
  /** `host:port` of the gRPC endpoint. */
  readonly grpcUrl: string;
  /** The server's own repository copy (writable). */
  readonly repoDir: string;
}

/** How a copy differs from its source. */
export interface ModelCopyOptions {
  /** The repository model copied. Default 'demo_onnx'. */
  readonly from?: string;
  /** Config `parameters` (scripts/triton/models/common/model_params.py: slowdown_us, max_batch_limit, ...). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Default true; false leaves it in the repository, unloaded (for the `models` strategy). */
  readonly isLoaded?: boolean;
}

/** Time a model load may take on a busy 2-core machine (python backend stub plus onnxruntime). */
export const LOAD_TIMEOUT_MS = 120_000;

/**
 * Copies model `options.from` to `name` in the server's repository and loads it. Fails when
 * `name` exists already: two files picked the same name.
 */
export async function addModelCopy(server: TestServer, name: string, options: ModelCopyOptions = {}): Promise<void> {
  const target = join(server.repoDir, name);
  await cp(join(server.repoDir, options.from ?? 'demo_onnx'), target, {
    recursive: true,
    errorOnExist: true,
    force: false,
  });
  const configFile = join(target, 'config.pbtxt');
  const config = (await readFile(configFile, 'utf8')).replace(/^name: ".*"$/m, `name: "${name}"`);
  await writeFile(configFile, withParameters(config, options.parameters ?? {}));
  if (options.isLoaded ?? true) await loadFromDisk(server, name);
}

/** Unloads the copy `name` (if loaded) and deletes it from the repository. */
export async function removeModelCopy(server: TestServer, name: string): Promise<void> {
  await withClient(server, (client) => client.repositoryModelUnload(name).catch(() => undefined));
  await rm(join(server.repoDir, name), { recursive: true, force: true });
}

/**
 * Sets config `parameters` of `model` in the server's repository (e.g. `slowdown_us`, a wait
 * per executed batch standing for slower accelerator work) and reloads it from disk.
 */
export async function setModelParameters(
  server: TestServer,
  model: string,
  parameters: Readonly<Record<string, string>>,
): Promise<void> {
  const configFile = join(server.repoDir, model, 'config.pbtxt');
  await writeFile(configFile, withParameters(await readFile(configFile, 'utf8'), parameters));
  await loadFromDisk(server, model);
}

async function loadFromDisk(server: TestServer, model: string): Promise<void> {
  await withClient(server, async (client) => {
    await client.repositoryModelLoad(model, undefined, { timeoutMs: LOAD_TIMEOUT_MS });
    await waitForModelReady(client, model, { timeoutMs: 60_000 });
  });
}

async function withClient<T>(server: TestServer, use: (client: TritonClient) => Promise<T>): Promise<T> {
  const client = new TritonClient({ address: server.grpcUrl, isTls: false });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}
