// writeRequestTail: a pre-encoded request followed by the tail decodes (protobuf-es, our protos)
// as the request with its id and sequence parameters set, for int64 and string correlation IDs,
// flags true and false, long IDs, and random values; the opt-in for empty finals.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelInferRequestSchema, type InferParameter } from '../../../src/gen/grpc_service_pb.js';
import {
  checkSequenceId,
  EMPTY_FINAL_OPT_IN,
  MAX_TAIL_BYTES,
  writeRequestTail,
  type SequenceFlags,
} from '../../../src/load/request-tail.js';

const BASE = Buffer.from(
  toBinary(
    ModelInferRequestSchema,
    create(ModelInferRequestSchema, {
      modelName: 'sequence_sum',
      parameters: { priority: { parameterChoice: { case: 'uint64Param', value: 2n } } },
      inputs: [{ name: 'INPUT', datatype: 'INT32', shape: [1n, 1n] }],
      rawInputContents: [new Uint8Array([1, 0, 0, 0])],
    }),
  ),
);

function decode(requestId: number, flags?: SequenceFlags) {
  const scratch = Buffer.alloc(MAX_TAIL_BYTES, 0xee);
  const length = writeRequestTail(scratch, requestId, flags);
  return fromBinary(ModelInferRequestSchema, Buffer.concat([BASE, EMPTY_FINAL_OPT_IN, scratch.subarray(0, length)]));
}

const value = (p: InferParameter | undefined) => p?.parameterChoice;

describe('writeRequestTail', () => {
  it('sets the request id and keeps the base request', () => {
    const request = decode(123_456);
    expect(request.id).toBe('123456');
    expect(request.modelName).toBe('sequence_sum');
    expect(request.rawInputContents.map((b) => [...b])).toEqual([[1, 0, 0, 0]]);
    expect(value(request.parameters['priority'])).toEqual({ case: 'uint64Param', value: 2n });
    expect(value(request.parameters['triton_enable_empty_final_response'])).toEqual({ case: 'boolParam', value: true });
    expect(Object.keys(request.parameters).sort()).toEqual(['priority', 'triton_enable_empty_final_response']);
  });

  it.each([0, 9, 10, 99, 100, 2 ** 53 - 1])('writes request id %i in decimal', (id) => {
    expect(decode(id).id).toBe(String(id));
  });

  it('sends an int64 correlation ID and both flags, false included', () => {
    const request = decode(5, { sequenceId: 300, isStart: true, isEnd: false });
    expect(value(request.parameters['sequence_id'])).toEqual({ case: 'int64Param', value: 300n });
    expect(value(request.parameters['sequence_start'])).toEqual({ case: 'boolParam', value: true });
    expect(value(request.parameters['sequence_end'])).toEqual({ case: 'boolParam', value: false });
  });

  it('sends a string correlation ID of the longest length Triton takes', () => {
    const id = 'x'.repeat(128);
    const request = decode(1, { sequenceId: id, isStart: false, isEnd: true });
    expect(value(request.parameters['sequence_id'])).toEqual({ case: 'stringParam', value: id });
    expect(value(request.parameters['sequence_end'])).toEqual({ case: 'boolParam', value: true });
  });

  it('round-trips random ids and flags', () => {
    const sequenceId = fc.oneof(
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.stringMatching(/^[\x20-\x7e]{1,128}$/),
    );
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), sequenceId, fc.boolean(), fc.boolean(), (id, seq, s, e) => {
        const request = decode(id, { sequenceId: seq, isStart: s, isEnd: e });
        expect(request.id).toBe(String(id));
        expect(value(request.parameters['sequence_id'])).toEqual(
          typeof seq === 'number' ? { case: 'int64Param', value: BigInt(seq) } : { case: 'stringParam', value: seq },
        );
        expect(value(request.parameters['sequence_start'])?.value).toBe(s);
        expect(value(request.parameters['sequence_end'])?.value).toBe(e);
      }),
    );
  });
});

describe('checkSequenceId', () => {
  it.each([
    [1, undefined],
    [2 ** 53 - 1, undefined],
    ['s-1', undefined],
    [0, '0 is not an integer in [1, 2^53)'],
    [1.5, '1.5 is not an integer in [1, 2^53)'],
    [2 ** 53, '9007199254740992 is not an integer in [1, 2^53)'],
    ['', "'' is empty (an empty string means no sequence)"],
    ['x'.repeat(129), 'a string of 129 characters is longer than 128'],
    ['é', "'é' is not printable ASCII"],
  ])('%j: %j', (id, expected) => {
    expect(checkSequenceId(id)).toBe(expected);
  });
});
