/**
 * `fixed`: the server as it is (users only). Nothing is changed, so nothing is restored; the
 * row's max_batch must be what the server reports, or the table would be mislabelled.
 */
import { verifyMaxBatch, type AppliedModelConfig, type ControllerDeps, type ModelController } from './model-controller.js';

/** Creates the `fixed` controller. */
export function createFixedController(deps: ControllerDeps): ModelController {
  const model = deps.config.matrix.model;
  return {
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      try {
        return { model, config: await verifyMaxBatch(deps.client, model, maxBatch, signal) };
      } catch (err: unknown) {
        const actual = (await deps.client.modelConfig(model, '', { signal })).maxBatchSize;
        throw new Error(`batch-strategy fixed: model '${model}' is served with max_batch_size ${actual}, not ${maxBatch}; set max-batch to ${actual}`, { cause: err });
      }
    },
    restore: () => Promise.resolve(),
  };
}
