/**
 * Puts the server at a given max_batch for each matrix row (docs/architecture.md#measurement).
 * One strategy per file; `CONTROLLER_FACTORIES` maps every strategy to its factory, so a new
 * strategy is a file plus a line and a forgotten one is a compile error.
 */
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { BatchStrategy, Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { TritonClient } from '../triton/triton-client.js';
import type { ModelJournal } from './model-journal.js';

/** The server's state after `apply`. */
export interface AppliedModelConfig {
  /** Model name the row's requests go to (differs per row with `models`). */
  readonly model: string;
  /** Effective config as ModelConfig reports it; `max_batch_size` equals the row's. */
  readonly config: ModelConfig;
}

/** Moves the server between rows and back to where it was. */
export interface ModelController {
  /**
   * Waits until no other run holds the model (docs/reliability.md#lease), before the run reads
   * or changes it; rejects with LeaseBusyError after `lock-timeout-s`. Absent: nothing to wait for.
   */
  acquire?(signal: AbortSignal): Promise<void>;
  /** Resolves once ModelConfig reports `max_batch_size === maxBatch`; rejects with Triton's reason. */
  apply(maxBatch: number, signal: AbortSignal): Promise<AppliedModelConfig>;
  /**
   * Puts the server back as it was before the first change, through the model-state journal
   * (model-journal.ts); idempotent. Rejects with the journal's NOT restored line.
   */
  restore(): Promise<void>;
}

/** Runs a shell command for the `command` strategy (swappable in tests). */
export type CommandRunner = (
  command: string,
  env: Readonly<Record<string, string>>,
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
) => Promise<{ readonly exitCode: number; readonly outputTail: string }>;

/** What a controller needs. */
export interface ControllerDeps {
  readonly client: TritonClient;
  readonly config: Config;
  readonly log: Logger;
  readonly runCommand: CommandRunner;
  /** The run's model-state journal; absent: the controller keeps its own (tests, benchmarks). */
  readonly journal?: ModelJournal;
}

/** Builds a controller for one run. */
export type ControllerFactory = (deps: ControllerDeps) => ModelController;

/** Fails unless the server reports the expected max_batch_size (docs/architecture.md#measurement: verify every row). */
export async function verifyMaxBatch(
  client: TritonClient,
  model: string,
  maxBatch: number,
  signal: AbortSignal,
): Promise<ModelConfig> {
  const config = await client.modelConfig(model, '', { signal });
  if (config.maxBatchSize !== maxBatch) {
    throw new Error(
      `model '${model}' reports max_batch_size ${config.maxBatchSize} after the change, expected ${maxBatch}`,
    );
  }
  return config;
}

export type { BatchStrategy };
