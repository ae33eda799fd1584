/**
 * The run's environment fingerprint (docs/baseline-store.md#fingerprint) from what the run read:
 * the server's answers, the model config, the runner's GPUs and the tool's own version. Pure:
 * the edge (run-matrix.ts) gathers the parts.
 */
import type { Config } from '../config/config.js';
import { configHash } from '../control/override-config.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { gpuFingerprintOf, type RunnerGpu } from '../metrics/parse-nvidia-smi.js';
import type { BatchingSettings, Environment } from '../model/run-result.js';

/** Everything the fingerprint is built from. */
export interface EnvironmentParts {
  readonly config: Config;
  /** Triton's ServerMetadata version. */
  readonly tritonVersion: string;
  /** The version the server serves, when it named one. */
  readonly modelVersion?: string;
  /** The model's config before any row changed it (or the first row's, for `models`). */
  readonly modelConfig?: ModelConfig;
  readonly clientHost: string;
  readonly label: string;
  /** GPUs nvidia-smi listed on the runner (none when it is absent). */
  readonly runnerGpus: readonly RunnerGpu[];
  /** GPU UUIDs Triton's metrics named (none when not sampled). */
  readonly serverGpuUuids: readonly string[];
  readonly toolVersion: string;
}

/** The fingerprint; fields that are unknown are left out, never guessed. */
export function environmentOf(parts: EnvironmentParts): Environment {
  const { config, modelConfig } = parts;
  const batching = modelConfig === undefined ? undefined : batchingOf(modelConfig, config.control.maxQueueDelayUs);
  return {
    tritonVersion: parts.tritonVersion,
    model: config.matrix.model,
    modelVersion: parts.modelVersion ?? config.matrix.modelVersion,
    configHash: modelConfig === undefined ? '' : configHash(modelConfig),
    clientHost: parts.clientHost,
    label: parts.label,
    transport: config.server.transport,
    ...(parts.serverGpuUuids.length === 0 ? {} : { gpus: [...parts.serverGpuUuids] }),
    ...gpuFingerprintOf(parts.runnerGpus, parts.serverGpuUuids),
    toolVersion: parts.toolVersion,
    ...(batching === undefined ? {} : { batching }),
  };
}

/**
 * Dynamic batching as the run used it: the config's `max_queue_delay_microseconds`, replaced by
 * the `max-queue-delay-us` input when set (the reload strategy applies it to every row,
 * control/override-config.ts), and its preferred sizes. `[max_batch_size]` alone is what Triton
 * fills in when a config has none, so it is recorded as none: otherwise changing max_batch_size
 * in config.pbtxt would look like a change of preferred sizes.
 */
export function batchingOf(modelConfig: ModelConfig, maxQueueDelayUs: number | undefined): BatchingSettings {
  const scheduling = modelConfig.schedulingChoice;
  if (scheduling.case !== 'dynamicBatching') return { isDynamic: false, maxQueueDelayUs: 0, preferredBatchSizes: [] };
  const batching = scheduling.value;
  const preferred = batching.preferredBatchSize;
  const isAutoFilled = preferred.length === 1 && preferred[0] === modelConfig.maxBatchSize;
  return {
    isDynamic: true,
    maxQueueDelayUs: maxQueueDelayUs ?? Number(batching.maxQueueDelayMicroseconds),
    preferredBatchSizes: isAutoFilled ? [] : [...preferred].sort((a, b) => a - b),
  };
}
