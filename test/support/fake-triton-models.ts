/**
 * The model side of the fake Triton (`fake-triton.ts`): a repository of models with Triton's
 * lifecycle states, the normalisation and validation Triton applies to a load's `config`
 * override, ModelInfer request validation and ModelStatistics counters. Texts and rules follow
 * the real Triton (docs/real-triton.md). Independent of src/ on purpose (its own datatype table),
 * so the fake cannot share a bug with the code under test.
 */
import { clone, create, fromJson, type JsonValue } from '@bufbuild/protobuf';
import { status } from '@grpc/grpc-js';
import type { ModelInferRequest, ModelStatistics } from '../../src/gen/grpc_service_pb.js';
import { ModelStatisticsSchema } from '../../src/gen/grpc_service_pb.js';
import {
  DataType,
  ModelConfigSchema,
  ModelInstanceGroup_Kind,
  type ModelConfig,
} from '../../src/gen/model_config_pb.js';

/** A gRPC status the fake answers with. */
export class FakeStatus extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(details);
  }
}

/** Protocol datatype and element size (0 = variable, BYTES) of each config DataType. */
const DATATYPES: Readonly<Partial<Record<DataType, readonly [string, number]>>> = {
  [DataType.TYPE_BOOL]: ['BOOL', 1],
  [DataType.TYPE_UINT8]: ['UINT8', 1],
  [DataType.TYPE_UINT16]: ['UINT16', 2],
  [DataType.TYPE_UINT32]: ['UINT32', 4],
  [DataType.TYPE_UINT64]: ['UINT64', 8],
  [DataType.TYPE_INT8]: ['INT8', 1],
  [DataType.TYPE_INT16]: ['INT16', 2],
  [DataType.TYPE_INT32]: ['INT32', 4],
  [DataType.TYPE_INT64]: ['INT64', 8],
  [DataType.TYPE_FP16]: ['FP16', 2],
  [DataType.TYPE_FP32]: ['FP32', 4],
  [DataType.TYPE_FP64]: ['FP64', 8],
  [DataType.TYPE_STRING]: ['BYTES', 0],
  [DataType.TYPE_BF16]: ['BF16', 2],
};

/** `[protocol datatype, bytes per element]` of a config DataType. */
export function datatypeOf(type: DataType): readonly [string, number] {
  return DATATYPES[type] ?? ['INVALID', 0];
}

/**
 * A model config as Triton reports it after auto-complete: one FP32 input `INPUT0` [16], one
 * output, one CPU instance, dynamic batching with the auto-filled `preferred_batch_size`.
 */
export function fakeModelConfig(name: string, maxBatch: number): ModelConfig {
  return create(ModelConfigSchema, {
    name,
    backend: 'python',
    maxBatchSize: maxBatch,
    input: [{ name: 'INPUT0', dataType: DataType.TYPE_FP32, dims: [16n] }],
    output: [{ name: 'OUTPUT0', dataType: DataType.TYPE_FP32, dims: [16n] }],
    instanceGroup: [{ name: `${name}_0`, kind: ModelInstanceGroup_Kind.CPU, count: 1 }],
    ...(maxBatch > 0
      ? { schedulingChoice: { case: 'dynamicBatching' as const, value: { preferredBatchSize: [maxBatch] } } }
      : {}),
  });
}

/** Lifecycle states of the repository index (core `model_lifecycle.cc`); '' = never loaded. */
export type ModelState = 'READY' | 'UNAVAILABLE' | 'LOADING' | '';

interface Counters {
  inferences: number;
  executions: number;
  successes: number;
  /** Executions by batch size. */
  batches: Map<number, number>;
}

/** One model of the repository. */
export class FakeModel {
  state: ModelState = '';
  reason = '';
  /** Effective config while loading or loaded. */
  served: ModelConfig | undefined;
  counters: Counters = { inferences: 0, executions: 0, successes: 0, batches: new Map() };

  constructor(
    readonly name: string,
    readonly disk: ModelConfig,
  ) {}

  /** Loads `config` (a normalised override, or the disk config); statistics start from 0. */
  load(config: ModelConfig, state: 'READY' | 'LOADING' = 'READY'): void {
    this.served = config;
    this.state = state;
    this.reason = '';
    this.counters = { inferences: 0, executions: 0, successes: 0, batches: new Map() };
  }

  unload(reason = 'unloaded'): void {
    this.served = undefined;
    this.state = 'UNAVAILABLE';
    this.reason = reason;
  }

  /** The served config, or Triton's error for a model that is not ready. */
  ready(): ModelConfig {
    if (this.state !== 'READY' || this.served === undefined) {
      throw new FakeStatus(status.UNAVAILABLE, `Request for unknown model: '${this.name}' has no available versions`);
    }
    return this.served;
  }

  statistics(): ModelStatistics {
    const ns = (count: number, perCallNs: number) => ({ count: BigInt(count), ns: BigInt(count * perCallNs) });
    const c = this.counters;
    return create(ModelStatisticsSchema, {
      name: this.name,
      version: '1',
      inferenceCount: BigInt(c.inferences),
      executionCount: BigInt(c.executions),
      // Fixed per-request times, so tests can assert Triton's view exactly.
      inferenceStats: {
        success: ns(c.successes, 10_000),
        queue: ns(c.successes, 1_000),
        computeInput: ns(c.successes, 100),
        computeInfer: ns(c.successes, 5_000),
        computeOutput: ns(c.successes, 100),
      },
      batchStats: [...c.batches]
        .sort(([a], [b]) => a - b)
        .map(([size, count]) => ({ batchSize: BigInt(size), computeInfer: ns(count, 5_000) })),
    });
  }

