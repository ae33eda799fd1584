/**
 * A model's served state, read before a run changes it and brought back afterwards
 * (docs/reliability.md, "Model-state journal"): whether it is served and, when it is, its full
 * live config as ModelConfig reports it, a runtime override included (not just config.pbtxt).
 * `returnToState` reloads exactly that state and verifies it by reading it back.
 */
import { equals } from '@bufbuild/protobuf';
import { setTimeout as sleep } from 'node:timers/promises';
import { ModelConfigSchema, type ModelConfig } from '../gen/model_config_pb.js';
import { waitForModelReady } from '../triton/inspect-model.js';
import type { TritonClient } from '../triton/triton-client.js';
import { configOverrideJson } from './override-config.js';
import { leaseOf, withoutLease } from './model-lease.js';

/** What the model was (or is): served with a config, or not served. */
export type ServedState =
  { readonly kind: 'served'; readonly config: ModelConfig } | { readonly kind: 'not-served'; readonly state: string };

/** The client calls the state needs. */
export type StateClient = Pick<
  TritonClient,
  'modelConfig' | 'modelReady' | 'repositoryIndex' | 'repositoryModelLoad' | 'repositoryModelUnload' | 'address'
>;

/** How to reach the model and how long a load may take. */
export interface StateTarget {
  readonly client: StateClient;
  readonly model: string;
  readonly loadTimeoutMs: number;
  /**
   * False for a model loaded from files in the request (the zero-config base): Triton's index
   * does not list it, so its state is read through ModelReady alone.
   */
  readonly isInIndex: boolean;
}

/** Short RPCs of the restore (a read, an unload request); the loads get the load timeout. */
const RPC_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

/**
 * Pure: the two configs are the same served config, field by field (map entries in any order:
 * Triton lists `parameters` in a different order after each load), the lease entry aside: it is
 * not the model's.
 */
export function isSameConfig(a: ModelConfig, b: ModelConfig): boolean {
  return equals(ModelConfigSchema, withoutLease(a), withoutLease(b));
}

/** Pure: `served at max_batch_size 64` / `not served (UNAVAILABLE: unloaded)`, for messages. */
export function describeServedState(state: ServedState): string {
  if (state.kind === 'not-served') return `not served (${state.state})`;
  const lease = leaseOf(state.config);
  const held = lease === undefined ? '' : ', carrying a lease of another run';
  return `served at max_batch_size ${state.config.maxBatchSize}${held}`;
}

/**
 * Waits until the model is neither LOADING nor UNLOADING (a load the run cancelled goes on in
 * Triton, and an unload sent meanwhile would be undone when it ends), at most the load timeout
 * (a load that never ends is then unloaded anyway), then reads its state.
 */
export async function readServedState(target: StateTarget, signal: AbortSignal): Promise<ServedState> {
  const deadline = Date.now() + target.loadTimeoutMs;
  for (;;) {
    signal.throwIfAborted();
    const settled = await lifecycleState(target, signal);
    if ((settled !== 'LOADING' && settled !== 'UNLOADING') || Date.now() >= deadline) break;
    await sleep(POLL_MS, undefined, { signal });
  }
  try {
    return { kind: 'served', config: await target.client.modelConfig(target.model, '', rpc(signal)) };
  } catch (err: unknown) {
    signal.throwIfAborted();
    if (await isReady(target, signal)) throw err;
    return { kind: 'not-served', state: (await lifecycleState(target, signal)) || 'not loaded' };
  }
}

/** What `returnToState` did. */
export type ReturnOutcome = 'unchanged' | 'restored';

/**
 * What the restore brings back: not served; exactly a config; or the repository's file config,
 * for a model that carried another run's stale lease (that run's override is not brought back).
 */
export type RestoreTarget =
  | { readonly kind: 'not-served' }
  | { readonly kind: 'config'; readonly config: ModelConfig }
  | { readonly kind: 'file-config' };

/** Pure: the target that gives back `before`. */
export function targetOf(before: ServedState): RestoreTarget {
  if (before.kind === 'not-served') return { kind: 'not-served' };
  return leaseOf(before.config) === undefined ? { kind: 'config', config: before.config } : { kind: 'file-config' };
}

