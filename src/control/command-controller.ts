/**
 * `command`: the user's own command changes the server (restart a container, rewrite a
 * config and reload, ...). It runs through the shell with `MAX_BATCH` and `MODEL` in its
 * environment; then we wait for the model and verify its max_batch_size. `restore()` runs it
 * once more with the model's original max_batch and `RESTORE=1`.
 * Security: the command comes only from the workflow's inputs (SECURITY.md), never from files
 * of the repository under test.
 */
import { waitForModelReady } from '../triton/inspect-model.js';
import { verifyMaxBatch, type AppliedModelConfig, type ControllerDeps, type ModelController } from './model-controller.js';

/** Creates the `command` controller. */
export function createCommandController(deps: ControllerDeps): ModelController {
  const { client, config } = deps;
  const model = config.matrix.model;
  const command = config.control.command ?? '';
  const timeoutMs = config.server.loadTimeoutMs;
  let originalMaxBatch: number | undefined;

  const run = async (env: Record<string, string>, signal: AbortSignal): Promise<void> => {
    const result = await deps.runCommand(command, env, { timeoutMs, signal });
    if (result.exitCode !== 0) {
      throw new Error(`batch-command exited with code ${result.exitCode} for MAX_BATCH=${env['MAX_BATCH'] ?? ''}: ${result.outputTail}`);
    }
    await waitForModelReady(client, model, { timeoutMs, signal });
  };

  return {
    async apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig> {
      if (originalMaxBatch === undefined) {
        try {
          originalMaxBatch = (await client.modelConfig(model, '', { signal })).maxBatchSize;
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
