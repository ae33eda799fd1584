/**
 * Pure preparation of the `config` override that puts a model at a given max_batch
 * (Triton's RepositoryModelLoad; docs/real-triton.md, config override). The override
 * replaces config.pbtxt entirely, so we send the model's full effective config, changed only
 * where the matrix needs it.
 */
import { clone, toJson, type JsonObject } from '@bufbuild/protobuf';
import { createHash } from 'node:crypto';
import { ModelConfigSchema, type ModelConfig } from '../gen/model_config_pb.js';
import { withoutLease } from './model-lease.js';

/** How the override is built. */
export interface OverrideOptions {
  readonly maxBatch: number;
  /** The model's max_batch_size before we changed anything (to spot auto-filled preferred sizes). */
  readonly originalMaxBatch: number;
  /** Replaces `dynamic_batching.max_queue_delay_microseconds` when set. */
  readonly maxQueueDelayUs?: number;
}

/**
 * The config to send for one row. Rules (each a load failure we have seen or Triton documents):
 * - `preferred_batch_size` must be <= max_batch_size. Triton auto-fills `[max_batch_size]` when
 *   the config has none, so `[originalMaxBatch]` is treated as auto-filled and cleared (Triton
 *   fills it again for the new value, as Model Analyzer relies on); explicit sizes are clamped.
 * - max_batch 0 means "no batching": dynamic batching is removed.
 * - every other field is kept as Triton reported it.
 */
export function overrideConfig(current: ModelConfig, options: OverrideOptions): ModelConfig {
  const next = clone(ModelConfigSchema, current);
  next.maxBatchSize = options.maxBatch;
  const scheduling = next.schedulingChoice;
  if (scheduling.case !== 'dynamicBatching') return next;
  if (options.maxBatch === 0) {
    next.schedulingChoice = { case: undefined };
    return next;
  }
  const batching = scheduling.value;
  const preferred = batching.preferredBatchSize;
  const isAutoFilled = preferred.length === 1 && preferred[0] === options.originalMaxBatch;
  batching.preferredBatchSize = isAutoFilled ? [] : preferred.filter((size) => size <= options.maxBatch);
  if (options.maxQueueDelayUs !== undefined) {
    batching.maxQueueDelayMicroseconds = BigInt(options.maxQueueDelayUs);
  }
  return next;
}

/**
 * The override as Triton parses it: proto3 JSON with the original snake_case field names,
 * defaults omitted (so no oneof wrapper keys or nulls reach `ignore_unknown_fields=false`).
 */
export function configOverrideJson(config: ModelConfig): string {
  return JSON.stringify(toJson(ModelConfigSchema, config, { useProtoFieldName: true }));
}

/** Sorts object keys recursively so equal configs hash equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * A 16-hex-digit fingerprint of a model config that ignores what the matrix itself changes
 * (name, max_batch_size, preferred sizes), so every row and every run of the same model config
 * hash alike, and a real change (instance count, queue delay, backend parameters) does not.
 * The lease entry (model-lease.ts) is not part of the model's config and is ignored too.
 */
export function configHash(config: ModelConfig): string {
  const json = toJson(ModelConfigSchema, withoutLease(config), { useProtoFieldName: true }) as JsonObject;
  const { name: _name, max_batch_size: _mbs, ...rest } = json;
  const batching = rest['dynamic_batching'];
  if (batching !== null && typeof batching === 'object' && !Array.isArray(batching)) {
    const { preferred_batch_size: _p, ...keep } = batching;
    rest['dynamic_batching'] = keep;
  }
  return createHash('sha256')
    .update(JSON.stringify(canonical(rest)))
    .digest('hex')
    .slice(0, 16);
}
