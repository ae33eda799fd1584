// The pure parts of the zero-config base (docs/paired.md, "Zero-config base"): git ls-tree
// output → the files to send, config.pbtxt text → the config override JSON, and the file list →
// RepositoryModelLoad parameters.
import { describe, expect, it } from 'vitest';
import { parseBaseConfig, ModelConfigTextError } from '../../../src/control/base-model-config.js';
import { explainLoadFailure } from '../../../src/control/base-model-controller.js';
import { TritonError } from '../../../src/triton/triton-error.js';
import { isLfsPointer, parseLsTree, planBaseFiles, type TreeEntry } from '../../../src/control/base-model-tree.js';
import { configOverrideJson, overrideConfig } from '../../../src/control/override-config.js';
import { fileOverrideParameters, totalBytes } from '../../../src/triton/file-overrides.js';

const SHA = 'a'.repeat(40);
const entry = (path: string, size: number, mode = '100644', type = 'blob'): TreeEntry => ({
  mode,
  type,
  object: SHA,
  size,
  path,
});

describe('parseLsTree', () => {
  it('reads mode, type, object, size and path of NUL-terminated records, paths with spaces and tabs kept', () => {
    const output = `100644 blob ${SHA}     443\tmodels/m/config.pbtxt\x00100755 blob ${SHA}  77132\tmodels/m/1/a b\tc.onnx\x00160000 commit ${SHA}       -\tmodels/m/sub\x00`;
    expect(parseLsTree(output)).toEqual([
      { mode: '100644', type: 'blob', object: SHA, size: 443, path: 'models/m/config.pbtxt' },
      { mode: '100755', type: 'blob', object: SHA, size: 77132, path: 'models/m/1/a b\tc.onnx' },
      { mode: '160000', type: 'commit', object: SHA, size: undefined, path: 'models/m/sub' },
    ]);
  });

  it('refuses a record it does not understand instead of guessing', () => {
    expect(() => parseLsTree('garbage\0')).toThrow(/unexpected git ls-tree record/);
  });
});

describe('planBaseFiles', () => {
  const model = [
    entry('models/m/config.pbtxt', 10),
    entry('models/m/1/model.onnx', 100),
    entry('models/m/labels.txt', 5),
  ];

  it('sends every file but config.pbtxt, relative to the model directory, and counts their bytes', () => {
    const plan = planBaseFiles([...model, entry('models/other/1/x', 7)], 'models/m');
    expect(plan).toMatchObject({ ok: true, config: { path: 'config.pbtxt' }, totalBytes: 105 });
    expect(plan.ok && plan.files.map((f) => f.path)).toEqual(['1/model.onnx', 'labels.txt']);
  });

  it('does not take a sibling whose name starts like the model', () => {
    expect(planBaseFiles([entry('models/m2/config.pbtxt', 1), entry('models/m2/1/x', 1)], 'models/m')).toEqual({
      ok: false,
      problem: "there is no directory 'models/m'",
    });
  });

  it.each([
    ['no config.pbtxt', [entry('models/m/1/model.onnx', 1)], /has no config.pbtxt/],
    [
      'no version directory',
      [entry('models/m/config.pbtxt', 1), entry('models/m/labels.txt', 1)],
      /no version directory/,
    ],
    ['a symlink', [...model, entry('models/m/1/link', 4, '120000')], /'models\/m\/1\/link' is a symlink/],
    [
      'a submodule',
      [...model, { ...entry('models/m/1/sub', 0, '160000', 'commit'), size: undefined }],
      /is a submodule/,
    ],
  ])('refuses %s', (_name, entries, problem) => {
    const plan = planBaseFiles(entries, 'models/m');
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.problem).toMatch(problem);
  });

  it('refuses files above the cap, saying both sizes; the cap itself is allowed', () => {
    expect(planBaseFiles(model, 'models/m', 105).ok).toBe(true);
    expect(planBaseFiles(model, 'models/m', 104)).toEqual({
      ok: false,
      problem: 'its files total 105 bytes, more than the 104 bytes one load request may carry',
    });
  });
});

describe('isLfsPointer', () => {
  const text = (value: string): Uint8Array => new TextEncoder().encode(value);
  it('spots a Git LFS pointer and nothing else', () => {
    expect(isLfsPointer(text('version https://git-lfs.example/spec/v1\noid sha256:ab\nsize 12\n'))).toBe(true);
    expect(isLfsPointer(text('name: "m"\n'))).toBe(false);
    expect(isLfsPointer(new Uint8Array(2048).fill(0x76))).toBe(false);
  });
});

