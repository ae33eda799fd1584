// Known-answer tests that pin our generated protos (src/gen) to Triton's wire
// format and to the proto3 JSON that Triton's RepositoryModelLoad "config"
// override accepts. No server needed: expected bytes are hand-assembled from
// the field numbers/types in Triton's grpc_service.proto and model_config.proto.
import { describe, it, expect } from 'vitest';
import { create, equals, fromBinary, fromJson, toBinary, toJson, type JsonValue } from '@bufbuild/protobuf';
import {
  GRPCInferenceService,
  ModelInferRequestSchema,
  ModelInferResponseSchema,
  ModelStatisticsResponseSchema,
  RepositoryModelLoadRequestSchema,
} from '../../../src/gen/grpc_service_pb.js';
import {
  DataType,
  ModelConfigSchema,
  ModelInstanceGroup_Kind,
  ModelSequenceBatching_Control_Kind,
} from '../../../src/gen/model_config_pb.js';

const ascii = (s: string): number[] => [...Buffer.from(s, 'ascii')];
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (...parts: (number | number[])[]): Uint8Array => new Uint8Array(parts.flat());

/** Every object key anywhere in a JSON value (map keys included). */
function allKeys(v: JsonValue, out: string[] = []): string[] {
  if (Array.isArray(v)) {
    for (const e of v) allKeys(e, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, e] of Object.entries(v)) {
      out.push(k);
      allKeys(e, out);
    }
  }
  return out;
}

describe('GRPCInferenceService descriptor', () => {
  it('has exactly the RPCs we use, under inference.GRPCInferenceService; only ModelStreamInfer streams', () => {
    expect(GRPCInferenceService.typeName).toBe('inference.GRPCInferenceService');
    expect(GRPCInferenceService.methods.map((m) => m.name)).toEqual([
      'ServerLive',
      'ServerReady',
      'ModelReady',
      'ServerMetadata',
      'ModelMetadata',
      'ModelInfer',
      'ModelStreamInfer',
      'ModelConfig',
      'ModelStatistics',
      'RepositoryIndex',
      'RepositoryModelLoad',
      'RepositoryModelUnload',
    ]);
    for (const m of GRPCInferenceService.methods) {
      expect(m.methodKind).toBe(m.name === 'ModelStreamInfer' ? 'bidi_streaming' : 'unary');
    }
    expect(GRPCInferenceService.method.modelStreamInfer.input.typeName).toBe('inference.ModelInferRequest');
    expect(GRPCInferenceService.method.modelStreamInfer.output.typeName).toBe('inference.ModelStreamInferResponse');
    expect(GRPCInferenceService.method.modelInfer.input.typeName).toBe('inference.ModelInferRequest');
    expect(GRPCInferenceService.method.modelConfig.output.typeName).toBe('inference.ModelConfigResponse');
  });
});

describe('ModelInferRequest wire format', () => {
  it('encodes model_name=1, inputs=5 (name=1, datatype=2, packed shape=3), raw_input_contents=7', () => {
    const raw = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
    const req = create(ModelInferRequestSchema, {
      modelName: 'simple',
      inputs: [{ name: 'INPUT0', datatype: 'FP32', shape: [1n, 4n] }],
      rawInputContents: [raw],
    });
    const expected = bytes(
      [0x0a, 6, ...ascii('simple')], // field 1, LEN
      [0x2a, 18], // field 5, LEN 18: one InferInputTensor
      [0x0a, 6, ...ascii('INPUT0')], //   name = 1
      [0x12, 4, ...ascii('FP32')], //   datatype = 2
      [0x1a, 2, 1, 4], //   shape = 3, packed int64 [1, 4]
      [0x3a, 16, ...raw], // field 7, LEN 16: little-endian FP32 bytes
    );
    const wire = toBinary(ModelInferRequestSchema, req);
    expect(hex(wire)).toBe(hex(expected));
    expect(hex(raw)).toBe('0000803f000000400000404000008040');
    expect(equals(ModelInferRequestSchema, fromBinary(ModelInferRequestSchema, wire), req)).toBe(true);
  });

  it('encodes model_version=2, id=3 and a parameters map=4 with InferParameter oneof members', () => {
    const req = create(ModelInferRequestSchema, {
      modelName: 'm',
      modelVersion: '1',
      id: 'r',
      parameters: { p: { parameterChoice: { case: 'int64Param', value: 5n } } },
    });
    expect(hex(toBinary(ModelInferRequestSchema, req))).toBe(
      hex(
        bytes(
          [0x0a, 1, ...ascii('m')],
          [0x12, 1, ...ascii('1')],
          [0x1a, 1, ...ascii('r')],
          // field 4 map entry: key=1 "p", value=2 InferParameter{int64_param=2 varint 5}
          [0x22, 7, 0x0a, 1, ...ascii('p'), 0x12, 2, 0x10, 5],
        ),
      ),
    );
  });

  it('decodes a response: outputs=5 and raw_output_contents=6', () => {
    const out = [0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00];
    const wire = bytes(
      [0x0a, 1, ...ascii('m')], // model_name
      [0x12, 1, ...ascii('1')], // model_version
      [0x2a, 15, 0x0a, 2, ...ascii('y0'), 0x12, 5, ...ascii('INT32'), 0x1a, 2, 1, 2], // outputs
      [0x32, 8, ...out], // raw_output_contents
    );
    const res = fromBinary(ModelInferResponseSchema, wire);
    expect(res.modelName).toBe('m');
    expect(res.modelVersion).toBe('1');
    expect(res.outputs).toHaveLength(1);
    expect(res.outputs[0]?.name).toBe('y0');
    expect(res.outputs[0]?.datatype).toBe('INT32');
    expect(res.outputs[0]?.shape).toEqual([1n, 2n]);
    expect(res.rawOutputContents.map((b) => hex(b))).toEqual([hex(bytes(out))]);
  });
});

