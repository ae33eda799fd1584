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
  let originalMaxBatch: number | undefined;
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
      if (originalMaxBatch === undefined) {
        try {
          const live = await client.modelConfig(model, '', { signal });
          // A stale lease means a dead run's override: its max_batch is not the model's own.
          if (leaseOf(live) === undefined) originalMaxBatch = live.maxBatchSize;
          else deps.log.warn(`model '${model}' still carries a stale run's override; it is not restored after the run`);
        } catch {
          // The model may not be served before the first command; then there is nothing to restore.
        }
      }
      await run({ MAX_BATCH: String(maxBatch), MODEL: model }, signal);
      return { model, config: await verifyMaxBatch(client, model, maxBatch, signal) };
    },
    async restore(): Promise<void> {
      if (originalMaxBatch === undefined) return;
      await run({ MAX_BATCH: String(originalMaxBatch), MODEL: model, RESTORE: '1' }, AbortSignal.timeout(timeoutMs));
    },
  };
}