  /** Validates a ModelInfer request as Triton would; returns its batch size. */
  validateInfer(request: ModelInferRequest): number {
    const config = this.ready();
    const required = config.input.filter((i) => !i.optional);
    if (request.inputs.length < required.length || request.inputs.length > config.input.length) {
      throw new FakeStatus(
        status.INVALID_ARGUMENT,
        `expected ${required.length} inputs but got ${request.inputs.length} inputs for model '${this.name}'`,
      );
    }
    if (request.rawInputContents.length !== request.inputs.length) {
      throw new FakeStatus(
        status.INVALID_ARGUMENT,
        `expected ${request.inputs.length} raw input contents, got ${request.rawInputContents.length}`,
      );
    }
    let batch = 1;
    request.inputs.forEach((tensor, index) => {
      const input = config.input.find((i) => i.name === tensor.name);
      if (input === undefined)
        throw new FakeStatus(
          status.INVALID_ARGUMENT,
          `unexpected inference input '${tensor.name}' for model '${this.name}'`,
        );
      const [datatype, size] = datatypeOf(input.dataType);
      if (tensor.datatype !== datatype) {
        throw new FakeStatus(
          status.INVALID_ARGUMENT,
          `inference input '${tensor.name}' data-type is '${tensor.datatype}', but model '${this.name}' expects '${datatype}'`,
        );
      }
      const shape = tensor.shape.map(Number);
      const expected = [...(config.maxBatchSize > 0 ? [-1] : []), ...input.dims.map(Number)];
      const fits = shape.length === expected.length && shape.every((d, i) => expected[i] === -1 || expected[i] === d);
      if (!fits) {
        throw new FakeStatus(
          status.INVALID_ARGUMENT,
          `unexpected shape for input '${tensor.name}' for model '${this.name}'. Expected [${expected.join(',')}], got [${shape.join(',')}]`,
        );
      }
      if (config.maxBatchSize > 0) {
        batch = shape[0] ?? 0;
        if (batch < 1 || batch > config.maxBatchSize) {
          throw new FakeStatus(
            status.INVALID_ARGUMENT,
            `inference request batch-size must be <= ${config.maxBatchSize} for '${this.name}'`,
          );
        }
      }
      const bytes = request.rawInputContents[index]?.length ?? 0;
      const expectedBytes = shape.reduce((a, b) => a * b, 1) * size;
      if (size > 0 && bytes !== expectedBytes) {
        throw new FakeStatus(
          status.INVALID_ARGUMENT,
          `input byte size mismatch for input '${tensor.name}' for model '${this.name}'. Expected ${expectedBytes}, got ${bytes}`,
        );
      }
    });
    return batch;
  }

  /** Counts one served request of `batch` items as one execution. */
  recordSuccess(batch: number): void {
    this.counters.inferences += batch;
    this.counters.executions += 1;
    this.counters.successes += 1;
    this.counters.batches.set(batch, (this.counters.batches.get(batch) ?? 0) + 1);
  }
}

const loadFailure = (model: string, reason: string): FakeStatus =>
  new FakeStatus(
    status.INVALID_ARGUMENT,
    `load failed for model '${model}': version 1 is at UNAVAILABLE state: ${reason};`,
  );

/**
 * Parses and normalises a `config` override as Triton does (reference §2.2): proto3 JSON with
 * unknown fields refused; name filled or checked; preferred sizes auto-filled with
 * `[max_batch_size]` and each checked against it.
 */
export function parseConfigOverride(model: string, json: string): ModelConfig {
  let config: ModelConfig;
  try {
    config = fromJson(ModelConfigSchema, JSON.parse(json) as JsonValue, { ignoreUnknownFields: false });
  } catch (err: unknown) {
    throw new FakeStatus(
      status.INVALID_ARGUMENT,
      `failed to load '${model}', Invalid config override: ${err instanceof Error ? err.message : 'unparsable'}`,
    );
  }
  const next = clone(ModelConfigSchema, config);
  if (next.name === '') next.name = model;
  if (next.name !== model)
    throw loadFailure(
      model,
      `Invalid argument: model configuration name '${next.name}' must match the model name '${model}'`,
    );
  if (next.maxBatchSize < 0) throw loadFailure(model, 'Invalid argument: max_batch_size must be non-negative');
  const scheduling = next.schedulingChoice;
  if (scheduling.case === 'dynamicBatching') {
    const batching = scheduling.value;
    if (batching.preferredBatchSize.length === 0 && next.maxBatchSize > 0)
      batching.preferredBatchSize = [next.maxBatchSize];
    if (batching.preferredBatchSize.some((size) => size <= 0 || size > next.maxBatchSize)) {
      throw loadFailure(
        model,
        `Invalid argument: dynamic batching preferred size must be <= max batch size for ${model}`,
      );
    }
  }
  return next;
}

/** The failure of a load above an engine's batch limit (TensorRT's text, reference §2.2). */
export function engineLimitFailure(model: string, maxBatch: number, limit: number): FakeStatus {
  return loadFailure(
    model,
    `Invalid argument: configuration specified max-batch ${maxBatch} but TensorRT engine only supports max-batch ${limit}`,
  );
}
