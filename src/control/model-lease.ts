/**
 * The lease a run holds on a model it changes (docs/reliability.md#lease), pure. Triton has no
 * lock or compare-and-set, so the lease lives where every client can read it: a
 * `parameters { key: "ttg_lease" }` entry in the override config the holder loads. A run that
 * reads the live config (ModelConfig) sees who changed the model and until when that claim is
 * fresh. A config without the entry is the repository's file config: every run that changes the
 * model stamps its override, and restores by loading the file again, which drops the entry.
 */
import { clone, create } from '@bufbuild/protobuf';
import { ModelConfigSchema, ModelParameterSchema, type ModelConfig } from '../gen/model_config_pb.js';

/** The config parameter that carries the lease. */
export const LEASE_PARAMETER = 'ttg_lease';

/** Who holds a lease and until when it is fresh. */
export interface Lease {
  /** Random id of the holding run (one per controller). */
  readonly id: string;
  /** Host name of the holder's machine. */
  readonly host: string;
  readonly pid: number;
  /** What the holder is, for messages (`GitHub run 123 job bench`, `cli`). */
  readonly label: string;
  /** When the holder first took the lease (ms since the epoch). */
  readonly takenAtMs: number;
  /** When the holder last loaded the model with it (ms since the epoch). */
  readonly renewedAtMs: number;
  /** Fresh until `renewedAtMs + ttlMs`; the holder renews it with every row it loads. */
  readonly ttlMs: number;
}

/** What the live model looks like to a run that wants to change it. */
export type LiveModel =
  /** Served: its config's lease entry (`malformed` when the entry is not a lease we wrote). */
  | { readonly kind: 'ready'; readonly lease: Lease | 'malformed' | undefined }
  /** LOADING or UNLOADING: someone is changing it right now. */
  | { readonly kind: 'changing'; readonly state: string }
  /** Not served (unloaded, failed) for `forMs` so far. */
  | { readonly kind: 'unavailable'; readonly state: string; readonly forMs: number }
  /** Not in the repository index: no run is changing it (an unload leaves the name in the index). */
  | { readonly kind: 'absent' };

/** What to do about the live model. */
export type LeaseDecision =
  /** No lease: take it (the live config is the file config). */
  | { readonly action: 'take' }
  /** Ours already. */
  | { readonly action: 'held' }
  /** A lease nobody keeps: take it, after loading the file config again (`reason` for the log). */
  | { readonly action: 'takeover'; readonly reason: string }
  /** Busy: poll again (`reason` names the holder and its age for the wait and the timeout). */
  | { readonly action: 'wait'; readonly reason: string };

/** What the decision needs besides the live model. */
export interface LeaseContext {
  /** Our lease id. */
  readonly selfId: string;
  readonly nowMs: number;
  /** The edge's check that a holder on this host has no running process (false when unknown). */
  readonly isHolderGone: boolean;
  /**
   * How long an unloaded model counts as "between a holder's unload and its load" before it is
   * taken as simply unloaded (the gap is one RPC long; docs/reliability.md#lease).
   */
  readonly unavailableGraceMs: number;
  /**
   * This run made the model's last change (a load of its own that failed or hangs): a model
   * LOADING or unloaded is then this run's own doing, not another run's, and is no reason to wait.
   */
  readonly isLastChangeOurs: boolean;
}

/** Pure: wait, take, keep or take over, from the live model and the clock. */
export function decideLease(live: LiveModel, context: LeaseContext): LeaseDecision {
  if (live.kind === 'absent') return { action: 'take' };
  if (live.kind !== 'ready' && context.isLastChangeOurs) return { action: 'take' };
  if (live.kind === 'changing')
    return { action: 'wait', reason: `the model is ${live.state} (another client is changing it)` };
  if (live.kind === 'unavailable') {
    return live.forMs < context.unavailableGraceMs
      ? { action: 'wait', reason: `the model is ${live.state} (perhaps between another run's unload and load)` }
      : { action: 'take' };
  }
  const lease = live.lease;
  if (lease === undefined) return { action: 'take' };
  if (lease === 'malformed')
    return { action: 'takeover', reason: `its '${LEASE_PARAMETER}' parameter is not a lease this tool wrote` };
  if (lease.id === context.selfId) return { action: 'held' };
  const holder = describeLease(lease, context.nowMs);
  if (context.isHolderGone) return { action: 'takeover', reason: `${holder}; that process is gone` };
  if (context.nowMs > lease.renewedAtMs + lease.ttlMs)
    return { action: 'takeover', reason: `${holder}; the lease expired` };
  return { action: 'wait', reason: holder };
}

/** `run 1a2b3c4d (cli) on host h, pid 42, holding it for 12 s, fresh for 588 s more`. */
export function describeLease(lease: Lease, nowMs: number): string {
  const heldS = Math.max(0, Math.round((nowMs - lease.takenAtMs) / 1000));
  const leftMs = lease.renewedAtMs + lease.ttlMs - nowMs;
  const freshness =
    leftMs >= 0 ? `fresh for ${Math.round(leftMs / 1000)} s more` : `expired ${Math.round(-leftMs / 1000)} s ago`;
  return `run ${lease.id.slice(0, 8)} (${lease.label}) on host ${lease.host}, pid ${lease.pid}, holding it for ${heldS} s, ${freshness}`;
}

/** The lease in a model config: `undefined` without the entry, `malformed` for one we did not write. */
export function leaseOf(config: ModelConfig): Lease | 'malformed' | undefined {
  const entry = config.parameters[LEASE_PARAMETER];
  if (entry === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(entry.stringValue);
  } catch {
    return 'malformed';
  }
  return isLease(value) ? value : 'malformed';
}

/** The raw lease entry (for "is it still exactly the one we loaded"); '' without one. */
export function leaseStamp(config: ModelConfig): string {
  return config.parameters[LEASE_PARAMETER]?.stringValue ?? '';
}

/** A copy of `config` carrying `lease`. */
export function withLease(config: ModelConfig, lease: Lease): ModelConfig {
  const next = clone(ModelConfigSchema, config);
  next.parameters[LEASE_PARAMETER] = create(ModelParameterSchema, { stringValue: JSON.stringify(lease) });
  return next;
}

/** A copy of `config` without a lease entry. */
export function withoutLease(config: ModelConfig): ModelConfig {
  const next = clone(ModelConfigSchema, config);
  // The generated map is a plain object; removing the key is how protobuf-es drops an entry.
  const { [LEASE_PARAMETER]: _dropped, ...rest } = next.parameters;
  next.parameters = rest;
  return next;
}

function isLease(value: unknown): value is Lease {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['id'] === 'string' &&
    typeof v['host'] === 'string' &&
    typeof v['label'] === 'string' &&
    [v['pid'], v['takenAtMs'], v['renewedAtMs'], v['ttlMs']].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}
