/**
 * Names the state a model was left in, for a restore that failed (docs/reliability.md): the
 * user must know whether the model is still served, unloaded, or unknown, to repair it by hand.
 */
import { errorMessage } from '../error-message.js';
import type { TritonClient } from '../triton/triton-client.js';

const STATE_TIMEOUT_MS = 3000;

/** `model 'm' is now UNAVAILABLE (unloaded)`; never throws. */
export async function describeModelState(
  client: Pick<TritonClient, 'repositoryIndex'>,
  model: string,
): Promise<string> {
  try {
    const entry = (await client.repositoryIndex(false, { timeoutMs: STATE_TIMEOUT_MS })).find((m) => m.name === model);
    if (entry === undefined) return `model '${model}' is not in the server's repository index`;
    return `model '${model}' is now ${entry.state || 'in an unknown state'}${entry.reason === '' ? '' : ` (${entry.reason})`}`;
  } catch (err: unknown) {
    return `the state of model '${model}' could not be read: ${errorMessage(err)}`;
  }
}
