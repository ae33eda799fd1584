/**
 * The integration projects' real Tritons (test/integration/global-setup.ts): one per worker, so
 * a file has its server to itself while it runs, and the files before and after it on the same
 * server see what it leaves behind. A file that reloads a model, changes its config or counts
 * its requests does so on copies of its own (model-copy.ts), added here before its tests and
 * removed after them, so the startup models (demo_onnx, identity) stay as every file expects
 * them (docs/architecture.md#tests).
 */
import { afterAll, beforeAll, inject } from 'vitest';
import type { TestTriton } from '../integration/global-setup.js';
import { addModelCopy, LOAD_TIMEOUT_MS, removeModelCopy, type ModelCopyOptions } from './model-copy.js';

/** The server of this file's worker (VITEST_POOL_ID, 1 to the project's maxWorkers). */
export function sharedTriton(): TestTriton {
  const servers = inject('tritonServers');
  const slot = Number(process.env['VITEST_POOL_ID'] ?? '1');
  const server = servers[(slot - 1) % servers.length];
  if (server === undefined) throw new Error('no integration server: run the file in an integration project');
  return server;
}

/**
 * Adds each copy (by its name, unique in the whole suite: `<source>_<file>`, e.g.
 * `demo_onnx_lease`) to this file's server before its tests and removes it after them.
 */
export function useModelCopies(copies: Readonly<Record<string, ModelCopyOptions>>): void {
  beforeAll(async () => {
    for (const [name, options] of Object.entries(copies)) await addModelCopy(sharedTriton(), name, options);
  }, LOAD_TIMEOUT_MS);
  afterAll(async () => {
    for (const name of Object.keys(copies)) await removeModelCopy(sharedTriton(), name);
  }, LOAD_TIMEOUT_MS);
}
