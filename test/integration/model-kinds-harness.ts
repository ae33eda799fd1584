/**
 * Shared by the model-kind integration tests (issue 19): load the models a file uses on the
 * shared real Triton (explicit mode; none of them is loaded at startup) and unload them after,
 * build requests for them, and read Triton's own counters over a run.
 */
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { InferParameterSchema, ModelInferRequestSchema } from '../../src/gen/grpc_service_pb.js';
import { EMPTY_FINAL_OPT_IN } from '../../src/load/request-tail.js';
import { countersOf, subtractCounters, type StatsCounters } from '../../src/matrix/server-stats.js';
import { waitForModelReady } from '../../src/triton/inspect-model.js';
import type { Config } from '../../src/config/config.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import { silentLogger } from '../../src/logger.js';
import { createBaseSide } from '../../src/matrix/create-base-side.js';
import { runMatrix } from '../../src/matrix/run-matrix.js';
import type { RunResult } from '../../src/model/run-result.js';
import { TritonClient, type InferTransportKind } from '../../src/triton/triton-client.js';

/**
 * Loads `models` one after another before the file's tests (a python model takes 1-3 s on this
 * VM), and after them unloads them (ignoring failures) and closes `client`.
 */
export function useLoadedModels(client: TritonClient, models: readonly string[], timeoutMs = 180_000): void {
  beforeAll(async () => {
    for (const model of models) {
      await client.repositoryModelLoad(model, undefined, { timeoutMs: 120_000 });
      await waitForModelReady(client, model, { timeoutMs: 60_000 });
    }
  }, timeoutMs);
  afterAll(async () => {
    for (const model of models) await client.repositoryModelUnload(model).catch(() => undefined);
    client.close();
  });
}

/** Triton's cumulative counters of `model` now. */
export async function countersNow(client: TritonClient, model: string): Promise<StatsCounters> {
  return countersOf(await client.modelStatistics(model));
}

/**
 * Counters of `model` since `before`, once Triton counted `requests` successes: it updates them
 * just after replying, so a snapshot right after the last reply can be one request short.
 */
export async function settledDelta(
  client: TritonClient,
  model: string,
  before: StatsCounters,
  requests: number,
): Promise<StatsCounters> {
  let delta = subtractCounters(await countersNow(client, model), before);
  for (let i = 0; i < 50 && delta.successCount < requests; i++) {
    await sleep(100);
    delta = subtractCounters(await countersNow(client, model), before);
  }
  return delta;
}

/** A raw input tensor. */
export interface RawInput {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** Encodes a ModelInferRequest; `isStream` appends the empty-final opt-in a stream request carries. */
export function encodeRequest(
  model: string,
  inputs: readonly RawInput[],
  isStream = false,
  extra: { readonly parameters?: Record<string, MessageInitShape<typeof InferParameterSchema>> } = {},
): Buffer {
  const message = create(ModelInferRequestSchema, {
    ...(extra.parameters === undefined ? {} : { parameters: extra.parameters }),
    modelName: model,
    inputs: inputs.map((input) => ({ name: input.name, datatype: input.datatype, shape: input.shape.map(BigInt) })),
    rawInputContents: inputs.map((input) => input.data),
  });
  const bytes = Buffer.from(toBinary(ModelInferRequestSchema, message));
  return isStream ? Buffer.concat([bytes, EMPTY_FINAL_OPT_IN]) : bytes;
}

/** Little-endian INT32 values. */
export function int32(...values: number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

/** Little-endian FP32 values. */
export function fp32(...values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** Options of {@link runMatrixAs}. */
export interface MatrixRunOptions {
  /** Data files by path, as the run's reader returns them (`readInputFiles`). */
  readonly files?: ReadonlyMap<string, unknown>;
  readonly transport?: InferTransportKind;
}

/**
 * A matrix run as the CLI makes it, silent: `config`'s controller, both transports and, for a
 * paired config, its base side.
 */
export async function runMatrixAs(config: Config, options: MatrixRunOptions = {}): Promise<RunResult> {
  const client = new TritonClient({ address: config.server.address, isTls: false, transport: options.transport });
  const transport = client.inferTransport();
  const streamTransport = (): ReturnType<TritonClient['streamTransport']> => client.streamTransport();
  const base = createBaseSide(config, { client, transport, streamTransport }, silentLogger, runShellCommand);
  try {
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({
      client,
      config,
      log: silentLogger,
      runCommand: runShellCommand,
    });
    const deps = {
      client,
      transport,
      streamTransport,
      controller,
      log: silentLogger,
      files: options.files ?? new Map(),
    };
    return await runMatrix(
      config,
      { ...deps, signal: new AbortController().signal, ...(base === undefined ? {} : { base: base.deps }) },
      { source: { event: 'test' }, label: 'ci' },
    );
  } finally {
    base?.close();
    client.close();
  }
}

/**
 * Every cell of `run` (users 1 and 3) measured without errors, `trials` trials of `requests`
 * each, and Triton counted exactly those requests (one item each).
 */
export function expectCountedCells(run: RunResult, trials: number, requests: number): void {
  expect(run.cells.map((c) => c.users)).toEqual([1, 3]);
  for (const cell of run.cells) {
    expect(cell.status, cell.message).not.toBe('failed');
    expect(cell.trials).toHaveLength(trials);
    for (const trial of cell.trials) {
      expect(trial.errors, trial.firstError).toBe(0);
      expect(trial.requests).toBe(requests);
    }
    expect(cell.server?.successCount).toBe(trials * requests);
    expect(cell.server?.inferenceCount).toBe(trials * requests);
  }
}
