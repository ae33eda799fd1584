/**
 * `reload`: unload the model and load it again with Triton's `config` override carrying the
 * row's max_batch (the Model Analyzer "remote mode" method). The server must run with
 * `--model-control-mode=explicit`. `restore()` unloads and loads without override, which
 * brings back config.pbtxt from disk (a plain load after an override does not: measured on
 * Triton 2.51, docs/real-triton.md).
 */
import type { ModelConfig } from '../gen/model_config_pb.js';
import { waitForModelReady } from '../triton/inspect-model.js';
import { configOverrideJson, overrideConfig } from './override-config.js';
import { verifyMaxBatch, type AppliedModelConfig, type ControllerDeps, type ModelController } from './model-controller.js';
import { unloadAndWait } from './wait-for-unload.js';

/** Creates the `reload` controller. */
export function createReloadController(deps: ControllerDeps): ModelController {
  const { client, config, log } = deps;
  const model = config.matrix.model;
  const loadTimeoutMs = config.server.loadTimeoutMs;
  let original: ModelConfig | undefined;
  let isChanged = false;

  const loadWithConfig = async (configJson: string | undefined, signal: AbortSignal): Promise<void> => {
    await unloadAndWait(client, model, loadTimeoutMs, signal);
    isChanged = true;
    // RepositoryModelLoad blocks until the load finished or failed, so it gets the load deadline.
    await client.repositoryModelLoad(model, configJson, { timeoutMs: loadTimeoutMs, signal });
    await waitForModelReady(client, model, { timeoutMs: loadTimeoutMs, signal });
  };

  return {
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      original ??= await client.modelConfig(model, '', { signal });
      const next = overrideConfig(original, {
        maxBatch,
        originalMaxBatch: original.maxBatchSize,
        ...(config.control.maxQueueDelayUs === undefined ? {} : { maxQueueDelayUs: config.control.maxQueueDelayUs }),
      });
      await loadWithConfig(configOverrideJson(next), signal);
      return { model, config: await verifyMaxBatch(client, model, maxBatch, signal) };
    },
    async restore(): Promise<void> {
      if (!isChanged || original === undefined) return;
      // Restoring must run even after an abort (SIGINT): it gets its own, fresh signal.
      const signal = AbortSignal.timeout(loadTimeoutMs * 2);
      await loadWithConfig(undefined, signal);
      const restored = await client.modelConfig(model, '', { signal });
      if (restored.maxBatchSize !== original.maxBatchSize) {
        log.warn(`restored '${model}' reports max_batch_size ${restored.maxBatchSize}, it was ${original.maxBatchSize} before the run`);
      }
      isChanged = false;
    },
  };
}