describe('RepositoryModelLoadRequest wire format', () => {
  it('puts the config override in parameters=3 as ModelRepositoryParameter.string_param=3', () => {
    const json = '{"max_batch_size":8}';
    const req = create(RepositoryModelLoadRequestSchema, {
      modelName: 'm',
      parameters: { config: { parameterChoice: { case: 'stringParam', value: json } } },
    });
    const value = [0x1a, json.length, ...ascii(json)]; // string_param = 3
    const entry = [0x0a, 6, ...ascii('config'), 0x12, value.length, ...value];
    expect(hex(toBinary(RepositoryModelLoadRequestSchema, req))).toBe(
      hex(bytes([0x12, 1, ...ascii('m')], [0x1a, entry.length, ...entry])),
    );
  });
});

describe('ModelStatistics wire format', () => {
  it('decodes inference_count=4, execution_count=5, inference_stats=6, batch_stats=7', () => {
    const duration = [0x08, 5, 0x10, 0xe8, 0x07]; // count=5, ns=1000
    const stats = [
      [0x0a, 1, ...ascii('m')], // name
      [0x12, 1, ...ascii('1')], // version
      [0x20, 64], // inference_count: batch elements
      [0x28, 1], // execution_count
      [0x32, duration.length + 2, 0x0a, duration.length, ...duration], // inference_stats.success
      [0x3a, 2, 0x08, 64], // batch_stats[0].batch_size
    ].flat();
    const res = fromBinary(ModelStatisticsResponseSchema, bytes([0x0a, stats.length, ...stats]));
    const s = res.modelStats[0];
    expect(s?.name).toBe('m');
    expect(s?.version).toBe('1');
    expect(s?.inferenceCount).toBe(64n);
    expect(s?.executionCount).toBe(1n);
    expect(s?.inferenceStats?.success?.count).toBe(5n);
    expect(s?.inferenceStats?.success?.ns).toBe(1000n);
    expect(s?.batchStats[0]?.batchSize).toBe(64n);
  });
});

