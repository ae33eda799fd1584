/**
 * `fixed`: the server as it is (users only). Nothing is changed, so nothing is restored; the
 * row's max_batch must be what the server reports, or the table would be mislabelled. While
 * another run holds the model (docs/reliability.md#lease) it is not "as it is": wait for it.
 */
import { createLeaseKeeper } from './lease-keeper.js';
import {
  verifyMaxBatch,
  type AppliedModelConfig,
  type ControllerDeps,
  type ModelController,
} from './model-controller.js';

/** Creates the `fixed` controller. */
export function createFixedController(deps: ControllerDeps): ModelController {
  const model = deps.config.matrix.model;
  const lease = createLeaseKeeper({
    client: deps.client,
    model,
    lockTimeoutMs: deps.config.control.lockTimeoutMs,
    loadTimeoutMs: deps.config.server.loadTimeoutMs,
    log: deps.log,
  });
  const acquire = async (signal: AbortSignal): Promise<void> => {
    await lease.waitForTurn(signal);
  };
  return {
    acquire,
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      await acquire(signal);
      try {
        return { model, config: await verifyMaxBatch(deps.client, model, maxBatch, signal) };
      } catch (err: unknown) {
        const actual = (await deps.client.modelConfig(model, '', { signal })).maxBatchSize;
        throw new Error(
          `batch-strategy fixed: model '${model}' is served with max_batch_size ${actual}, not ${maxBatch}; set max-batch to ${actual}`,
          { cause: err },
        );
      }
    },
    restore: () => Promise.resolve(),
  };
}
