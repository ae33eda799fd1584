/**
 * The integration project's one real Triton (test/integration/global-setup.ts), shared by every
 * file, and models of a file's own on it (docs/architecture.md#tests). Files run in parallel:
 * the startup models (demo_onnx, identity) are only read and inferred on; a file that reloads a
 * model, changes its config, or counts its requests in ModelStatistics does so on its own copy,
 * so no other file changes what it measures and it changes nothing another file sees.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import {
  addModelCopy,
  LOAD_TIMEOUT_MS,
  removeModelCopy,
  type ModelCopyOptions,
  type TestServer,
} from './model-copy.js';

/** The project's shared server. */
export function sharedTriton(): TestServer {
  return { grpcUrl: inject('tritonUrl'), repoDir: inject('tritonRepoDir') };
}

/**
 * Adds each copy (by its name, unique in the whole suite: `<source>_<file>`, e.g.
 * `demo_onnx_lease`) to the shared server before this file's tests and removes it after them.
 */
export function useModelCopies(copies: Readonly<Record<string, ModelCopyOptions>>): void {
  beforeAll(async () => {
    for (const [name, options] of Object.entries(copies)) await addModelCopy(sharedTriton(), name, options);
  }, LOAD_TIMEOUT_MS);
  afterAll(async () => {
    for (const name of Object.keys(copies)) await removeModelCopy(sharedTriton(), name);
  }, LOAD_TIMEOUT_MS);
}
