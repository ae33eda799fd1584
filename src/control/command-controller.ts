/**
 * `command`: the user's own command changes the server (restart a container, rewrite a
 * config and reload, ...). It runs through the shell with `MAX_BATCH` and `MODEL` in its
 * environment; then we wait for the model and verify its max_batch_size. `restore()` runs it
 * once more with the model's original max_batch and `RESTORE=1`.
 * The command writes its own config, so it cannot carry a lease; it waits while a `reload` run
 * holds the model (docs/reliability.md#lease), and such a run sees the command's change.
 * Security: the command comes only from the workflow's inputs (SECURITY.md), never from files
 * of the repository under test.
 */
import { waitForModelReady } from '../triton/inspect-model.js';
import { journalOf, restoreThroughJournal } from './controller-journal.js';
import { describeModelState } from './describe-model-state.js';
import { createLeaseKeeper } from './lease-keeper.js';
import { leaseOf } from './model-lease.js';
import {
  verifyMaxBatch,
  type AppliedModelConfig,
  type ControllerDeps,
  type ModelController,
} from './model-controller.js';

/** Creates the `command` controller. */
export function createCommandController(deps: ControllerDeps): ModelController {
  const { client, config } = deps;
  const model = config.matrix.model;
  const command = config.control.command ?? '';
  const timeoutMs = config.server.loadTimeoutMs;
  const journal = journalOf(deps);
  /** `undefined` until the first command; then whether the journal holds the model. */
  let hasRecord: boolean | undefined;
  /** A command ran since the last restore: the restore runs it with RESTORE=1 (it may change more than max_batch). */
  let hasRun = false;
  const lease = createLeaseKeeper({
    client,
    model,
    lockTimeoutMs: config.control.lockTimeoutMs,
    loadTimeoutMs: timeoutMs,
    log: deps.log,
  });
  // A stale lease counts as free: the command replaces that config anyway.
  const acquire = async (signal: AbortSignal): Promise<void> => {
    await lease.waitForTurn(signal);
  };

  const run = async (env: Record<string, string>, signal: AbortSignal): Promise<void> => {
    const result = await deps.runCommand(command, env, { timeoutMs, signal });
    if (result.exitCode !== 0) {
      throw new Error(
        `batch-command exited with code ${result.exitCode} for MAX_BATCH=${env['MAX_BATCH'] ?? ''}: ${result.outputTail}`,
      );
    }
    await waitForModelReady(client, model, { timeoutMs, signal });
  };

  return {
    acquire,
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      await acquire(signal);
      hasRecord ??= await recordBefore(signal);
      if (hasRecord) journal.willChange(client.address, model);
      hasRun = true;
      await run({ MAX_BATCH: String(maxBatch), MODEL: model }, signal);
      return { model, config: await verifyMaxBatch(client, model, maxBatch, signal) };
    },
    restore: () => restoreThroughJournal(journal, client.address, model),
  };

  /** Records the model's max_batch before the first command; not served or a stale run's override: nothing to restore. */
  async function recordBefore(signal: AbortSignal): Promise<boolean> {
    let original: number;
    try {
      const live = await client.modelConfig(model, '', { signal });
      // A stale lease means a dead run's override: its max_batch is not the model's own.
      if (leaseOf(live) !== undefined) {
        deps.log.warn(`model '${model}' still carries a stale run's override; it is not restored after the run`);
        return false;
      }
      original = live.maxBatchSize;
    } catch {
      // The model may not be served before the first command; then there is nothing to restore.
      return false;
    }
    journal.record({
      model,
      server: client.address,
      client,
      before: `served at max_batch_size ${original}`,
      restore: async (restoreSignal) => {
        if (!hasRun) return 'unchanged';
        await run({ MAX_BATCH: String(original), MODEL: model, RESTORE: '1' }, restoreSignal);
        await verifyMaxBatch(client, model, original, restoreSignal);
        hasRun = false;
        return 'restored';
      },
      describeNow: () => describeModelState(client, model),
      fix: `run batch-command with MAX_BATCH=${original} MODEL=${model} RESTORE=1`,
    });
    return true;
  }
}
