/**
 * The matrix's side of the model lease (docs/reliability.md#lease): wait for the run's turn on
 * the model before reading it, and, after each row, check that the model is still exactly as the
 * row's load left it, so a row measured while another run changed the model is never reported.
 */
import type { AppliedModelConfig, ModelController } from '../control/model-controller.js';
import { LeaseBusyError } from '../control/lease-keeper.js';
import { describeLease, leaseOf, leaseStamp } from '../control/model-lease.js';
import { checkServer } from '../triton/inspect-model.js';
import type { TritonClient } from '../triton/triton-client.js';

/**
 * Waits for the controller's turn on the model. Only a busy model (LeaseBusyError) or an abort
 * fails here: any other failure (unknown model, server not ready) is left to the health check
 * that follows, which names the input or the server.
 */
export async function waitForModelTurn(
  client: TritonClient,
  controller: ModelController,
  signal: AbortSignal,
): Promise<void> {
  if (controller.acquire === undefined) return;
  // An unreachable server is reported by the health check, with its hints, not as a lease failure.
  await checkServer(client, signal);
  try {
    await controller.acquire(signal);
  } catch (err: unknown) {
    if (err instanceof LeaseBusyError || signal.aborted) throw err;
  }
}

/**
 * After a row: why its results must be discarded (the model is served with another lease, or
 * with none, than the row's load left), or `undefined` when it is unchanged. A model not served
 * now is no proof of a change: the trials it failed carry the errors, the others measured ours.
 */
export async function modelChangeOf(
  client: Pick<TritonClient, 'modelConfig'>,
  applied: AppliedModelConfig,
  signal: AbortSignal,
): Promise<string | undefined> {
  const what = `model '${applied.model}' was changed by another client during this row; its results are discarded`;
  let stamp: string;
  let holder;
  try {
    const live = await client.modelConfig(applied.model, '', { signal });
    stamp = leaseStamp(live);
    holder = leaseOf(live);
  } catch {
    return undefined;
  }
  if (stamp === leaseStamp(applied.config)) return undefined;
  if (typeof holder === 'object') return `${what} (now held by ${describeLease(holder, Date.now())})`;
  return `${what} (${holder === undefined ? 'it no longer carries the lease it was loaded with' : 'it carries a lease this tool did not write'})`;
}