describe('ModelConfig wire format', () => {
  // As Triton would send it in ModelConfigResponse.config (fields in number order),
  // except that output dims use the unpacked encoding, which parsers must accept.
  const outputUnpacked = [0x32, 9, 0x0a, 1, ...ascii('y'), 0x10, 11, 0x18, 4, 0x18, 2]; // output = 6 {dims=3 unpacked [4, 2]}
  const outputPacked = [0x32, 9, 0x0a, 1, ...ascii('y'), 0x10, 11, 0x1a, 2, 4, 2]; // same, packed
  const configWire = (output: number[]): Uint8Array =>
    bytes(
      [0x0a, 1, ...ascii('m')], // name = 1
      [0x1a, 4, 0x0a, 2, 0x08, 1], // version_policy = 3 { latest = 1 { num_versions = 1 } }
      [0x20, 8], // max_batch_size = 4
      [0x2a, 8, 0x0a, 1, ...ascii('x'), 0x10, 11, 0x22, 1, 4], // input = 5 {name, TYPE_FP32, dims packed [4]}
      output,
      [0x3a, 4, 0x10, 2, 0x20, 2], // instance_group = 7 {count = 2, kind = 4 KIND_CPU}
      [0x5a, 6, 0x0a, 2, 4, 8, 0x10, 100], // dynamic_batching = 11 {preferred [4, 8], delay 100}
      [0x72, 8, 0x0a, 1, ...ascii('k'), 0x12, 3, 0x0a, 1, ...ascii('v')], // parameters = 14 {k: {string_value: v}}
      [0x8a, 0x01, 11, ...ascii('onnxruntime')], // backend = 17 (two-byte tag)
      [0x9a, 0x01, 2, 0x08, 1], // model_transaction_policy = 19 {decoupled = true}
      [0xc2, 0x01, 2, 0x08, 1], // response_cache = 24 {enable = true}
      [0xca, 0x01, 8, ...ascii('model.py')], // runtime = 25
    );
  const wire = configWire(outputUnpacked);

  it('decodes a hand-built binary into the right fields', () => {
    const cfg = fromBinary(ModelConfigSchema, wire);
    expect(cfg.name).toBe('m');
    expect(cfg.backend).toBe('onnxruntime');
    expect(cfg.runtime).toBe('model.py');
    expect(cfg.maxBatchSize).toBe(8);
    expect(cfg.versionPolicy?.policyChoice.case).toBe('latest');
    expect(cfg.versionPolicy?.policyChoice.value).toMatchObject({ numVersions: 1 });
    expect(cfg.input[0]?.name).toBe('x');
    expect(cfg.input[0]?.dataType).toBe(DataType.TYPE_FP32);
    expect(cfg.input[0]?.dims).toEqual([4n]);
    expect(cfg.output[0]?.dims).toEqual([4n, 2n]);
    expect(cfg.instanceGroup[0]?.kind).toBe(ModelInstanceGroup_Kind.CPU);
    expect(cfg.instanceGroup[0]?.count).toBe(2);
    expect(cfg.schedulingChoice.case).toBe('dynamicBatching');
    if (cfg.schedulingChoice.case !== 'dynamicBatching') throw new Error('unreachable');
    expect(cfg.schedulingChoice.value.preferredBatchSize).toEqual([4, 8]);
    expect(cfg.schedulingChoice.value.maxQueueDelayMicroseconds).toBe(100n);
    expect(cfg.parameters['k']?.stringValue).toBe('v');
    expect(cfg.modelTransactionPolicy?.decoupled).toBe(true);
    expect(cfg.responseCache?.enable).toBe(true);
    expect(cfg.$unknown ?? []).toEqual([]);
  });

  it('re-encodes to the same bytes except that repeated scalars come out packed', () => {
    const cfg = fromBinary(ModelConfigSchema, wire);
    expect(hex(toBinary(ModelConfigSchema, cfg))).toBe(hex(configWire(outputPacked)));
  });

  it('keeps the last oneof member on the wire: sequence_batching=13 after dynamic_batching=11', () => {
    const seq = [0x22, 2, 0x08, 3]; // strategy_choice: oldest = 4 {max_candidate_sequences = 1: 3}
    const cfg = fromBinary(ModelConfigSchema, bytes([0x5a, 0], [0x6a, seq.length, ...seq]));
    expect(cfg.schedulingChoice.case).toBe('sequenceBatching');
    if (cfg.schedulingChoice.case !== 'sequenceBatching') throw new Error('unreachable');
    expect(cfg.schedulingChoice.value.strategyChoice.case).toBe('oldest');
  });

  it('pins a few numbers deep in the tree (sequence control, warmup, ensemble)', () => {
    const control = [0x08, 2, 0x2a, 2, 0, 1, 0x20, 1]; // kind=1 CONTROL_SEQUENCE_END, bool_false_true=5 packed, data_type=4 TYPE_BOOL
    const controlInput = [0x0a, 3, ...ascii('END'), 0x12, control.length, ...control];
    const seq = [0x12, controlInput.length, ...controlInput, 0x30, 1]; // control_input=2, iterative_sequence=6
    const cfg = fromBinary(ModelConfigSchema, bytes([0x6a, seq.length, ...seq]));
    if (cfg.schedulingChoice.case !== 'sequenceBatching') throw new Error('expected sequence_batching');
    const c = cfg.schedulingChoice.value.controlInput[0]?.control[0];
    expect(c?.kind).toBe(ModelSequenceBatching_Control_Kind.CONTROL_SEQUENCE_END);
    expect(c?.boolFalseTrue).toEqual([false, true]);
    expect(c?.dataType).toBe(DataType.TYPE_BOOL);
    expect(cfg.schedulingChoice.value.iterativeSequence).toBe(true);

    // model_warmup = 16 { name = 1, batch_size = 2, inputs = 3 {x: {random_data = 4}} }
    const input = [0x20, 1];
    const entry = [0x0a, 1, ...ascii('x'), 0x12, input.length, ...input];
    const warm = [0x0a, 1, ...ascii('w'), 0x10, 4, 0x1a, entry.length, ...entry];
    const w = fromBinary(ModelConfigSchema, bytes([0x82, 0x01, warm.length, ...warm])).modelWarmup[0];
    expect(w?.name).toBe('w');
    expect(w?.batchSize).toBe(4);
    expect(w?.inputs['x']?.inputDataType).toEqual({ case: 'randomData', value: true });

    // ensemble_scheduling = 15 { step = 1 { model_name = 1, model_version = 2 (-1) } }
    const step = [0x0a, 1, ...ascii('a'), 0x10, ...Array<number>(9).fill(0xff), 0x01];
    const ens = [0x0a, step.length, ...step];
    const e = fromBinary(ModelConfigSchema, bytes([0x7a, ens.length, ...ens]));
    if (e.schedulingChoice.case !== 'ensembleScheduling') throw new Error('expected ensemble_scheduling');
    expect(e.schedulingChoice.value.step[0]?.modelVersion).toBe(-1n);
  });
});

