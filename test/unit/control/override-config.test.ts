// The config override that puts a model at a row's max_batch (docs/real-triton.md,
// config override): preferred sizes cleared or clamped, dynamic batching removed for max_batch 0, the
// queue delay override, the proto3 JSON Triton parses, and the config hash of the fingerprint.
import {
  clone,
  create,
  equals,
  fromJson,
  type JsonObject,
  type JsonValue,
  type MessageInitShape,
} from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { configHash, configOverrideJson, overrideConfig } from '../../../src/control/override-config.js';
import {
  DataType,
  ModelConfigSchema,
  ModelInstanceGroup_Kind,
  type ModelConfig,
} from '../../../src/gen/model_config_pb.js';

/** Field values to change in `reported()` (the plain-object branch of the init shape). */
type ConfigInit = Exclude<MessageInitShape<typeof ModelConfigSchema>, ModelConfig>;

/** The effective config Triton reports for a model whose config.pbtxt has `dynamic_batching {}`. */
function reported(init: ConfigInit = {}): ModelConfig {
  return create(ModelConfigSchema, {
    name: 'demo',
    backend: 'python',
    maxBatchSize: 64,
    input: [{ name: 'input', dataType: DataType.TYPE_FP32, dims: [64n] }],
    output: [{ name: 'output', dataType: DataType.TYPE_FP32, dims: [10n] }],
    instanceGroup: [{ name: 'demo_0', kind: ModelInstanceGroup_Kind.CPU, count: 1 }],
    schedulingChoice: { case: 'dynamicBatching', value: { preferredBatchSize: [64], maxQueueDelayMicroseconds: 100n } },
    parameters: { EXECUTION_ENV_PATH: { stringValue: '/env' } },
    ...init,
  });
}

function batchingOf(config: ModelConfig) {
  return config.schedulingChoice.case === 'dynamicBatching' ? config.schedulingChoice.value : undefined;
}

/** Every object key anywhere in a JSON value. */
function allKeys(value: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

describe('overrideConfig: preferred batch sizes', () => {
  it('clears the auto-filled [originalMaxBatch] (Triton fills it again for the new value)', () => {
    const next = overrideConfig(reported(), { maxBatch: 8, originalMaxBatch: 64 });
    expect(next.maxBatchSize).toBe(8);
    expect(batchingOf(next)?.preferredBatchSize).toEqual([]);
  });

  it('clears it also when raising max_batch', () => {
    const original = reported({
      maxBatchSize: 8,
      schedulingChoice: { case: 'dynamicBatching', value: { preferredBatchSize: [8] } },
    });
    expect(batchingOf(overrideConfig(original, { maxBatch: 64, originalMaxBatch: 8 }))?.preferredBatchSize).toEqual([]);
  });

  it('clamps explicit preferred sizes to the new max_batch', () => {
    const original = reported({
      schedulingChoice: { case: 'dynamicBatching', value: { preferredBatchSize: [4, 16, 32] } },
    });
    expect(batchingOf(overrideConfig(original, { maxBatch: 16, originalMaxBatch: 64 }))?.preferredBatchSize).toEqual([
      4, 16,
    ]);
    expect(batchingOf(overrideConfig(original, { maxBatch: 2, originalMaxBatch: 64 }))?.preferredBatchSize).toEqual([]);
  });

  it('keeps a single explicit size that differs from the original max_batch when it fits', () => {
    const original = reported({ schedulingChoice: { case: 'dynamicBatching', value: { preferredBatchSize: [16] } } });
    expect(batchingOf(overrideConfig(original, { maxBatch: 32, originalMaxBatch: 64 }))?.preferredBatchSize).toEqual([
      16,
    ]);
  });
});

describe('overrideConfig: scheduling', () => {
  it('removes dynamic batching for max_batch 0 (no batching)', () => {
    const next = overrideConfig(reported(), { maxBatch: 0, originalMaxBatch: 64 });
    expect(next.maxBatchSize).toBe(0);
    expect(next.schedulingChoice.case).toBeUndefined();
  });

  it("sets the queue delay when asked and keeps the model's otherwise", () => {
    expect(
      batchingOf(overrideConfig(reported(), { maxBatch: 8, originalMaxBatch: 64, maxQueueDelayUs: 500 }))
        ?.maxQueueDelayMicroseconds,
    ).toBe(500n);
    expect(
      batchingOf(overrideConfig(reported(), { maxBatch: 8, originalMaxBatch: 64 }))?.maxQueueDelayMicroseconds,
    ).toBe(100n);
  });

  it('only changes max_batch for a model without dynamic batching', () => {
    const original = reported({ schedulingChoice: { case: undefined } });
    const next = overrideConfig(original, { maxBatch: 8, originalMaxBatch: 64, maxQueueDelayUs: 5 });
    expect(next.schedulingChoice.case).toBeUndefined();
    const expected = clone(ModelConfigSchema, original);
    expected.maxBatchSize = 8;
    expect(equals(ModelConfigSchema, next, expected)).toBe(true);
  });

  it('keeps every other field as reported', () => {
    const original = reported();
    const next = overrideConfig(original, { maxBatch: 8, originalMaxBatch: 64 });
    const expected = clone(ModelConfigSchema, original);
    expected.maxBatchSize = 8;
    if (expected.schedulingChoice.case === 'dynamicBatching') expected.schedulingChoice.value.preferredBatchSize = [];
    expect(equals(ModelConfigSchema, next, expected)).toBe(true);
  });

  it('does not mutate its input', () => {
    const original = reported();
    const snapshot = clone(ModelConfigSchema, original);
    overrideConfig(original, { maxBatch: 8, originalMaxBatch: 64, maxQueueDelayUs: 7 });
    overrideConfig(original, { maxBatch: 0, originalMaxBatch: 64 });
    expect(equals(ModelConfigSchema, original, snapshot)).toBe(true);
  });
});

describe('configOverrideJson', () => {
  const json = configOverrideJson(overrideConfig(reported(), { maxBatch: 8, originalMaxBatch: 64 }));
  const parsed = JSON.parse(json) as JsonObject;

  it('uses the proto field names (snake_case) and enum names', () => {
    expect(parsed).toMatchObject({
      name: 'demo',
      max_batch_size: 8,
      dynamic_batching: { max_queue_delay_microseconds: '100' },
      instance_group: [{ name: 'demo_0', kind: 'KIND_CPU', count: 1 }],
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: ['64'] }],
      parameters: { EXECUTION_ENV_PATH: { string_value: '/env' } },
    });
    expect(allKeys(parsed).filter((k) => /[A-Z]/.test(k) && k !== 'EXECUTION_ENV_PATH')).toEqual([]);
  });

  it('has no oneof wrapper keys, no nulls and no cleared preferred sizes', () => {
    const keys = allKeys(parsed);
    for (const wrapper of ['scheduling_choice', 'schedulingChoice', 'case', 'value', 'policy_choice', '$typeName']) {
      expect(keys).not.toContain(wrapper);
    }
    expect(keys).not.toContain('preferred_batch_size');
    expect(json).not.toContain('null');
  });

  it('parses back with unknown fields refused (as Triton does) into the same config', () => {
    const next = overrideConfig(reported(), { maxBatch: 8, originalMaxBatch: 64 });
    const back = fromJson(ModelConfigSchema, JSON.parse(configOverrideJson(next)) as JsonValue, {
      ignoreUnknownFields: false,
    });
    expect(equals(ModelConfigSchema, back, next)).toBe(true);
  });

  it('has no dynamic_batching key for max_batch 0', () => {
    const zero = JSON.parse(
      configOverrideJson(overrideConfig(reported(), { maxBatch: 0, originalMaxBatch: 64 })),
    ) as JsonObject;
    expect(zero).not.toHaveProperty('dynamic_batching');
    expect(zero).not.toHaveProperty('max_batch_size');
  });
});

