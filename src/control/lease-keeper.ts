/**
 * The I/O side of the model lease (docs/reliability.md#lease; the decision is model-lease.ts):
 * reads the live model, waits (polling) while another run holds a fresh lease, up to
 * `lock-timeout-s`, and stamps each override this run loads with its lease, renewed.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { Logger } from '../logger.js';
import type { TritonClient } from '../triton/triton-client.js';
import { decideLease, leaseOf, withLease, type Lease, type LiveModel } from './model-lease.js';

/** Another run held the model for longer than `lock-timeout-s`. */
export class LeaseBusyError extends Error {
  override readonly name = 'LeaseBusyError';
}

/** What the keeper works on. */
export interface LeaseKeeperOptions {
  readonly client: Pick<TritonClient, 'modelConfig' | 'repositoryIndex' | 'address'>;
  readonly model: string;
  readonly lockTimeoutMs: number;
  /** Load deadline (a row's load is part of the lease's lifetime). */
  readonly loadTimeoutMs: number;
  readonly log: Logger;
  readonly now?: () => number;
  readonly pollMs?: number;
}

/** One run's lease on one model. */
export interface LeaseKeeper {
  /**
   * Waits until the model is free or ours. Resolves `takeover` when a stale lease was found
   * (the caller loads the file config first); rejects with LeaseBusyError after `lock-timeout-s`.
   */
  waitForTurn(
    signal: AbortSignal,
    options?: { readonly isLastChangeOurs?: boolean },
  ): Promise<'take' | 'held' | 'takeover'>;
  /** `config` stamped with this run's lease, renewed now (call right before each load). */
  stamp(config: ModelConfig): ModelConfig;
  /** Whether `config` carries this run's lease. */
  isOurs(config: ModelConfig): boolean;
}

/** The lease is fresh for at least this long: covers a whole first row, whose length is unknown. */
const MIN_TTL_MS = 10 * 60_000;
/** Between a holder's unload and its load the model is unavailable for one RPC; see model-lease.ts. */
const UNAVAILABLE_GRACE_MS = 2000;
const REPORT_EVERY_MS = 30_000;

/** Creates the keeper; the lease id is new for every run. */
export function createLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 500;
  const id = randomUUID();
  let takenAtMs: number | undefined;
  let lastStampMs: number | undefined;
  let longestRowMs = 0;
  const where = `model '${options.model}' on ${options.client.address}`;

  const waitForTurn = async (
    signal: AbortSignal,
    turn: { readonly isLastChangeOurs?: boolean } = {},
  ): Promise<'take' | 'held' | 'takeover'> => {
    const startMs = now();
    let unavailableSinceMs: number | undefined;
    let reportedAtMs: number | undefined;
    for (;;) {
      signal.throwIfAborted();
      const live = await readLiveModel(options, signal, () => {
        unavailableSinceMs ??= now();
        return now() - unavailableSinceMs;
      });
      if (live.kind !== 'unavailable') unavailableSinceMs = undefined;
      const lease = live.kind === 'ready' ? live.lease : undefined;
      const decision = decideLease(live, {
        selfId: id,
        nowMs: now(),
        unavailableGraceMs: UNAVAILABLE_GRACE_MS,
        isLastChangeOurs: turn.isLastChangeOurs === true,
        isHolderGone: typeof lease === 'object' && isHolderGone(lease),
      });
      if (decision.action === 'takeover') options.log.warn(`${where}: taking over a stale lease: ${decision.reason}`);
      if (decision.action !== 'wait') return decision.action;
      const waitedMs = now() - startMs;
      if (waitedMs >= options.lockTimeoutMs) {
        throw new LeaseBusyError(
          `${where} is in use: ${decision.reason}; waited ${Math.round(waitedMs / 1000)} s (lock-timeout-s ${options.lockTimeoutMs / 1000}). Wait for that run to end or raise lock-timeout-s; a holder that stopped is taken over when its lease expires`,
        );
      }
      if (reportedAtMs === undefined || now() - reportedAtMs >= REPORT_EVERY_MS) {
        reportedAtMs = now();
        options.log.info(
          `${where} is in use: ${decision.reason}; waiting (up to ${Math.round((options.lockTimeoutMs - waitedMs) / 1000)} s more)`,
        );
      }
      await sleep(pollMs, undefined, { signal });
    }
  };

  return {
    waitForTurn,
    stamp(config: ModelConfig): ModelConfig {
      const nowMs = now();
      // The lease must outlive the row just loaded: twice the longest row so far, plus its loads.
      if (lastStampMs !== undefined) longestRowMs = Math.max(longestRowMs, nowMs - lastStampMs);
      lastStampMs = nowMs;
      takenAtMs ??= nowMs;
      const lease: Lease = {
        id,
        host: hostname(),
        pid: process.pid,
        label: holderLabel(),
        takenAtMs,
        renewedAtMs: nowMs,
        ttlMs: Math.max(MIN_TTL_MS, 2 * longestRowMs + 2 * options.loadTimeoutMs),
      };
      return withLease(config, lease);
    },
    isOurs(config: ModelConfig): boolean {
      const lease = leaseOf(config);
      return typeof lease === 'object' && lease.id === id;
    },
  };
}

/** The live model: its config when served, else its state in the repository index. */
async function readLiveModel(
  options: LeaseKeeperOptions,
  signal: AbortSignal,
  unavailableForMs: () => number,
): Promise<LiveModel> {
  try {
    return { kind: 'ready', lease: leaseOf(await options.client.modelConfig(options.model, '', { signal })) };
  } catch (err: unknown) {
    signal.throwIfAborted();
    const entry = (await options.client.repositoryIndex(false, { signal })).find((m) => m.name === options.model);
    if (entry === undefined) return { kind: 'absent' };
    const state = entry.state;
    if (state === 'LOADING' || state === 'UNLOADING') return { kind: 'changing', state };
    // READY in the index but ModelConfig failed: not a state a lease can explain; let the caller's RPCs say why.
    if (state === 'READY') throw err;
    return {
      kind: 'unavailable',
      state: entry.reason === '' ? state : `${state} (${entry.reason})`,
      forMs: unavailableForMs(),
    };
  }
}

/** A holder on this host whose process no longer exists (its pid cannot be signalled: ESRCH). */
function isHolderGone(lease: Lease): boolean {
  if (lease.host !== hostname() || lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (err: unknown) {
    return err instanceof Error && 'code' in err && err.code === 'ESRCH';
  }
}

/** What the holder is, in words other runs print. */
function holderLabel(): string {
  const runId = process.env['GITHUB_RUN_ID'];
  if (runId === undefined || runId === '') return 'cli';
  return `GitHub run ${runId}${process.env['GITHUB_JOB'] ? ` job ${process.env['GITHUB_JOB']}` : ''}`;
}
