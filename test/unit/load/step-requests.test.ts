// encodeStepRequests: the parsed input-data steps of a model become one request each, inputs in
// the model's order, optional inputs only where the step gives them, the batch dimension and
// repeated items when the model batches; inputSpecsOf reads a model config.
import { create, fromBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';
import { DataType, ModelConfigSchema } from '../../../src/gen/model_config_pb.js';
import { parseInputData } from '../../../src/load/input-data.js';
import { encodeStepRequests, inputSpecsOf } from '../../../src/load/step-requests.js';

const config = create(ModelConfigSchema, {
  name: 'optional_input',
  maxBatchSize: 8,
  input: [
    { name: 'INPUT0', dataType: DataType.TYPE_FP32, dims: [2n] },
    { name: 'OPTIONAL0', dataType: DataType.TYPE_FP32, dims: [2n], optional: true },
    { name: 'TEXT', dataType: DataType.TYPE_STRING, dims: [-1n] },
  ],
});
const inputs = inputSpecsOf(config);

describe('inputSpecsOf', () => {
  it('gives protocol datatypes, dims without batch and optional flags', () => {
    expect(inputs).toEqual([
      { name: 'INPUT0', datatype: 'FP32', dims: [2], isOptional: false },
      { name: 'OPTIONAL0', datatype: 'FP32', dims: [2], isOptional: true },
      { name: 'TEXT', datatype: 'BYTES', dims: [-1], isOptional: false },
    ]);
  });
});

describe('encodeStepRequests', () => {
  const parsed = parseInputData(
    {
      data: [
        { INPUT0: [1, 2], TEXT: { content: ['a', 'b'], shape: [2] } },
        { INPUT0: [3, 4], OPTIONAL0: [5, 6], TEXT: ['c'] },
      ],
    },
    inputs,
    new Map([['TEXT', [1]]]),
  );
  if (!('data' in parsed)) throw new Error('fixture does not parse');
  const steps = parsed.data.streams[0] ?? [];

  it('encodes each step once, with the batch dimension and the item repeated', () => {
    const [first, second] = encodeStepRequests(
      { model: 'm', modelVersion: '1', maxBatch: 8, itemsPerRequest: 2, inputs },
      steps,
    ).map((bytes) => fromBinary(ModelInferRequestSchema, bytes));
    expect(first?.inputs.map((i) => [i.name, i.datatype, i.shape.map(Number)])).toEqual([
      ['INPUT0', 'FP32', [2, 2]],
      ['TEXT', 'BYTES', [2, 2]],
    ]);
    expect([...(first?.rawInputContents[0] ?? [])]).toEqual([...Buffer.from(Float32Array.from([1, 2, 1, 2]).buffer)]);
    expect(second?.inputs.map((i) => i.name)).toEqual(['INPUT0', 'OPTIONAL0', 'TEXT']);
    expect(second?.modelVersion).toBe('1');
  });

  it('sends no batch dimension for a model without batching', () => {
    const [first] = encodeStepRequests(
      { model: 'm', modelVersion: '', maxBatch: 0, itemsPerRequest: 1, inputs },
      steps,
    ).map((bytes) => fromBinary(ModelInferRequestSchema, bytes));
    expect(first?.inputs.map((i) => i.shape.map(Number))).toEqual([[2], [2]]);
  });

  it('refuses several items per request without batching (a bug in the caller)', () => {
    expect(() =>
      encodeStepRequests({ model: 'm', modelVersion: '', maxBatch: 0, itemsPerRequest: 2, inputs }, steps),
    ).toThrow(/2 items per request for a model without batching/);
  });
});
