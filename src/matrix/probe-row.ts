/**
 * The capacity probe of a stored row (capacity-probe.ts, docs/real-triton.md "Capacity probe"):
 * after the row's cells on the server as it is (`capacity: probe`), or as the capacity search's
 * step, which puts the server at the row first (`capacity: search`, capacity-search.ts).
 */
import type { Config } from '../config/config.js';
import type { AppliedModelConfig, ModelController } from '../control/model-controller.js';
import { errorMessage } from '../error-message.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { Logger } from '../logger.js';
import type { CapacityProbe } from '../model/run-result.js';
import type { TritonClient } from '../triton/triton-client.js';
import { probeCapacity } from './capacity-probe.js';
import { modelStatsReader } from './model-stats-reader.js';
import { buildRowRequest } from './row-request.js';

/** What a probe talks to (a part of run-row.ts's `RowRunDeps`). */
export interface ProbeRowDeps {
  readonly client: Pick<TritonClient, 'inferRaw' | 'modelStatistics'>;
  readonly transport: InferTransport;
  readonly controller: ModelController;
  readonly log: Logger;
  /** Parsed JSON of input data files, by path. */
  readonly files: ReadonlyMap<string, unknown>;
  readonly signal: AbortSignal;
  readonly clock?: Clock;
}

/** Probes the row the server is at now (capacity-probe.ts). */
export function probeAppliedRow(
  config: Config,
  deps: ProbeRowDeps,
  applied: AppliedModelConfig,
  maxBatch: number,
): Promise<CapacityProbe> {
  const timeoutMs = config.server.requestTimeoutMs;
  return probeCapacity(maxBatch, {
    transport: deps.transport,
    readStats: modelStatsReader(
      deps.client,
      { model: applied.model, version: config.matrix.modelVersion, signal: deps.signal },
      deps.log,
    ),
    signal: deps.signal,
    timeoutMs,
    buildRequest: (items) => buildRowRequest(config.matrix, applied, { maxBatch, files: deps.files, items }).bytes,
    inferOnce: async (request) => {
      await deps.client.inferRaw(request, { timeoutMs, signal: deps.signal });
    },
    clock: deps.clock,
  });
}

/** Puts the server at `maxBatch` and probes it: the capacity search's step. */
export async function probeRow(config: Config, deps: ProbeRowDeps, maxBatch: number): Promise<CapacityProbe> {
  try {
    const applied = await deps.controller.apply(maxBatch, deps.signal);
    return { ...(await probeAppliedRow(config, deps, applied, maxBatch)), isSearch: true };
  } catch (err: unknown) {
    return { maxBatch, status: 'failed', message: `the row did not load: ${errorMessage(err)}`, isSearch: true };
  }
}
