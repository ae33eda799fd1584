/**
 * The controller of the zero-config base (docs/paired.md, "Zero-config base"): the model read
 * from git (read-base-model.ts) is loaded as `<model>__base` with its config and files in the
 * request. `load()` serves it before the first row; with `reload` every row loads it again at
 * the row's max_batch (the files travel again: the server has no copy of them); with `fixed` it
 * stays as the base commit's config says. `restore()` unloads it through the run's model-state
 * journal (model-journal.ts): the run leaves nothing behind, also after an abort.
 */
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import { waitForModelReady } from '../triton/inspect-model.js';
import type { TritonClient } from '../triton/triton-client.js';
import { TritonError } from '../triton/triton-error.js';
import { verifyMaxBatch, type AppliedModelConfig, type ModelController } from './model-controller.js';
import { createModelJournal, type ModelJournal } from './model-journal.js';
import { restoreThroughJournal, unloadFix } from './controller-journal.js';
import { waitWhileLive } from './wait-while-live.js';
import { configOverrideJson, overrideConfig } from './override-config.js';
import type { BaseModelSnapshot } from './read-base-model.js';
import {
  describeServedState,
  readServedState,
  returnToState,
  unloadUntilGone,
  type StateTarget,
} from './served-state.js';

/** What the base controller needs. */
export interface BaseModelControllerOptions {
  readonly client: TritonClient;
  readonly snapshot: BaseModelSnapshot;
  /** `reload` loads each row's max_batch; `fixed` keeps the base commit's config. */
  readonly strategy: 'reload' | 'fixed';
  readonly loadTimeoutMs: number;
  /** `max-queue-delay-us`, applied like the head's reload controller does. */
  readonly maxQueueDelayUs?: number;
  readonly log: Logger;
  /** The run's model-state journal; absent: a journal of its own. */
  readonly journal?: ModelJournal;
}

/** The base controller, plus the load that serves the base before the first row. */
export interface BaseModelController extends ModelController {
  /** Loads the base commit's config as is; rejects with Triton's reason, naming model and commit. */
  load(signal: AbortSignal): Promise<void>;
}

const EXPLICIT_MODE_HINT =
  'the zero-config base is loaded through RepositoryModelLoad with file overrides, which needs a server started with --model-control-mode=explicit';

/** Creates the controller of `snapshot.name`. */
export function createBaseModelController(options: BaseModelControllerOptions): BaseModelController {
  const { client, snapshot, loadTimeoutMs } = options;
  const name = snapshot.name;
  const journal = options.journal ?? createModelJournal({ log: options.log, budgetMs: 2 * loadTimeoutMs });
  const target: StateTarget = { client, model: name, loadTimeoutMs, isInIndex: false };
  let isRecorded = false;

  /** Before the first load: `<model>__base` is the run's own, so whatever it was, the restore unloads it. */
  const recordBefore = async (signal: AbortSignal): Promise<void> => {
    if (isRecorded) return;
    const before = await readServedState(target, signal);
    journal.record({
      model: name,
      server: client.address,
      client,
      before: before.kind === 'served' ? `${describeServedState(before)} (left by an earlier run)` : 'not served',
      restore: (restoreSignal) => returnToState(target, { kind: 'not-served' }, restoreSignal),
      describeNow: () => describeBaseState(client, name),
      fix: unloadFix(name, client.address),
    });
    isRecorded = true;
  };

  const loadAt = async (maxBatch: number | undefined, signal: AbortSignal): Promise<void> => {
    const config =
      maxBatch === undefined
        ? snapshot.config
        : overrideConfig(snapshot.config, {
            maxBatch,
            originalMaxBatch: snapshot.config.maxBatchSize,
            ...(options.maxQueueDelayUs === undefined ? {} : { maxQueueDelayUs: options.maxQueueDelayUs }),
          });
    await recordBefore(signal);
    journal.willChange(client.address, name);
    try {
      // Not cancelled by `signal`: Triton goes on loading after a cancelled call, and an unload
      // sent meanwhile would leave the base loaded once that load ends. An abort waits for it,
      // unless the server stops answering (wait-while-live.ts).
      const load = client.repositoryModelLoadFiles(
        name,
        { configJson: configOverrideJson(config), files: snapshot.files },
        { timeoutMs: loadTimeoutMs },
      );
      await waitWhileLive(load, client, signal);
      signal.throwIfAborted();
      await waitForModelReady(client, name, { timeoutMs: loadTimeoutMs, signal });
    } catch (err: unknown) {
      throw explainLoadFailure(err, name, snapshot.source);
    }
  };

  return {
    load: (signal) => loadAt(undefined, signal),
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      if (options.strategy === 'reload') {
        await recordBefore(signal);
        journal.willChange(client.address, name);
        await unloadUntilGone(target, signal);
        await loadAt(maxBatch, signal);
      }
      return { model: name, config: await verifyMaxBatch(client, name, maxBatch, signal) };
    },
    restore: () => restoreThroughJournal(journal, client.address, name),
  };
}

/**
 * Names the model and the commit; Triton's refusal text is kept as it came. A server not in
 * explicit mode answers UNAVAILABLE "explicit model load / unload is not allowed if polling is
 * enabled" (Triton 2.51 started with --model-control-mode=none, checked): that gets the fix.
 */
export function explainLoadFailure(err: unknown, name: string, source: string): Error {
  const what = `loading the base '${name}' from ${source}`;
  if (!(err instanceof TritonError)) return new Error(`${what} failed: ${errorMessage(err)}`, { cause: err });
  const isRefusal = err.rpc === 'RepositoryModelLoad' && /not allowed|explicit|polling/i.test(err.details);
  const hint = isRefusal ? EXPLICIT_MODE_HINT : err.hint;
  return new TritonError(err.rpc, err.server, err.status, `${what}: ${err.details}`, hint, { cause: err });
}

/** `model 'm__base' is served` / `is not served`; never rejects. */
async function describeBaseState(client: TritonClient, name: string): Promise<string> {
  try {
    return `model '${name}' is ${(await client.modelReady(name, '', { timeoutMs: 3000 })) ? 'still served' : 'not served'}`;
  } catch (err: unknown) {
    return `the state of model '${name}' could not be read: ${errorMessage(err)}`;
  }
}
