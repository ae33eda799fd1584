// The kind decision (docs/models.md): which config fields decide the protocol, the sequence
// plan and the notes, and which max_batch rows a model served with max_batch_size 0 refuses.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  DataType,
  ModelConfigSchema,
  ModelSequenceBatching_Control_Kind,
  type ModelConfig,
} from '../../../src/gen/model_config_pb.js';
import { ConfigError } from '../../../src/config/config-error.js';
import {
  decideModelKind,
  methodOfKind,
  nonBatchingRowsProblem,
  unusedSequenceInputsNote,
  refuseMixedKinds,
  refuseBatchedSequences,
} from '../../../src/matrix/model-kind.js';

const config = (init: MessageInitShape<typeof ModelConfigSchema>): ModelConfig =>
  create(ModelConfigSchema, { name: 'm', backend: 'python', ...init });

const dynamic = { schedulingChoice: { case: 'dynamicBatching' as const, value: {} } };
const corrid = (dataType: DataType) => ({
  schedulingChoice: {
    case: 'sequenceBatching' as const,
    value: {
      controlInput: [
        {
          name: 'CORRID',
          control: [{ kind: ModelSequenceBatching_Control_Kind.CONTROL_SEQUENCE_CORRID, dataType }],
        },
      ],
    },
  },
});

describe('decideModelKind', () => {
  it('a batching model with dynamic_batching: ModelInfer, no note', () => {
    const decision = decideModelKind(config({ maxBatchSize: 8, ...dynamic }));
    expect(decision).toMatchObject({ kind: 'batching', protocol: 'ModelInfer' });
    expect(decision.sequence).toBeUndefined();
    expect(decision.reason).toContain('max_batch_size 8');
    expect(decision.reason).not.toContain('no dynamic_batching');
  });

  it('a batching model without dynamic_batching: a note that max_batch cannot matter', () => {
    const decision = decideModelKind(config({ maxBatchSize: 8 }));
    expect(decision.kind).toBe('batching');
    expect(decision.reason).toContain('no dynamic_batching');
    expect(decision.reason).toContain('max_batch cannot change throughput');
  });

  it('decoupled: ModelStreamInfer, whatever the batching', () => {
    const decision = decideModelKind(
      config({ maxBatchSize: 8, ...dynamic, modelTransactionPolicy: { decoupled: true } }),
    );
    expect(decision).toMatchObject({ kind: 'decoupled', protocol: 'ModelStreamInfer' });
    expect(decision.sequence).toBeUndefined();
    expect(decision.reason).toContain('model_transaction_policy.decoupled');
  });

  it.each([
    [DataType.TYPE_UINT64, 'int64'],
    [DataType.TYPE_INT32, 'int64'],
    [DataType.TYPE_STRING, 'string'],
  ] as const)(
    'sequence_batching with a CORRID of %s: sequences with %s IDs and perf_analyzer defaults',
    (type, idKind) => {
      const decision = decideModelKind(config({ maxBatchSize: 4, ...corrid(type) }));
      expect(decision).toMatchObject({
        kind: 'sequence',
        protocol: 'ModelInfer',
        sequence: { length: 20, variationPct: 20, idKind },
      });
      expect(decision.reason).toContain('sequence_batching');
    },
  );

  it('a decoupled sequence model streams its sequences', () => {
    const decision = decideModelKind(
      config({ maxBatchSize: 4, ...corrid(DataType.TYPE_UINT64), modelTransactionPolicy: { decoupled: true } }),
    );
    expect(decision).toMatchObject({ kind: 'decoupled', protocol: 'ModelStreamInfer', sequence: { idKind: 'int64' } });
  });

  it('max_batch_size 0: non-batching over ModelInfer', () => {
    const decision = decideModelKind(config({ maxBatchSize: 0 }));
    expect(decision).toMatchObject({ kind: 'non-batching', protocol: 'ModelInfer' });
    expect(decision.reason).toContain('max_batch_size: 0');
  });

  it('an ensemble says so, and notes that it has no dynamic batching of its own', () => {
    const decision = decideModelKind(config({ backend: '', platform: 'ensemble', maxBatchSize: 0 }));
    expect(decision.kind).toBe('ensemble');
    expect(decision.reason).toContain('platform: ensemble');
    expect(decision.reason).toContain('no dynamic_batching');
  });
});

describe('nonBatchingRowsProblem', () => {
  it.each([
    [0, [8, 16], [8, 16]],
    [0, [0, 4], [4]],
    [0, [0], undefined],
    [8, [8, 16], undefined],
  ])('max_batch_size %i, rows %j: refused rows %j', (maxBatchSize, rows, refused) => {
    const problem = nonBatchingRowsProblem(config({ maxBatchSize }), rows);
    expect(problem?.rows).toEqual(refused);
  });
});

describe('methodOfKind', () => {
  it('keeps protocol absent for unary models, as every run stored before it', () => {
    const method = methodOfKind(decideModelKind(config({ maxBatchSize: 8, ...dynamic })));
    expect(Object.keys(method)).toEqual(['modelKind']);
    expect(method.modelKind?.kind).toBe('batching');
    expect(method.modelKind?.reason).toContain('max_batch_size 8');
  });

  it('records the stream protocol and the sequence plan', () => {
    const method = methodOfKind(
      decideModelKind(
        config({ maxBatchSize: 4, ...corrid(DataType.TYPE_STRING), modelTransactionPolicy: { decoupled: true } }),
      ),
    );
    expect(method).toMatchObject({
      protocol: 'ModelStreamInfer',
      sequence: { length: 20, variationPct: 20, idKind: 'string' },
      modelKind: { kind: 'decoupled' },
    });
  });
});