/**
 * Brings the model back to `target` and verifies it. A model to be served is loaded again from
 * its repository file; when that is not the config it had (a runtime override), it is loaded
 * once more with exactly that config.
 *
 * @throws Error naming what differs after the restore, or the RPC that failed
 */
export async function returnToState(
  target: StateTarget,
  wanted: RestoreTarget,
  signal: AbortSignal,
): Promise<ReturnOutcome> {
  const now = await readServedState(target, signal);
  if (matches(now, wanted)) return 'unchanged';
  // A model already gone needs no unload; one still LOADING after the wait (a load that hangs) does.
  const isMoving = now.kind === 'not-served' && (now.state === 'LOADING' || now.state === 'UNLOADING');
  if (now.kind === 'served' || isMoving) await unloadUntilGone(target, signal);
  if (wanted.kind === 'not-served') return 'restored';
  await loadAndWait(target, undefined, signal);
  let after = await readServedState(target, signal);
  if (matches(after, wanted)) return 'restored';
  if (wanted.kind === 'config') {
    // Not the repository's file config: the model was served with a runtime override; load exactly that.
    await unloadUntilGone(target, signal);
    await loadAndWait(target, configOverrideJson(wanted.config), signal);
    after = await readServedState(target, signal);
    if (matches(after, wanted)) return 'restored';
  }
  throw new Error(
    `model '${target.model}' is ${describeServedState(after)} after the restore, not the config it had before the run`,
  );
}

function matches(now: ServedState, wanted: RestoreTarget): boolean {
  if (wanted.kind === 'not-served') return now.kind === 'not-served';
  if (now.kind !== 'served' || leaseOf(now.config) !== undefined) return false;
  return wanted.kind === 'file-config' || isSameConfig(now.config, wanted.config);
}

async function loadAndWait(target: StateTarget, configJson: string | undefined, signal: AbortSignal): Promise<void> {
  await target.client.repositoryModelLoad(target.model, configJson, { timeoutMs: target.loadTimeoutMs, signal });
  await waitForModelReady(target.client, target.model, { timeoutMs: target.loadTimeoutMs, signal });
}

/** Unloads and waits until the model is no longer served (bounded by the load timeout). */
export async function unloadUntilGone(target: StateTarget, signal: AbortSignal): Promise<void> {
  await target.client.repositoryModelUnload(target.model, rpc(signal));
  const deadline = Date.now() + target.loadTimeoutMs;
  for (;;) {
    const state = await lifecycleState(target, signal);
    const isGone = target.isInIndex ? state !== 'READY' && state !== 'UNLOADING' : state !== 'READY';
    if (isGone) return;
    if (Date.now() >= deadline)
      throw new Error(
        `model '${target.model}' still ${state} ${Math.round(target.loadTimeoutMs / 1000)} s after unload`,
      );
    await sleep(POLL_MS, undefined, { signal });
  }
}

/** The index's state (`READY`, `LOADING`, `UNAVAILABLE`, '' when not listed); ModelReady for unlisted models. */
async function lifecycleState(target: StateTarget, signal: AbortSignal): Promise<string> {
  if (!target.isInIndex) return (await isReady(target, signal)) ? 'READY' : '';
  const entry = (await target.client.repositoryIndex(false, rpc(signal))).find((m) => m.name === target.model);
  if (entry === undefined) return '';
  const isMoving = ['READY', 'LOADING', 'UNLOADING'].includes(entry.state);
  return entry.reason === '' || isMoving ? entry.state : `${entry.state}: ${entry.reason}`;
}

async function isReady(target: StateTarget, signal: AbortSignal): Promise<boolean> {
  try {
    return await target.client.modelReady(target.model, '', rpc(signal));
  } catch (err: unknown) {
    // Triton answers an unknown or unloaded model with an error; an abort is not an answer.
    if (signal.aborted) throw err;
    return false;
  }
}

function rpc(signal: AbortSignal): { readonly timeoutMs: number; readonly signal: AbortSignal } {
  return { timeoutMs: RPC_TIMEOUT_MS, signal };
}