describe('configHash', () => {
  const original = reported();

  it('is 16 hex digits', () => {
    expect(configHash(original)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is equal across rows: max_batch, preferred sizes and name do not count', () => {
    const rows = [1, 8, 16, 64].map((maxBatch) => overrideConfig(original, { maxBatch, originalMaxBatch: 64 }));
    const explicit = reported({
      schedulingChoice: {
        case: 'dynamicBatching',
        value: { preferredBatchSize: [4, 8], maxQueueDelayMicroseconds: 100n },
      },
    });
    const renamed = reported({ name: 'demo_mb8', maxBatchSize: 8 });
    const hashes = new Set([original, ...rows, explicit, renamed].map(configHash));
    expect(hashes.size).toBe(1);
  });

  it('does not depend on the order map keys were inserted in', () => {
    const a = reported({ parameters: { A: { stringValue: '1' }, B: { stringValue: '2' } } });
    const b = reported({ parameters: { B: { stringValue: '2' }, A: { stringValue: '1' } } });
    expect(configHash(a)).toBe(configHash(b));
  });

  it.each<[string, ConfigInit]>([
    ['the instance count', { instanceGroup: [{ name: 'demo_0', kind: ModelInstanceGroup_Kind.CPU, count: 2 }] }],
    ['the instance kind', { instanceGroup: [{ name: 'demo_0', kind: ModelInstanceGroup_Kind.GPU, count: 1 }] }],
    ['a backend parameter', { parameters: { EXECUTION_ENV_PATH: { stringValue: '/other' } } }],
    [
      'an added parameter',
      { parameters: { EXECUTION_ENV_PATH: { stringValue: '/env' }, slowdown: { stringValue: '0.1' } } },
    ],
    [
      'the queue delay',
      {
        schedulingChoice: {
          case: 'dynamicBatching',
          value: { preferredBatchSize: [64], maxQueueDelayMicroseconds: 200n },
        },
      },
    ],
    ['the scheduler', { schedulingChoice: { case: undefined } }],
    ['an input shape', { input: [{ name: 'input', dataType: DataType.TYPE_FP32, dims: [32n] }] }],
    ['the backend', { backend: 'onnxruntime' }],
  ])('differs when %s differs', (_, change) => {
    expect(configHash(reported(change))).not.toBe(configHash(original));
  });
});
