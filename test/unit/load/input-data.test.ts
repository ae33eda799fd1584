// parseInputData: perf_analyzer --input-data files as its docs describe them (steps, streams,
// flat lists, {content, shape}, {b64}, BYTES, optional inputs, --shape) turned into the bytes of
// each input, and every malformed file refused with the stream, step and input named.
import { describe, expect, it } from 'vitest';
import { parseInputData, type InputDataResult, type InputSpec } from '../../../src/load/input-data.js';

const INPUTS: readonly InputSpec[] = [
  { name: 'INPUT0', datatype: 'FP32', dims: [2], isOptional: false },
  { name: 'IDS', datatype: 'INT64', dims: [-1], isOptional: false },
  { name: 'TEXT', datatype: 'BYTES', dims: [1], isOptional: false },
  { name: 'MASK', datatype: 'BOOL', dims: [2], isOptional: true },
];
const step = (extra: Record<string, unknown> = {}) => ({
  INPUT0: [0.5, 1.5],
  IDS: { content: [7, 8, 9], shape: [3] },
  TEXT: ['hé'],
  ...extra,
});

function data(result: InputDataResult) {
  if (!('data' in result)) throw new Error(`expected data, got ${JSON.stringify(result.issues)}`);
  return result.data;
}

function issues(result: InputDataResult): string[] {
  if (!('issues' in result)) throw new Error('expected issues');
  return result.issues.map((i) => `${i.where}: ${i.problem}`);
}

describe('parseInputData', () => {
  it('reads a flat list of steps as one stream, each value as one item of raw bytes', () => {
    const parsed = data(parseInputData({ data: [step(), step({ MASK: [true, false] })] }, INPUTS));
    expect(parsed.streams).toHaveLength(1);
    const [first, second] = parsed.streams[0] ?? [];
    expect(first?.get('INPUT0')).toEqual({ shape: [2], bytes: Buffer.from(Float32Array.from([0.5, 1.5]).buffer) });
    expect(first?.get('IDS')).toEqual({ shape: [3], bytes: Buffer.from(BigInt64Array.from([7n, 8n, 9n]).buffer) });
    expect(first?.get('TEXT')?.bytes).toEqual(Buffer.from([3, 0, 0, 0, 0x68, 0xc3, 0xa9]));
    // An optional input left out of a step is not sent with it.
    expect(first?.has('MASK')).toBe(false);
    expect(second?.get('MASK')?.bytes).toEqual(Buffer.from([1, 0]));
  });

  it('reads a list of lists as one stream of steps per sequence', () => {
    const parsed = data(parseInputData({ data: [[step(), step()], [step()]], validation_data: [] }, INPUTS));
    expect(parsed.streams.map((s) => s.length)).toEqual([2, 1]);
  });

  it('takes b64 raw bytes, for BYTES with their length prefixes', () => {
    const text = Buffer.from([2, 0, 0, 0, 0x6f, 0x6b]).toString('base64');
    const ids = Buffer.from(BigInt64Array.from([1n, 2n]).buffer).toString('base64');
    const parsed = data(
      parseInputData({ data: [step({ TEXT: { b64: text }, IDS: { content: { b64: ids }, shape: [2] } })] }, INPUTS),
    );
    expect(parsed.streams[0]?.[0]?.get('TEXT')?.bytes.toString('latin1')).toBe('\x02\x00\x00\x00ok');
    expect(parsed.streams[0]?.[0]?.get('IDS')?.shape).toEqual([2]);
  });

  it('fills variable dimensions from shape NAME:dims when a step gives no shape', () => {
    const parsed = data(parseInputData({ data: [step({ IDS: [1, 2, 3, 4] })] }, INPUTS, new Map([['IDS', [4]]])));
    expect(parsed.streams[0]?.[0]?.get('IDS')?.shape).toEqual([4]);
  });

  it.each<[string, unknown, string]>([
    [
      'not an object',
      [1, 2],
      'the file: is not an object with a "data" list (perf_analyzer --input-data: {"data": [steps]})',
    ],
    [
      'no data',
      { validation_data: [] },
      'the file: is not an object with a "data" list (perf_analyzer --input-data: {"data": [steps]})',
    ],
    ['empty data', { data: [] }, '"data": is empty; expected at least one step'],
    [
      'steps mixed with streams',
      { data: [step(), [step()]] },
      '"data": mixes steps (objects) and streams (lists); use one or the other',
    ],
    ['an empty stream', { data: [[step()], []] }, 'stream 1: has no steps'],
  ])('refuses %s', (_what, json, expected) => {
    expect(issues(parseInputData(json, INPUTS))).toEqual([expected]);
  });

  it('names stream, step and input of every problem in a step', () => {
    const bad = {
      INPUT0: [1, 'x'],
      IDS: [1, 2],
      TEXT: ['a', 'b'],
      OTHER: [1],
      model: 'ignored',
    };
    expect(issues(parseInputData({ data: [step(), bad] }, INPUTS))).toEqual([
      "stream 0, step 1, input 'OTHER': is not an input of the model (INPUT0, IDS, TEXT, MASK)",
      'stream 0, step 1, input \'INPUT0\': value "x" at 1 is not a finite number (FP32)',
      'stream 0, step 1, input \'IDS\': has variable dimensions [-1]: give its shape (a "shape" in the step, or shape IDS:d1,d2)',
      "stream 0, step 1, input 'TEXT': has 2 values, expected 1 (the shape's element count)",
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing required input', { TEXT: undefined }, "input 'TEXT': is missing (the input is not optional)"],
    [
      'an integer out of range',
      { IDS: { content: [1.5], shape: [1] } },
      "input 'IDS': value 1.5 at 0 is not an integer in",
    ],
    [
      'a shape that does not fit',
      { INPUT0: { content: [1, 2, 3], shape: [3] } },
      "input 'INPUT0': shape [3] does not fit the model's [2]",
    ],
    [
      'a bad shape',
      { INPUT0: { content: [1, 2], shape: [-2] } },
      `input 'INPUT0' "shape": expected a list of integers >= 0`,
    ],
    [
      'an object without content',
      { INPUT0: { shape: [2] } },
      `input 'INPUT0': is an object without "content" or "b64"`,
    ],
    ['b64 of the wrong size', { INPUT0: { b64: 'AAAA' } }, "input 'INPUT0': b64 holds 3 bytes, expected 8 (2 × FP32)"],
    ['b64 that is not base64', { INPUT0: { b64: 'a*b' } }, `input 'INPUT0' "b64": is not a base64 string`],
    [
      'BYTES b64 without prefixes',
      { TEXT: { b64: 'b2s=' } },
      "input 'TEXT': b64 holds malformed length prefixes, expected 1 strings",
    ],
    ['a BOOL that is a number', { MASK: [1, 0] }, "input 'MASK': value 1 at 0 is not true or false"],
    ['a BYTES value that is a number', { TEXT: [5] }, "input 'TEXT': value 5 at 0 is not a string"],
  ])('refuses %s', (_what, change, expected) => {
    // An undefined value leaves the input out of the step.
    const bad = Object.fromEntries(
      Object.entries<unknown>({ ...step(), ...change }).filter(([, value]) => value !== undefined),
    );
    const found = issues(parseInputData({ data: [bad] }, INPUTS));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`stream 0, step 0, ${expected}`);
  });
});