describe('ModelConfig proto3 JSON for the RepositoryModelLoad "config" override', () => {
  const cfg = create(ModelConfigSchema, {
    name: 'm',
    backend: 'onnxruntime',
    versionPolicy: { policyChoice: { case: 'latest', value: { numVersions: 1 } } },
    maxBatchSize: 8,
    input: [{ name: 'x', dataType: DataType.TYPE_FP32, dims: [4n] }],
    output: [{ name: 'y', dataType: DataType.TYPE_FP32, dims: [4n] }],
    schedulingChoice: {
      case: 'dynamicBatching',
      value: { preferredBatchSize: [4, 8], maxQueueDelayMicroseconds: 100n },
    },
    instanceGroup: [{ kind: ModelInstanceGroup_Kind.CPU, count: 2 }],
    parameters: { k: { stringValue: 'v' } },
  });

  const json = toJson(ModelConfigSchema, cfg, { useProtoFieldName: true });

  it("uses Triton's snake_case names, enum names, int64 as strings, and no oneof wrapper keys", () => {
    expect(json).toEqual({
      name: 'm',
      backend: 'onnxruntime',
      version_policy: { latest: { num_versions: 1 } },
      max_batch_size: 8,
      input: [{ name: 'x', data_type: 'TYPE_FP32', dims: ['4'] }],
      output: [{ name: 'y', data_type: 'TYPE_FP32', dims: ['4'] }],
      dynamic_batching: { preferred_batch_size: [4, 8], max_queue_delay_microseconds: '100' },
      instance_group: [{ kind: 'KIND_CPU', count: 2 }],
      parameters: { k: { string_value: 'v' } },
    });
    const keys = allKeys(json);
    for (const wrapper of [
      'scheduling_choice',
      'policy_choice',
      'strategy_choice',
      'state_data',
      'input_data_type',
      'metric_options',
      'schedulingChoice',
      'policyChoice',
      'case',
      'value',
    ]) {
      expect(keys).not.toContain(wrapper);
    }
    for (const k of keys) expect(k).toMatch(/^[a-z0-9_]+$/);
    // Fields newer than Triton 2.51 stay out of the override unless they were set.
    expect(keys).not.toContain('model_metrics');
  });

  it('fromJson of that JSON (and of its string form) gives back an equal message', () => {
    expect(equals(ModelConfigSchema, fromJson(ModelConfigSchema, json), cfg)).toBe(true);
    const viaString = fromJson(ModelConfigSchema, JSON.parse(JSON.stringify(json)) as JsonValue);
    expect(equals(ModelConfigSchema, viaString, cfg)).toBe(true);
  });

  it('JSON and binary agree: JSON -> message -> binary equals the direct binary', () => {
    expect(hex(toBinary(ModelConfigSchema, fromJson(ModelConfigSchema, json)))).toBe(
      hex(toBinary(ModelConfigSchema, cfg)),
    );
  });

  it('rejects a oneof wrapper key, as Triton does with ignore_unknown_fields=false', () => {
    expect(() => fromJson(ModelConfigSchema, { name: 'm', scheduling_choice: { dynamic_batching: {} } })).toThrow();
  });

  it('writes an empty dynamic_batching as {} and an All version policy as {"all": {}}', () => {
    const c = create(ModelConfigSchema, {
      versionPolicy: { policyChoice: { case: 'all', value: {} } },
      schedulingChoice: { case: 'dynamicBatching', value: {} },
    });
    expect(toJson(ModelConfigSchema, c, { useProtoFieldName: true })).toEqual({
      version_policy: { all: {} },
      dynamic_batching: {},
    });
  });
});
