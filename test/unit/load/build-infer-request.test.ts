// Building a cell's ModelInfer request from the model's config: the batch dimension, raw
// contents (one item repeated), overrides, optional inputs, descriptions, and the ConfigError
// for every way inputs can fail to fit the model. Requests are decoded with fromBinary.
import { create, fromBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import type { InputOverride } from '../../../src/config/config.js';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';
import { DataType, ModelConfigSchema } from '../../../src/gen/model_config_pb.js';
import { buildInferRequest, protocolDatatype, type RequestSpec } from '../../../src/load/build-infer-request.js';

type InputInit = NonNullable<MessageInitShape<typeof ModelConfigSchema>['input']>[number];

const modelConfig = (maxBatchSize: number, input: InputInit[]) =>
  create(ModelConfigSchema, { name: 'm', maxBatchSize, input });
const fp32Input: InputInit = { name: 'INPUT0', dataType: DataType.TYPE_FP32, dims: [16n] };

function spec(overrides: Partial<RequestSpec> = {}): RequestSpec {
  return {
    model: 'm',
    modelVersion: '',
    config: modelConfig(8, [fp32Input]),
    maxBatch: 8,
    itemsPerRequest: 1,
    overrides: [],
    defaultData: 'random',
    seed: 1,
    files: new Map(),
    ...overrides,
  };
}

function decoded(s: RequestSpec) {
  const built = buildInferRequest(s);
  return { built, request: fromBinary(ModelInferRequestSchema, built.bytes) };
}

/** The ConfigError thrown by `buildInferRequest(s)`, asserting it throws one. */
function configErrorOf(s: RequestSpec): ConfigError {
  let caught: unknown;
  try {
    buildInferRequest(s);
  } catch (err: unknown) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

describe('protocolDatatype', () => {
  it.each([
    [DataType.TYPE_BOOL, 'BOOL'],
    [DataType.TYPE_UINT8, 'UINT8'],
    [DataType.TYPE_UINT16, 'UINT16'],
    [DataType.TYPE_UINT32, 'UINT32'],
    [DataType.TYPE_UINT64, 'UINT64'],
    [DataType.TYPE_INT8, 'INT8'],
    [DataType.TYPE_INT16, 'INT16'],
    [DataType.TYPE_INT32, 'INT32'],
    [DataType.TYPE_INT64, 'INT64'],
    [DataType.TYPE_FP16, 'FP16'],
    [DataType.TYPE_FP32, 'FP32'],
    [DataType.TYPE_FP64, 'FP64'],
    [DataType.TYPE_STRING, 'BYTES'],
    [DataType.TYPE_BF16, 'BF16'],
  ])('%i -> %s', (type, expected) => {
    expect(protocolDatatype(type)).toBe(expected);
  });
});

describe('buildInferRequest: shape and contents', () => {
  it('adds a batch dimension equal to itemsPerRequest when max_batch > 0, repeating one item', () => {
    const { request } = decoded(spec({ maxBatch: 8, itemsPerRequest: 4 }));
    expect(request.modelName).toBe('m');
    expect(request.inputs.map((i) => [i.name, i.datatype, i.shape.map(Number)])).toEqual([['INPUT0', 'FP32', [4, 16]]]);
    const raw = Buffer.from(request.rawInputContents[0] ?? []);
    expect(raw.length).toBe(4 * 16 * 4);
    const item = raw.subarray(0, 64);
    for (let i = 1; i < 4; i++) expect(raw.subarray(i * 64, (i + 1) * 64)).toEqual(item);
    expect(item.some((b) => b !== 0)).toBe(true);
  });

  it('sends no batch dimension and one item when max_batch is 0', () => {
    const { request } = decoded(spec({ config: modelConfig(0, [fp32Input]), maxBatch: 0, itemsPerRequest: 1 }));
    expect(request.inputs[0]?.shape.map(Number)).toEqual([16]);
    expect(request.rawInputContents[0]?.length).toBe(64);
  });

  it('uses the row max_batch, not the config max_batch, to decide on the batch dimension', () => {
    // The reference config (max_batch 64) is used to validate inputs before rows run.
    const { request } = decoded(spec({ config: modelConfig(64, [fp32Input]), maxBatch: 16, itemsPerRequest: 2 }));
    expect(request.inputs[0]?.shape.map(Number)).toEqual([2, 16]);
  });

  it('passes the model version through', () => {
    expect(decoded(spec({ modelVersion: '3' })).request.modelVersion).toBe('3');
  });

  it('keeps several inputs in config order, each with its own datatype and size', () => {
    const config = modelConfig(4, [
      { name: 'ids', dataType: DataType.TYPE_INT64, dims: [2n, 3n] },
      { name: 'mask', dataType: DataType.TYPE_BOOL, dims: [6n] },
      fp32Input,
    ]);
    const { request, built } = decoded(spec({ config, maxBatch: 4, itemsPerRequest: 2 }));
    expect(request.inputs.map((i) => [i.name, i.datatype, i.shape.map(Number)])).toEqual([
      ['ids', 'INT64', [2, 2, 3]],
      ['mask', 'BOOL', [2, 6]],
      ['INPUT0', 'FP32', [2, 16]],
    ]);
    expect(request.rawInputContents.map((r) => r.length)).toEqual([2 * 6 * 8, 2 * 6, 2 * 16 * 4]);
    expect(built.description).toEqual(['ids:INT64[2,3]:random', 'mask:BOOL[6]:random', 'INPUT0:FP32[16]:random']);
  });

  it('fills zeros with defaultData zeros', () => {
    const { request } = decoded(spec({ defaultData: 'zeros', itemsPerRequest: 2 }));
    expect(Buffer.from(request.rawInputContents[0] ?? []).every((b) => b === 0)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(buildInferRequest(spec({ seed: 5 })).bytes).toEqual(buildInferRequest(spec({ seed: 5 })).bytes);
    expect(buildInferRequest(spec({ seed: 5 })).bytes).not.toEqual(buildInferRequest(spec({ seed: 6 })).bytes);
  });
});

describe('buildInferRequest: overrides', () => {
  const variable = modelConfig(8, [{ name: 'tokens', dataType: DataType.TYPE_INT32, dims: [-1n, 4n] }]);

  it('takes the shape of -1 dimensions from an override', () => {
    const { request, built } = decoded(
      spec({ config: variable, overrides: [{ name: 'tokens', shape: [5, 4] }], itemsPerRequest: 3 }),
    );
    expect(request.inputs[0]?.shape.map(Number)).toEqual([3, 5, 4]);
    expect(request.rawInputContents[0]?.length).toBe(3 * 20 * 4);
    expect(built.description).toEqual(['tokens:INT32[5,4]:random']);
  });

  it('accepts a matching datatype override and per-input data', () => {
    const overrides: InputOverride[] = [{ name: 'INPUT0', datatype: 'FP32', data: 'zeros' }];
    const { request, built } = decoded(spec({ overrides }));
    expect(Buffer.from(request.rawInputContents[0] ?? []).every((b) => b === 0)).toBe(true);
    expect(built.description).toEqual(['INPUT0:FP32[16]:zeros']);
  });

  it('sends the values of a JSON file (nested lists flattened), repeated per item', () => {
    const files = new Map<string, unknown>([
      [
        'x.json',
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const config = modelConfig(8, [{ name: 'x', dataType: DataType.TYPE_FP32, dims: [2n, 2n] }]);
    const { request, built } = decoded(
      spec({ config, files, overrides: [{ name: 'x', data: { file: 'x.json' } }], itemsPerRequest: 2 }),
    );
    const raw = Buffer.from(request.rawInputContents[0] ?? []);
    expect(Array.from({ length: 8 }, (_, i) => raw.readFloatLE(i * 4))).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    expect(built.description).toEqual(['x:FP32[2,2]:file:x.json']);
  });

  it('sends BYTES (TYPE_STRING) inputs from a file of strings, length-prefixed', () => {
    const config = modelConfig(0, [{ name: 'text', dataType: DataType.TYPE_STRING, dims: [2n] }]);
    const files = new Map<string, unknown>([['t.json', ['hi', 'yo!']]]);
    const { request, built } = decoded(
      spec({ config, maxBatch: 0, files, overrides: [{ name: 'text', data: { file: 't.json' } }] }),
    );
    expect(request.inputs[0]?.datatype).toBe('BYTES');
    expect(Buffer.from(request.rawInputContents[0] ?? []).toString('hex')).toBe('020000006869' + '03000000796f21');
    expect(built.description).toEqual(['text:BYTES[2]:file:t.json']);
  });
});

describe('buildInferRequest: optional inputs', () => {
  const config = modelConfig(8, [
    fp32Input,
    { name: 'extra', dataType: DataType.TYPE_INT32, dims: [1n], optional: true },
  ]);

  it('sends optional inputs with generated data, as perf_analyzer does', () => {
    const { request, built } = decoded(spec({ config }));
    expect(request.inputs.map((i) => i.name)).toEqual(['INPUT0', 'extra']);
    expect(built.description).toEqual(['INPUT0:FP32[16]:random', 'extra:INT32[1]:random']);
  });

  it('leaves out an optional input whose data is none', () => {
    const { request, built } = decoded(spec({ config, overrides: [{ name: 'extra', data: 'none' }] }));
    expect(request.inputs.map((i) => i.name)).toEqual(['INPUT0']);
    expect(built.description).toEqual(['INPUT0:FP32[16]:random']);
  });

  it('refuses data none for a required input, naming it', () => {
    const err = configErrorOf(spec({ config, overrides: [{ name: 'INPUT0', data: 'none' }] }));
    expect(err.issues).toEqual([
      {
        input: 'inputs',
        value: 'INPUT0: none',
        expected: "data for 'INPUT0': model 'm' requires it (only optional inputs can be left out)",
      },
    ]);
  });

  it('sends an optional input that has an override', () => {
    const { request } = decoded(spec({ config, overrides: [{ name: 'extra', data: 'zeros' }] }));
    expect(request.inputs.map((i) => i.name)).toEqual(['INPUT0', 'extra']);
    expect(request.rawInputContents).toHaveLength(2);
  });
});

describe('buildInferRequest: inputs that do not fit the model', () => {
  it('refuses a wrong datatype, naming the input and the declared datatype', () => {
    const err = configErrorOf(spec({ overrides: [{ name: 'INPUT0', datatype: 'INT32' }] }));
    expect(err.issues).toEqual([
      { input: 'inputs', value: 'INPUT0: INT32', expected: "datatype FP32 (as model 'm' declares)" },
    ]);
    expect(err.message).toBe("input 'inputs': got 'INPUT0: INT32', expected datatype FP32 (as model 'm' declares)");
  });

  it('refuses an unknown input name, listing the model inputs', () => {
    const err = configErrorOf(spec({ overrides: [{ name: 'INPUT9', data: 'zeros' }] }));
    expect(err.issues).toEqual([{ input: 'inputs', value: 'INPUT9', expected: "an input of model 'm' (INPUT0)" }]);
  });

  it('asks for a shape when the model has -1 dimensions', () => {
    const config = modelConfig(8, [{ name: 'tokens', dataType: DataType.TYPE_INT32, dims: [-1n] }]);
    const err = configErrorOf(spec({ config }));
    expect(err.issues).toEqual([
      {
        input: 'shape',
        value: 'tokens: [-1]',
        expected: 'a shape for every input with variable dimensions (-1)',
        hint: 'give one, e.g. shape: tokens:1',
      },
    ]);
    expect(err.message).toMatch(/^input 'shape': got 'tokens: \[-1\]'/);
  });

  it.each([
    ['a fixed dimension changed', [17]],
    ['a dimension added', [16, 1]],
    ['a zero dimension', [0]],
  ])('refuses a shape override with %s', (_, shape) => {
    const err = configErrorOf(spec({ overrides: [{ name: 'INPUT0', shape }] }));
    expect(err.issues[0]).toMatchObject({ input: 'inputs', value: `INPUT0: [${shape.join(',')}]` });
    expect(err.issues[0]?.hint).toBeUndefined();
  });

  it.each([
    ['too few values', [1, 2, 3]],
    ['too many values', [1, 2, 3, 4, 5]],
    ['strings for a numeric input', ['a', 'b', 'c', 'd']],
    ['an object instead of a list', { values: [1, 2, 3, 4] }],
  ])('refuses file data with %s, naming input, file and expected count', (_, json) => {
    const config = modelConfig(8, [{ name: 'x', dataType: DataType.TYPE_FP32, dims: [4n] }]);
    const files = new Map<string, unknown>([['d.json', json]]);
    const err = configErrorOf(spec({ config, files, overrides: [{ name: 'x', data: { file: 'd.json' } }] }));
    expect(err.issues).toEqual([
      { input: 'inputs', value: 'x: d.json', expected: 'a JSON list of 4 numbers (one item of shape [4])' },
    ]);
  });

  it('refuses a file the edge did not read', () => {
    const err = configErrorOf(spec({ overrides: [{ name: 'INPUT0', data: { file: 'missing.json' } }] }));
    expect(err.issues[0]).toMatchObject({ value: 'INPUT0: missing.json' });
  });

  it('reports every issue at once', () => {
    const config = modelConfig(8, [fp32Input, { name: 'tokens', dataType: DataType.TYPE_INT32, dims: [-1n] }]);
    const err = configErrorOf(spec({ config, overrides: [{ name: 'nope' }, { name: 'INPUT0', datatype: 'FP16' }] }));
    expect(err.issues.map((i) => i.value)).toEqual(['nope', 'INPUT0: FP16', 'tokens: [-1]']);
    expect(err.message.split('\n')).toHaveLength(3);
  });
});
