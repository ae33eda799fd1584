/**
 * `models`: one model per row, named by a template such as `resnet_mb{max_batch}` (for
 * servers that keep a model per engine profile, or models that cannot be reloaded). A model
 * that is not loaded is loaded for its row and unloaded again when the run moves on, so the
 * server ends as it started.
 */
import { waitForModelReady } from '../triton/inspect-model.js';
import { TritonError } from '../triton/triton-error.js';
import {
  verifyMaxBatch,
  type AppliedModelConfig,
  type ControllerDeps,
  type ModelController,
} from './model-controller.js';
import { unloadAndWait } from './wait-for-unload.js';

/** The model name of a row. */
export function modelForRow(template: string, maxBatch: number): string {
  return template.replaceAll('{max_batch}', String(maxBatch));
}

/** Creates the `models` controller. */
export function createModelsController(deps: ControllerDeps): ModelController {
  const { client, config, log } = deps;
  const template = config.control.modelTemplate ?? '';
  const timeoutMs = config.server.loadTimeoutMs;
  let loadedByUs: string | undefined;

  const releaseLoaded = async (signal: AbortSignal): Promise<void> => {
    if (loadedByUs === undefined) return;
    const model = loadedByUs;
    loadedByUs = undefined;
    try {
      await unloadAndWait(client, model, timeoutMs, signal);
    } catch (err: unknown) {
      // A row whose model the repository does not have never loaded: nothing to unload, and
      // that must not fail the next, healthy row.
      if (!(err instanceof TritonError && err.status === 'NOT_FOUND')) throw err;
    }
  };

  return {
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      await releaseLoaded(signal);
      const model = modelForRow(template, maxBatch);
      let isReady = false;
      try {
        isReady = await client.modelReady(model, '', { signal });
      } catch {
        // Unknown or unloaded: try to load it below; Triton's load error says which.
      }
      if (!isReady) {
        log.info(`loading '${model}' for max_batch ${maxBatch}`);
        loadedByUs = model;
        await client.repositoryModelLoad(model, undefined, { timeoutMs, signal });
        await waitForModelReady(client, model, { timeoutMs, signal });
      }
      return { model, config: await verifyMaxBatch(client, model, maxBatch, signal) };
    },
    async restore(): Promise<void> {
      await releaseLoaded(AbortSignal.timeout(timeoutMs));
    },
  };
}
