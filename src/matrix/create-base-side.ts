/**
 * Connections and controller of a paired run's base side (docs/statistics.md §11). On the head's
 * server the base side shares its client and transport; on `baseline-server-url` it gets its own.
 * Its controller is the configured batch strategy acting on the base model, so every row puts
 * both sides at the same max_batch.
 */
import type { Config } from '../config/config.js';
import { createBaseModelController } from '../control/base-model-controller.js';
import { CONTROLLER_FACTORIES } from '../control/controllers.js';
import type { CommandRunner, ModelController } from '../control/model-controller.js';
import type { ModelJournal } from '../control/model-journal.js';
import type { BaseModelSnapshot } from '../control/read-base-model.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { StreamTransport } from '../load/stream-transport.js';
import type { Logger } from '../logger.js';
import { TritonClient } from '../triton/triton-client.js';
import type { BaseSideDeps } from './run-paired-rows.js';

/** The base side, and how to close what was opened for it. */
export interface BaseSide {
  readonly deps: BaseSideDeps;
  /** Closes the base side's own client (a no-op when it shares the head's). */
  close(): void;
}

/**
 * Builds the base side when `config` is paired; `undefined` otherwise. With `snapshot` (the
 * zero-config base read from git, docs/paired.md) the base is loaded by the run itself.
 */
export function createBaseSide(
  config: Config,
  head: {
    readonly client: TritonClient;
    readonly transport: InferTransport;
    /** The head's ModelStreamInfer transport, shared on the same server; absent: the base opens its own. */
    readonly streamTransport?: () => StreamTransport;
    readonly journal?: ModelJournal;
  },
  log: Logger,
  runCommand: CommandRunner,
  snapshot?: BaseModelSnapshot,
): BaseSide | undefined {
  const base = config.paired.base;
  if (base === undefined) return undefined;
  const isShared = base.server.address === config.server.address && base.server.isTls === config.server.isTls;
  const client = isShared
    ? head.client
    : new TritonClient({ address: base.server.address, isTls: base.server.isTls, headers: base.server.headers });
  const transport = isShared ? head.transport : client.inferTransport();
  // Opened on first use, as the head's: only decoupled models stream (model-kind.ts).
  let stream: StreamTransport | undefined;
  const streamTransport =
    isShared && head.streamTransport !== undefined
      ? head.streamTransport
      : (): StreamTransport => (stream ??= client.streamTransport());
  const baseConfig: Config = { ...config, server: base.server, matrix: { ...config.matrix, model: base.model } };
  if (snapshot !== undefined) {
    const controller = zeroConfigController(config, { client, log, snapshot, journal: head.journal });
    return {
      deps: { client, transport, streamTransport, controller, prepare: (signal) => controller.load(signal) },
      close: () => undefined,
    };
  }
  const controller = CONTROLLER_FACTORIES[config.control.strategy]({
    client,
    config: baseConfig,
    log,
    runCommand,
    ...(head.journal === undefined ? {} : { journal: head.journal }),
  });
  return {
    deps: { client, transport, streamTransport, controller },
    close: () => {
      if (!isShared) client.close();
    },
  };
}

function zeroConfigController(
  config: Config,
  side: {
    readonly client: TritonClient;
    readonly log: Logger;
    readonly snapshot: BaseModelSnapshot;
    readonly journal: ModelJournal | undefined;
  },
): ModelController & { load(signal: AbortSignal): Promise<void> } {
  const { client, log, snapshot, journal } = side;
  const { strategy, maxQueueDelayUs } = config.control;
  // parseConfig refuses the other strategies with model-repository (config/cross-field-issues.ts).
  if (strategy !== 'reload' && strategy !== 'fixed')
    throw new Error(`zero-config base with batch-strategy ${strategy} (a wiring bug)`);
  return createBaseModelController({
    client,
    snapshot,
    strategy,
    loadTimeoutMs: config.server.loadTimeoutMs,
    log,
    ...(maxQueueDelayUs === undefined ? {} : { maxQueueDelayUs }),
    ...(journal === undefined ? {} : { journal }),
  });
}
