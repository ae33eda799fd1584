// Where a cell's data come from besides generated numbers: perf_analyzer's --input-data file
// (steps, streams, every problem named by input-data, file, step and input), `shape` for -1
// dims (and its conflict with `inputs`), random BYTES strings of `string-length`.
import { create, fromBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';
import { DataType, ModelConfigSchema } from '../../../src/gen/model_config_pb.js';
import { buildInferRequest, type RequestSpec } from '../../../src/load/build-infer-request.js';

type InputInit = NonNullable<MessageInitShape<typeof ModelConfigSchema>['input']>[number];

const FILE = 'steps.json';
const tokens: InputInit = { name: 'tokens', dataType: DataType.TYPE_INT32, dims: [-1n] };
const text: InputInit = { name: 'text', dataType: DataType.TYPE_STRING, dims: [2n] };
const flag: InputInit = { name: 'flag', dataType: DataType.TYPE_BOOL, dims: [1n], optional: true };

function spec(input: InputInit[], more: Partial<RequestSpec> = {}): RequestSpec {
  return {
    model: 'm',
    modelVersion: '',
    config: create(ModelConfigSchema, { name: 'm', maxBatchSize: 8, input }),
    maxBatch: 8,
    itemsPerRequest: 1,
    overrides: [],
    defaultData: 'random',
    seed: 1,
    files: new Map(),
    ...more,
  };
}

const withFile = (json: unknown): Partial<RequestSpec> => ({
  defaultData: { file: FILE },
  files: new Map([[FILE, json]]),
});
const oneToken = { shapes: [{ name: 'tokens', dims: [1] }] };

function issuesOf(s: RequestSpec): ConfigError['issues'] {
  try {
    buildInferRequest(s);
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return expect.fail('expected a ConfigError');
}

const decode = (bytes: Uint8Array) => fromBinary(ModelInferRequestSchema, bytes);
const int32s = (raw: Uint8Array | undefined) => [...new Int32Array(new Uint8Array(raw ?? []).slice().buffer)];

describe('buildInferRequest: an input-data file', () => {
  it('makes one request per step, each with its own shape and values', () => {
    const built = buildInferRequest(
      spec(
        [tokens],
        withFile({ data: [{ tokens: { content: [1, 2, 3], shape: [3] } }, { tokens: { content: [7], shape: [1] } }] }),
      ),
    );
    expect(built.streams).toHaveLength(1);
    const requests = (built.streams[0] ?? []).map(decode);
    expect(requests.map((r) => r.inputs[0]?.shape.map(Number))).toEqual([
      [1, 3],
      [1, 1],
    ]);
    expect(requests.map((r) => int32s(r.rawInputContents[0]))).toEqual([[1, 2, 3], [7]]);
    expect(built.bytes).toBe(built.streams[0]?.[0]);
    expect(built.description).toEqual([`tokens:INT32[3]:input-data:${FILE}`]);
  });

  it('keeps the streams of a list of lists apart (one per sequence)', () => {
    const built = buildInferRequest(
      spec([tokens], { ...withFile({ data: [[{ tokens: [1] }, { tokens: [2] }], [{ tokens: [3] }]] }), ...oneToken }),
    );
    expect(built.streams.map((steps) => steps.map((b) => int32s(decode(b).rawInputContents[0])[0]))).toEqual([
      [1, 2],
      [3],
    ]);
  });

  it('takes the shape of -1 dims from shape when a step gives none', () => {
    const built = buildInferRequest(
      spec([tokens], { ...withFile({ data: [{ tokens: [1, 2] }] }), shapes: [{ name: 'tokens', dims: [2] }] }),
    );
    expect(decode(built.bytes).inputs[0]?.shape.map(Number)).toEqual([1, 2]);
  });

  it('leaves out an optional input a step does not give, as perf_analyzer does', () => {
    const built = buildInferRequest(
      spec([tokens, flag], { ...withFile({ data: [{ tokens: [1] }, { tokens: [2], flag: [true] }] }), ...oneToken }),
    );
    expect((built.streams[0] ?? []).map((b) => decode(b).inputs.map((i) => i.name))).toEqual([
      ['tokens'],
      ['tokens', 'flag'],
    ]);
  });

  it.each([
    [
      'an unknown input',
      { data: [{ tokens: [1], nope: [1] }] },
      "stream 0, step 0, input 'nope' is not an input of the model (tokens)",
    ],
    [
      'a missing required input',
      { data: [{ tokens: [1] }, {}] },
      "stream 0, step 1, input 'tokens' is missing (the input is not optional)",
    ],
    [
      'a wrong datatype',
      { data: [{ tokens: [1.5] }] },
      "stream 0, step 0, input 'tokens' value 1.5 at 0 is not an integer in [-2147483648, 2147483647] (INT32)",
    ],
    [
      'a shape that does not fit',
      { data: [{ tokens: { content: [1, 2], shape: [1, 2] } }] },
      "stream 0, step 0, input 'tokens' shape [1,2] does not fit the model's [-1]",
    ],
    [
      'variable dims without a shape',
      { data: [{ tokens: [1] }] },
      "stream 0, step 0, input 'tokens' has variable dimensions [-1]: give its shape",
    ],
  ])('refuses %s, naming input-data, the file, the step and the input', (_, json, hint) => {
    const s = spec([tokens], withFile(json));
    const shaped = _ === 'variable dims without a shape' ? s : { ...s, ...oneToken };
    const issues = issuesOf(shaped);
    expect(issues[0]).toMatchObject({
      input: 'input-data',
      value: FILE,
      expected: "a perf_analyzer --input-data file that fits model 'm'",
    });
    expect(issues[0]?.hint).toContain(hint);
  });

  it('refuses data given in inputs as well, naming both', () => {
    const issues = issuesOf(
      spec([tokens], {
        ...withFile({ data: [{ tokens: [1] }] }),
        overrides: [{ name: 'tokens', shape: [1], data: 'zeros' }],
      }),
    );
    expect(issues).toEqual([
      {
        input: 'inputs',
        value: 'tokens: zeros',
        expected: `no data for 'tokens': input-data ${FILE} gives the data of every input`,
        hint: 'drop data from inputs, or put the data in the input-data file',
      },
    ]);
  });

  it('refuses data none for an optional input as well, pointing to the steps instead of calling the input unknown', () => {
    const issues = issuesOf(
      spec([tokens, flag], {
        ...withFile({ data: [{ tokens: [1] }, { tokens: [1], flag: [true] }] }),
        ...oneToken,
        overrides: [{ name: 'flag', data: 'none' }],
      }),
    );
    expect(issues).toEqual([
      {
        input: 'inputs',
        value: 'flag: none',
        expected: `no data for 'flag': input-data ${FILE} gives the data of every input`,
        hint: "drop data from inputs; to leave the optional input out, leave it out of the file's steps",
      },
    ]);
  });

  it('lists at most ten problems, saying how many more there are', () => {
    const issues = issuesOf(spec([tokens], { ...withFile({ data: Array.from({ length: 12 }, () => ({})) }) }));
    expect(issues).toHaveLength(10);
    expect(issues.at(-1)?.hint).toMatch(/\(and 2 more problems\)$/);
  });
});

describe('buildInferRequest: shape', () => {
  it('fills -1 dims for generated data', () => {
    const built = buildInferRequest(spec([tokens], { shapes: [{ name: 'tokens', dims: [4] }] }));
    expect(decode(built.bytes).inputs[0]?.shape.map(Number)).toEqual([1, 4]);
    expect(built.description).toEqual(['tokens:INT32[4]:random']);
  });

  it('refuses a shape that differs from the one inputs gives, naming both', () => {
    const issues = issuesOf(
      spec([tokens], { shapes: [{ name: 'tokens', dims: [4] }], overrides: [{ name: 'tokens', shape: [8] }] }),
    );
    expect(issues).toEqual([
      {
        input: 'shape',
        value: 'tokens:4',
        expected: "the shape inputs gives for 'tokens' ([8]), or no shape item for it",
        hint: 'give the shape in one place',
      },
    ]);
  });

  it('refuses an unknown input and a shape that does not fit fixed dims', () => {
    const issues = issuesOf(
      spec([text], {
        shapes: [
          { name: 'nope', dims: [1] },
          { name: 'text', dims: [3] },
        ],
      }),
    );
    expect(issues.map((i) => [i.input, i.value])).toEqual([
      ['shape', 'nope'],
      ['shape', 'text: [3]'],
    ]);
  });
});

describe('buildInferRequest: BYTES', () => {
  const strings = (raw: Uint8Array | undefined): string[] => {
    const bytes = Buffer.from(raw ?? []);
    const out: string[] = [];
    for (let pos = 0; pos < bytes.length;) {
      const length = bytes.readUInt32LE(pos);
      out.push(bytes.subarray(pos + 4, pos + 4 + length).toString('utf8'));
      pos += 4 + length;
    }
    return out;
  };

  it('sends random strings of string-length from perf_analyzer alphabet, seeded', () => {
    const sent = (seed: number) =>
      strings(decode(buildInferRequest(spec([text], { stringLength: 16, seed })).bytes).rawInputContents[0]);
    const first = sent(1);
    expect(first).toHaveLength(2);
    for (const s of first) expect(s).toMatch(/^[a-zA-Z0-9 .?!]{16}$/);
    expect(sent(1)).toEqual(first);
    expect(sent(2)).not.toEqual(first);
  });

  it('defaults to perf_analyzer 128 characters and describes the length', () => {
    const built = buildInferRequest(spec([text]));
    expect(strings(decode(built.bytes).rawInputContents[0]).map((s) => s.length)).toEqual([128, 128]);
    expect(built.description).toEqual(['text:BYTES[2]:random(128 chars)']);
  });

  it('sends strings of zeros with input-data zeros', () => {
    const built = buildInferRequest(spec([text], { defaultData: 'zeros', stringLength: 3 }));
    expect(strings(decode(built.bytes).rawInputContents[0])).toEqual(['000', '000']);
  });
});
