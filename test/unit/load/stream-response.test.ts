// readStreamResponse against messages encoded by protobuf-es from our protos: every kind of
// response Triton writes on a stream (data, empty final, errors before and after the request
// was issued), fields it must skip, foreign ids, malformed bytes, and a property test over
// random messages.
import { create, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelStreamInferResponseSchema } from '../../../src/gen/grpc_service_pb.js';
import {
  createStreamResponseView,
  readStreamResponse,
  type StreamResponseView,
} from '../../../src/load/stream-response.js';

type Init = MessageInitShape<typeof ModelStreamInferResponseSchema>;

const bool = (value: boolean) => ({ parameterChoice: { case: 'boolParam' as const, value } });
const output = (name: string) => ({ name, datatype: 'INT32', shape: [1n, 1n] });

function read(init: Init): StreamResponseView | false {
  const bytes = toBinary(ModelStreamInferResponseSchema, create(ModelStreamInferResponseSchema, init));
  // Inside a larger buffer, as a message arrives inside a socket read.
  const padded = Buffer.concat([Buffer.from([9, 9, 9]), bytes, Buffer.from([7, 7])]);
  const view = createStreamResponseView();
  return readStreamResponse(padded, 3, 3 + bytes.length, view) && { ...view };
}

describe('readStreamResponse', () => {
  it('reads a data response: id, not final, one output (raw contents skipped)', () => {
    const view = read({
      inferResponse: {
        modelName: 'stream_tokens',
        modelVersion: '1',
        id: '4242',
        parameters: { triton_final_response: bool(false) },
        outputs: [output('TOKEN')],
        rawOutputContents: [new Uint8Array(70_000).fill(0x1a)],
      },
    });
    expect(view).toEqual({ requestId: 4242, error: '', final: 0, outputs: 1 });
  });

  it('reads the final flag among other parameters, and counts several outputs', () => {
    const view = read({
      inferResponse: {
        id: '7',
        parameters: {
          other: bool(false),
          triton_final_response: bool(true),
          x: { parameterChoice: { case: 'int64Param', value: -5n } },
        },
        outputs: [output('A'), output('B')],
      },
    });
    expect(view).toEqual({ requestId: 7, error: '', final: 1, outputs: 2 });
  });

  it('reads an empty final response (id, model, version, final flag, no outputs)', () => {
    const view = read({
      inferResponse: { id: '0', modelName: 'm', modelVersion: '1', parameters: { triton_final_response: bool(true) } },
    });
    expect(view).toEqual({ requestId: 0, error: '', final: 1, outputs: 0 });
  });

  it('reads an error before the request was issued: message and id, no final flag', () => {
    const message = "inference request for sequence 5 to model 'sequence_sum' must specify the START flag";
    expect(read({ errorMessage: message, inferResponse: { id: '12' } })).toEqual({
      requestId: 12,
      error: message,
      final: -1,
      outputs: 0,
    });
  });

  it('reads a backend error response with its final flag, and UTF-8 in the message', () => {
    expect(
      read({
        errorMessage: 'COUNT is −1 ✗',
        inferResponse: { id: '3', parameters: { triton_final_response: bool(true) } },
      }),
    ).toEqual({ requestId: 3, error: 'COUNT is −1 ✗', final: 1, outputs: 0 });
  });

  it.each([
    ['', -1],
    ['abc', -1],
    ['12a', -1],
    ['-3', -1],
    ['1234567890123456', -1],
    ['123456789012345', 123456789012345],
  ])('reads id %j as %i (decimal below 2^53 only)', (id, expected) => {
    expect(read({ inferResponse: { id } })).toMatchObject({ requestId: expected });
  });

  it('treats a final flag that is not a bool as absent', () => {
    const view = read({
      inferResponse: {
        id: '1',
        parameters: { triton_final_response: { parameterChoice: { case: 'stringParam', value: 'true' } } },
      },
    });
    expect(view).toMatchObject({ final: -1 });
  });

  it('reads an empty message as nothing (no id, no final flag)', () => {
    expect(read({})).toEqual({ requestId: -1, error: '', final: -1, outputs: 0 });
  });

  it('skips varint, fixed64 and fixed32 fields it does not know', () => {
    // field 9 varint 300, field 10 fixed64, field 11 fixed32, then infer_response { id: "5" }.
    const bytes = Buffer.from([
      0x48, 0xac, 0x02, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5d, 1, 2, 3, 4, 0x12, 3, 0x1a, 1, 0x35,
    ]);
    const view = createStreamResponseView();
    expect(readStreamResponse(bytes, 0, bytes.length, view)).toBe(true);
    expect(view.requestId).toBe(5);
  });

  it.each([
    ['a truncated length', [0x12, 10, 0x1a]],
    ['a truncated varint', [0x48, 0xff]],
    ['a group wire type', [0x0b]],
    ['a truncated fixed64', [0x51, 1, 2]],
  ])('rejects %s', (_what, bytes) => {
    expect(readStreamResponse(Buffer.from(bytes), 0, bytes.length, createStreamResponseView())).toBe(false);
  });

  it('reads every field of random responses as protobuf-es wrote them', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.nat({ max: 4 }),
        fc.string({ maxLength: 30 }),
        fc.uint8Array({ maxLength: 300 }),
        (id, final, outputs, error, raw) => {
          const view = read({
            errorMessage: error,
            inferResponse: {
              id: String(id),
              parameters: final === undefined ? {} : { triton_final_response: bool(final) },
              outputs: Array.from({ length: outputs }, (_, i) => output(`O${i}`)),
              rawOutputContents: Array.from({ length: outputs }, () => raw),
            },
          });
          expect(view).toEqual({ requestId: id, error, final: final === undefined ? -1 : final ? 1 : 0, outputs });
        },
      ),
    );
  });
});