describe('sequence inputs', () => {
  const sequential = config({ maxBatchSize: 8, ...corrid(DataType.TYPE_UINT64) });
  const given = (more: Partial<Parameters<typeof unusedSequenceInputsNote>[1]> = {}) => ({
    sequenceLength: undefined,
    sequenceLengthVariation: undefined,
    inputData: 'random' as const,
    ...more,
  });

  it.each([
    ['perf_analyzer defaults', given(), { length: 20, variationPct: 20, idKind: 'int64' }],
    [
      'sequence-length and its variation',
      given({ sequenceLength: 5, sequenceLengthVariation: 0 }),
      { length: 5, variationPct: 0 },
    ],
    [
      'an input-data file without sequence-length: the stream lengths, no variation',
      given({ inputData: { file: 'steps.json' } }),
      { variationPct: 0, isLengthFromData: true },
    ],
    [
      'an input-data file with sequence-length: that length, 20 % variation',
      given({ inputData: { file: 'steps.json' }, sequenceLength: 4 }),
      { length: 4, variationPct: 20 },
    ],
  ])('%s', (_, inputs, expected) => {
    const decision = decideModelKind(sequential, inputs);
    expect(decision.sequence).toMatchObject(expected);
    if (!('isLengthFromData' in expected)) expect(decision.sequence?.isLengthFromData).toBeUndefined();
  });

  it('says the lengths come from the data streams in the reason', () => {
    expect(decideModelKind(sequential, given({ inputData: { file: 'steps.json' } })).reason).toContain(
      "each as long as its input-data stream's steps",
    );
  });

  it('notes sequence inputs given for a model without sequences, naming them', () => {
    const batching = decideModelKind(config({ maxBatchSize: 8, ...dynamic }));
    expect(unusedSequenceInputsNote(batching, given({ sequenceLength: 5 }))).toBe(
      'sequence-length ignored: the model is batching, not a sequence model (no sequence_batching)',
    );
    expect(unusedSequenceInputsNote(batching, given())).toBeUndefined();
    expect(unusedSequenceInputsNote(decideModelKind(sequential), given({ sequenceLength: 5 }))).toBeUndefined();
  });
});

describe('refuseMixedKinds (paired runs)', () => {
  const decoupled = decideModelKind(
    config({ maxBatchSize: 8, ...dynamic, modelTransactionPolicy: { decoupled: true } }),
  );
  const batching = decideModelKind(config({ maxBatchSize: 8, ...dynamic }));
  const nonBatching = decideModelKind(config({ maxBatchSize: 0 }));
  const intIds = decideModelKind(config({ maxBatchSize: 4, ...corrid(DataType.TYPE_UINT64) }));
  const stringIds = decideModelKind(config({ maxBatchSize: 4, ...corrid(DataType.TYPE_STRING) }));

  it.for([
    ['both decoupled', decoupled, decoupled],
    ['batching and non-batching (both one-shot ModelInfer)', batching, nonBatching],
    ['sequences with integer and with string IDs', intIds, stringIds],
  ] as const)('accepts %s', ([, head, base]) => {
    expect(() => {
      refuseMixedKinds({ model: 'h', kind: head }, { model: 'b', kind: base });
    }).not.toThrow();
  });

  it('refuses a decoupled head against a one-shot base, naming baseline-model and both kinds', () => {
    const refuse = (): void => {
      refuseMixedKinds({ model: 'h', kind: decoupled }, { model: 'b', kind: batching });
    };
    expect(refuse).toThrow(ConfigError);
    expect(refuse).toThrow(
      "input 'baseline-model': got 'b', expected a base model measured like the head: head 'h' is decoupled (ModelStreamInfer), base 'b' is batching (ModelInfer)",
    );
  });

  it('refuses a sequence base against a one-shot head', () => {
    expect(() => {
      refuseMixedKinds({ model: 'h', kind: batching }, { model: 'b', kind: intIds });
    }).toThrow("base 'b' is sequence (ModelInfer in sequences)");
  });
});

describe('refuseBatchedSequences', () => {
  const sequential = decideModelKind(config({ maxBatchSize: 4, ...corrid(DataType.TYPE_UINT64) }));
  const streamedSequences = decideModelKind(
    config({ maxBatchSize: 4, ...corrid(DataType.TYPE_UINT64), modelTransactionPolicy: { decoupled: true } }),
  );
  const batching = decideModelKind(config({ maxBatchSize: 8, ...dynamic }));

  it('accepts one item per request on a sequence model, and any number on a model without sequences', () => {
    expect(() => {
      refuseBatchedSequences(1, 'seq', sequential);
      refuseBatchedSequences(4, 'b', batching);
    }).not.toThrow();
  });

  it.for([
    ['a sequence model', sequential],
    ['a decoupled sequence model', streamedSequences],
  ] as const)('refuses items-per-request above 1 on %s, naming the input, the value and the model', ([, kind]) => {
    const refuse = (): void => {
      refuseBatchedSequences(2, 'seq', kind);
    };
    expect(refuse).toThrow(ConfigError);
    expect(refuse).toThrow(
      "input 'items-per-request': got '2', expected 1 for model 'seq', a sequence model: Triton's sequence batcher takes one item per request",
    );
  });
});