const PBTXT = `# a comment
name: "demo_onnx"
backend: "python"
max_batch_size: 64
input [ { name: "input" data_type: TYPE_FP32 dims: [ 64 ] } ]
output [ { name: "output" data_type: TYPE_FP32 dims: [ 10 ] } ]
dynamic_batching { preferred_batch_size: [ 4, 32 ] max_queue_delay_microseconds: 100 }
instance_group [ { kind: KIND_CPU count: 1 } ]
parameters { key: "slowdown_us" value: { string_value: "0" } }
`;

describe('parseBaseConfig', () => {
  it('reads the text format into the JSON Triton takes as a config override, renamed to the base', () => {
    const config = parseBaseConfig(PBTXT, 'demo_onnx__base');
    expect(JSON.parse(configOverrideJson(config))).toEqual({
      name: 'demo_onnx__base',
      backend: 'python',
      max_batch_size: 64,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: ['64'] }],
      output: [{ name: 'output', data_type: 'TYPE_FP32', dims: ['10'] }],
      dynamic_batching: { preferred_batch_size: [4, 32], max_queue_delay_microseconds: '100' },
      instance_group: [{ kind: 'KIND_CPU', count: 1 }],
      parameters: { slowdown_us: { string_value: '0' } },
    });
  });

  it('puts the base at a row max_batch like the head (preferred sizes clamped)', () => {
    const row = overrideConfig(parseBaseConfig(PBTXT, 'b'), { maxBatch: 8, originalMaxBatch: 64 });
    expect(JSON.parse(configOverrideJson(row))).toMatchObject({
      max_batch_size: 8,
      dynamic_batching: { preferred_batch_size: [4] },
    });
  });

  it.each([
    ['an unknown field', 'name: "m"\nmax_batch: 8\n'],
    ['an unknown enum value', 'input [ { name: "x" data_type: FP32 } ]'],
    ['unbalanced braces', 'dynamic_batching {'],
  ])('refuses %s with the parser position', (_name, text) => {
    expect(() => parseBaseConfig(text, 'b')).toThrow(ModelConfigTextError);
    expect(() => parseBaseConfig(text, 'b')).toThrow(/config.pbtxt is not a valid Triton model config: /);
  });
});

describe('fileOverrideParameters', () => {
  const bytes = new Uint8Array([1, 2, 3]);

  it('sends the config as a string and each file as bytes under file:<path>', () => {
    const parameters = fileOverrideParameters({
      configJson: '{"name":"b"}',
      files: [
        { path: '1/model.onnx', bytes },
        { path: 'labels.txt', bytes },
      ],
    });
    expect(parameters).toEqual({
      config: { parameterChoice: { case: 'stringParam', value: '{"name":"b"}' } },
      'file:1/model.onnx': { parameterChoice: { case: 'bytesParam', value: bytes } },
      'file:labels.txt': { parameterChoice: { case: 'bytesParam', value: bytes } },
    });
    expect(
      totalBytes([
        { path: 'a', bytes },
        { path: 'b', bytes },
      ]),
    ).toBe(6);
  });

  it.each(['../x', '/etc/passwd', '1//x', '1/./x', '', 'config.pbtxt'])('refuses the path %j', (path) => {
    expect(() => fileOverrideParameters({ configJson: '{}', files: [{ path, bytes }] })).toThrow(/file override/);
  });

  it('refuses a path given twice', () => {
    expect(() =>
      fileOverrideParameters({
        configJson: '{}',
        files: [
          { path: '1/a', bytes },
          { path: '1/a', bytes },
        ],
      }),
    ).toThrow(/twice/);
  });
});

describe('explainLoadFailure', () => {
  it("keeps Triton's refusal, names the base and its commit, and says how to start the server", () => {
    const refusal = new TritonError(
      'RepositoryModelLoad',
      '127.0.0.1:8001',
      'UNAVAILABLE',
      'explicit model load / unload is not allowed if polling is enabled',
    );
    const explained = explainLoadFailure(refusal, 'm__base', "'models/m' at main (abc1234)");
    expect(explained).toBeInstanceOf(TritonError);
    expect(explained.message).toBe(
      "RepositoryModelLoad on 127.0.0.1:8001 failed with UNAVAILABLE: loading the base 'm__base' from 'models/m' at main (abc1234): " +
        'explicit model load / unload is not allowed if polling is enabled. the zero-config base is loaded through RepositoryModelLoad ' +
        'with file overrides, which needs a server started with --model-control-mode=explicit',
    );
  });

  it('names the base for any other failure too', () => {
    expect(explainLoadFailure(new Error('boom'), 'm__base', 'here').message).toBe(
      "loading the base 'm__base' from here failed: boom",
    );
  });
});
