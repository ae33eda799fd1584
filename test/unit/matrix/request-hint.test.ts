// The hint for an INVALID_ARGUMENT that carries no message: what was sent beside what the model declares.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { DataType, ModelConfigSchema } from '../../../src/gen/model_config_pb.js';
import { emptyInvalidArgumentHint } from '../../../src/matrix/request-hint.js';
import { TritonError } from '../../../src/triton/triton-error.js';

const applied = {
  model: 'identity',
  config: create(ModelConfigSchema, {
    name: 'identity',
    maxBatchSize: 8,
    input: [{ name: 'INPUT0', dataType: DataType.TYPE_FP32, dims: [16n] }],
  }),
};
const sent = { description: ['INPUT0:FP32[1,3]:random'], applied };

describe('emptyInvalidArgumentHint', () => {
  it('puts what was sent beside what the model declares', () => {
    const err = new TritonError('ModelInfer', '127.0.0.1:8001', 'INVALID_ARGUMENT', '');
    expect(emptyInvalidArgumentHint(err, sent)).toBe(
      "; Triton gave no reason: sent INPUT0:FP32[1,3]:random; model 'identity' declares INPUT0:FP32[-1, 16] " +
        '(max_batch_size 8): check the names, datatypes and shapes in inputs',
    );
  });

  it.each([
    ['a message', new TritonError('ModelInfer', 's', 'INVALID_ARGUMENT', 'unexpected shape')],
    ['another status', new TritonError('ModelInfer', 's', 'UNAVAILABLE', '')],
    ['another error', new Error('')],
  ])('adds nothing to an error with %s', (_, err) => {
    expect(emptyInvalidArgumentHint(err, sent)).toBe('');
  });
});
