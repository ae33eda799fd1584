/**
 * `models`: one model per row, named by a template such as `resnet_mb{max_batch}` (for
 * servers that keep a model per engine profile, or models that cannot be reloaded). A model
 * that is not loaded is loaded for its row and unloaded again when the run moves on, so the
 * server ends as it started.
 */
import { waitForModelReady } from '../triton/inspect-model.js';
import { journalOf, restoreThroughJournal, unloadFix } from './controller-journal.js';
import { describeModelState } from './describe-model-state.js';
import {
  verifyMaxBatch,
  type AppliedModelConfig,
  type ControllerDeps,
  type ModelController,
} from './model-controller.js';
import { returnToState } from './served-state.js';

/** The model name of a row. */
export function modelForRow(template: string, maxBatch: number): string {
  return template.replaceAll('{max_batch}', String(maxBatch));
}

/** Creates the `models` controller. */
export function createModelsController(deps: ControllerDeps): ModelController {
  const { client, config, log } = deps;
  const template = config.control.modelTemplate ?? '';
  const timeoutMs = config.server.loadTimeoutMs;
  const journal = journalOf(deps);
  let loadedByUs: string | undefined;

  /** Unloads the previous row's model when this run loaded it (a model that never loaded is left as is). */
  const releaseLoaded = async (): Promise<void> => {
    if (loadedByUs === undefined) return;
    const model = loadedByUs;
    loadedByUs = undefined;
    await restoreThroughJournal(journal, client.address, model);
  };

  return {
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      await releaseLoaded();
      const model = modelForRow(template, maxBatch);
      let isReady = false;
      try {
        isReady = await client.modelReady(model, '', { signal });
      } catch {
        // Unknown or unloaded: try to load it below; Triton's load error says which.
      }
      if (!isReady) {
        log.info(`loading '${model}' for max_batch ${maxBatch}`);
        journal.record({
          model,
          server: client.address,
          client,
          before: 'not served',
          restore: (signal) =>
            returnToState({ client, model, loadTimeoutMs: timeoutMs, isInIndex: true }, { kind: 'not-served' }, signal),
          describeNow: () => describeModelState(client, model),
          fix: unloadFix(model, client.address),
        });
        journal.willChange(client.address, model);
        loadedByUs = model;
        await client.repositoryModelLoad(model, undefined, { timeoutMs, signal });
        await waitForModelReady(client, model, { timeoutMs, signal });
      }
      return { model, config: await verifyMaxBatch(client, model, maxBatch, signal) };
    },
    restore: releaseLoaded,
  };
}
