/**
 * `reload`: unload the model and load it again with Triton's `config` override carrying the
 * row's max_batch (the Model Analyzer "remote mode" method). The server must run with
 * `--model-control-mode=explicit`. `restore()` unloads and loads without override, which
 * brings back config.pbtxt from disk (a plain load after an override does not: measured on
 * Triton 2.51, docs/real-triton.md).
 * Every override carries this run's lease (docs/reliability.md#lease): the run waits while
 * another run holds the model, reads the original config only from a lease-free model (the
 * repository's file config), and checks after each load that the model is still its own.
 */
import type { ModelConfig } from '../gen/model_config_pb.js';
import { waitForModelReady } from '../triton/inspect-model.js';
import { configOverrideJson, overrideConfig } from './override-config.js';
import { createLeaseKeeper } from './lease-keeper.js';
import { describeLease, LEASE_PARAMETER, leaseOf, leaseStamp } from './model-lease.js';
import type { AppliedModelConfig, ControllerDeps, ModelController } from './model-controller.js';
import { journalOf, loadAgainFix, restoreThroughJournal } from './controller-journal.js';
import { describeModelState } from './describe-model-state.js';
import { describeServedState, returnToState, targetOf, type ServedState } from './served-state.js';
import { unloadAndWait } from './wait-for-unload.js';

/** Loads lost to a concurrent run's load before the row gives up (each waits for that run first). */
const MAX_LOST_LOADS = 3;

/** Creates the `reload` controller. */
export function createReloadController(deps: ControllerDeps): ModelController {
  const { client, config, log } = deps;
  const model = config.matrix.model;
  const loadTimeoutMs = config.server.loadTimeoutMs;
  const lease = createLeaseKeeper({ client, model, lockTimeoutMs: config.control.lockTimeoutMs, loadTimeoutMs, log });
  const journal = journalOf(deps);
  let original: ModelConfig | undefined;
  /** The model's last change was this run's (a load that failed or hangs is then no other run's doing). */
  let isLastChangeOurs = false;

  /** The journal's record of the model, taken from the live model before the run's first change. */
  const recordBefore = (before: ServedState): void => {
    journal.record({
      model,
      server: client.address,
      client,
      before: describeServedState(before),
      restore: async (signal) => {
        const foreign = await foreignLease(signal);
        if (foreign !== undefined)
          throw new Error(
            `left alone, as another run's change: it is held by ${foreign}; that run restores it when it ends`,
          );
        return await returnToState({ client, model, loadTimeoutMs, isInIndex: true }, targetOf(before), signal);
      },
      describeNow: () => describeModelState(client, model),
      fix: loadAgainFix(model, client.address),
    });
  };

  const loadWithConfig = async (configJson: string | undefined, signal: AbortSignal): Promise<void> => {
    // Marked before the unload: a signal that lands between the unload and the load must still restore.
    journal.willChange(client.address, model);
    isLastChangeOurs = true;
    await unloadAndWait(client, model, loadTimeoutMs, signal);
    // RepositoryModelLoad blocks until the load finished or failed, so it gets the load deadline.
    await client.repositoryModelLoad(model, configJson, { timeoutMs: loadTimeoutMs, signal });
    await waitForModelReady(client, model, { timeoutMs: loadTimeoutMs, signal });
  };

  /** Waits for our turn; a stale holder's override is replaced by the file config first. */
  const takeTurn = async (signal: AbortSignal): Promise<void> => {
    if ((await lease.waitForTurn(signal, { isLastChangeOurs })) !== 'takeover') return;
    const live = await client.modelConfig(model, '', { signal });
    recordBefore({ kind: 'served', config: live });
    const stale = leaseStamp(live);
    await loadWithConfig(undefined, signal);
    // Only the repository file itself can bring the very same entry back: taking over again would loop.
    if (stale !== '' && leaseStamp(await client.modelConfig(model, '', { signal })) === stale) {
      throw new Error(
        `model '${model}': its repository config itself has a '${LEASE_PARAMETER}' parameter; remove it from config.pbtxt (the parameter is the lease of runs of this tool)`,
      );
    }
  };

  /** Waits for our turn; the first time, reads the original config from a lease-free (file) config. */
  const acquire = async (signal: AbortSignal): Promise<ModelConfig> => {
    for (;;) {
      await takeTurn(signal);
      if (original !== undefined) return original;
      const live = await client.modelConfig(model, '', { signal });
      // Another run stamped it between our check and this read: wait for that run instead.
      if (leaseOf(live) === undefined) {
        original = live;
        recordBefore({ kind: 'served', config: live });
        return live;
      }
    }
  };

  return {
    async acquire(signal: AbortSignal): Promise<void> {
      await acquire(signal);
    },
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      for (let attempt = 1; ; attempt++) {
        const base = await acquire(signal);
        const next = overrideConfig(base, {
          maxBatch,
          originalMaxBatch: base.maxBatchSize,
          ...(config.control.maxQueueDelayUs === undefined ? {} : { maxQueueDelayUs: config.control.maxQueueDelayUs }),
        });
        await loadWithConfig(configOverrideJson(lease.stamp(next)), signal);
        const live = await client.modelConfig(model, '', { signal });
        if (lease.isOurs(live)) {
          if (live.maxBatchSize !== maxBatch) {
            throw new Error(
              `model '${model}' reports max_batch_size ${live.maxBatchSize} after the change, expected ${maxBatch}`,
            );
          }
          return { model, config: live };
        }
        // Triton has no compare-and-set: two runs that both saw a free model both load; the later load wins.
        const holder = leaseOf(live);
        const who = typeof holder === 'object' ? describeLease(holder, Date.now()) : 'a client that left no lease';
        if (attempt >= MAX_LOST_LOADS)
          throw new Error(
            `model '${model}' was loaded again by another run right after this run's load, ${attempt} times (${who})`,
          );
        log.warn(
          `model '${model}' was loaded again by another run right after this run's load (${who}); waiting for it`,
        );
      }
    },
    async restore(): Promise<void> {
      await restoreThroughJournal(journal, client.address, model);
      isLastChangeOurs = false;
    },
  };

  /** The holder of a fresh lease that is not ours, in words; `undefined` when there is none. */
  async function foreignLease(signal: AbortSignal): Promise<string | undefined> {
    let live: ModelConfig;
    try {
      live = await client.modelConfig(model, '', { signal });
    } catch {
      return undefined; // Not served: nobody's change to leave alone; the restore loads the file config.
    }
    const holder = leaseOf(live);
    if (typeof holder !== 'object' || lease.isOurs(live)) return undefined;
    const nowMs = Date.now();
    return nowMs > holder.renewedAtMs + holder.ttlMs ? undefined : describeLease(holder, nowMs);
  }
}
