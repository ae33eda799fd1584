/**
 * perf_analyzer's `--input-data` JSON (its docs/input_data.md; the facts are in
 * docs/architecture.md#measurement) turned into the bytes of each input per data step, checked
 * against the model's inputs. Users who already feed perf_analyzer keep their files: a flat
 * `data` list of steps (used round-robin), or a list of lists (one stream of steps per
 * sequence), values as flat lists, `{content, shape}` or `{b64}`. Pure: the caller reads the
 * file and passes the parsed JSON; every problem found is returned, each naming the stream,
 * step and input.
 */
import { ELEMENT_BYTES, encodeItem } from './encode-tensor.js';
import { createRng } from '../rng.js';

/** What the parser needs to know about one model input (from ModelConfig/ModelMetadata). */
export interface InputSpec {
  readonly name: string;
  /** Protocol datatype (`FP32`, `BYTES`, ...). */
  readonly datatype: string;
  /** Dimensions without the batch dimension; -1 is variable. */
  readonly dims: readonly number[];
  readonly isOptional: boolean;
}

/** One input of one step: its shape (without the batch dimension) and one item's raw bytes. */
export interface StepTensor {
  readonly shape: readonly number[];
  readonly bytes: Buffer;
}

/** One data step: the tensors it gives, by input name (optional inputs may be absent). */
export type DataStep = ReadonlyMap<string, StepTensor>;

/** The parsed file: streams of steps (a flat `data` list is one stream). */
export interface InputData {
  readonly streams: readonly (readonly DataStep[])[];
}

/** The outcome: the data, or every problem found (`where`: `stream 0, step 2, input 'X'`). */
export type InputDataResult =
  { readonly data: InputData } | { readonly issues: readonly { readonly where: string; readonly problem: string }[] };

type Issues = { where: string; problem: string }[];
type Json = Readonly<Record<string, unknown>>;

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT16: [-32_768, 32_767],
  UINT16: [0, 65_535],
  INT32: [-2_147_483_648, 2_147_483_647],
  UINT32: [0, 4_294_967_295],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses `json` for a model with `inputs`. `shapes` are `shape NAME:d1,d2` values (perf_analyzer's
 * `--shape`): they fill variable dimensions where a step gives no shape of its own.
 */
export function parseInputData(
  json: unknown,
  inputs: readonly InputSpec[],
  shapes: ReadonlyMap<string, readonly number[]> = new Map(),
): InputDataResult {
  const issues: Issues = [];
  if (!isRecord(json) || !Array.isArray(json['data'])) {
    return {
      issues: [
        {
          where: 'the file',
          problem: 'is not an object with a "data" list (perf_analyzer --input-data: {"data": [steps]})',
        },
      ],
    };
  }
  const data = json['data'] as unknown[];
  if (data.length === 0) return { issues: [{ where: '"data"', problem: 'is empty; expected at least one step' }] };
  const isStreams = data.every(Array.isArray);
  if (!isStreams && !data.every(isRecord)) {
    return {
      issues: [{ where: '"data"', problem: 'mixes steps (objects) and streams (lists); use one or the other' }],
    };
  }
  const rawStreams = isStreams ? (data as unknown[][]) : [data];
  const streams = rawStreams.map((steps, s) => {
    if (steps.length === 0) issues.push({ where: `stream ${s}`, problem: 'has no steps' });
    return steps.map((step, k) => parseStep(step, `stream ${s}, step ${k}`, inputs, shapes, issues));
  });
  return issues.length > 0 ? { issues } : { data: { streams } };
}

function parseStep(
  step: unknown,
  where: string,
  inputs: readonly InputSpec[],
  shapes: ReadonlyMap<string, readonly number[]>,
  issues: Issues,
): DataStep {
  const tensors = new Map<string, StepTensor>();
  if (!isRecord(step)) {
    issues.push({ where, problem: 'is not an object of input names' });
    return tensors;
  }
  const known = new Set(inputs.map((i) => i.name));
  for (const key of Object.keys(step)) {
    if (key !== 'model' && !known.has(key)) {
      issues.push({
        where: `${where}, input '${key}'`,
        problem: `is not an input of the model (${[...known].join(', ')})`,
      });
    }
  }
  for (const input of inputs) {
    const value = step[input.name];
    const at = `${where}, input '${input.name}'`;
    if (value === undefined) {
      if (!input.isOptional) issues.push({ where: at, problem: 'is missing (the input is not optional)' });
      continue;
    }
    const tensor = parseTensor(value, input, shapes.get(input.name), at, issues);
    if (tensor !== undefined) tensors.set(input.name, tensor);
  }
  return tensors;
}

/** The step's shape, else `--shape`, else the model's dims; undefined (with an issue) when not fully known. */
function resolveShape(
  given: unknown,
  input: InputSpec,
  shapeOption: readonly number[] | undefined,
  at: string,
  issues: Issues,
): number[] | undefined {
  if (given !== undefined && !(Array.isArray(given) && given.every((d) => Number.isInteger(d) && (d as number) >= 0))) {
    issues.push({ where: `${at} "shape"`, problem: 'expected a list of integers >= 0 (without the batch dimension)' });
    return undefined;
  }
  const shape = (given as number[] | undefined) ??
    (shapeOption === undefined ? undefined : [...shapeOption]) ?? [...input.dims];
  const fits = shape.length === input.dims.length && shape.every((d, i) => input.dims[i] === -1 || input.dims[i] === d);
  if (!fits) {
    issues.push({
      where: at,
      problem: `shape [${shape.join(',')}] does not fit the model's [${input.dims.join(',')}]`,
    });
    return undefined;
  }
  if (shape.some((d) => d < 0)) {
    issues.push({
      where: at,
      problem: `has variable dimensions [${input.dims.join(',')}]: give its shape (a "shape" in the step, or shape ${input.name}:d1,d2)`,
    });
    return undefined;
  }
  return shape;
}

function parseTensor(
  value: unknown,
  input: InputSpec,
  shapeOption: readonly number[] | undefined,
  at: string,
  issues: Issues,
): StepTensor | undefined {
  let content: unknown = value;
  let givenShape: unknown;
  if (isRecord(value)) {
    if (!('content' in value) && !('b64' in value)) {
      issues.push({ where: at, problem: 'is an object without "content" or "b64"' });
      return undefined;
    }
    givenShape = value['shape'];
    content = 'content' in value ? value['content'] : { b64: value['b64'] };
  }
  const shape = resolveShape(givenShape, input, shapeOption, at, issues);
  if (shape === undefined) return undefined;
  const elements = shape.reduce((a, b) => a * b, 1);
  const bytes = isRecord(content)
    ? fromBase64(content['b64'], input, elements, at, issues)
    : fromList(content, input, elements, at, issues);
  return bytes === undefined ? undefined : { shape, bytes };
}

function fromList(
  content: unknown,
  input: InputSpec,
  elements: number,
  at: string,
  issues: Issues,
): Buffer | undefined {
  if (!Array.isArray(content)) {
    issues.push({ where: at, problem: 'expected a flat list of values, {"content": [...]} or {"b64": "..."}' });
    return undefined;
  }
  if (content.length !== elements) {
    issues.push({
      where: at,
      problem: `has ${content.length} values, expected ${elements} (the shape's element count)`,
    });
    return undefined;
  }
  const bad = content.findIndex((v) => !isValidElement(v, input.datatype));
  if (bad >= 0) {
    issues.push({
      where: at,
      problem: `value ${JSON.stringify(content[bad])} at ${bad} is not ${expectedElement(input.datatype)}`,
    });
    return undefined;
  }
  // Random data is never drawn for lists: the Rng is only a required argument.
  const rng = createRng(0);
  if (input.datatype === 'BYTES') return encodeItem('BYTES', { kind: 'strings', values: content as string[] }, rng);
  const numbers = (content as (number | boolean)[]).map(Number);
  return encodeItem(input.datatype, { kind: 'numbers', values: numbers }, rng);
}

function isValidElement(value: unknown, datatype: string): boolean {
  if (datatype === 'BYTES') return typeof value === 'string';
  if (datatype === 'BOOL') return typeof value === 'boolean';
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const range = INTEGER_RANGES[datatype];
  return range === undefined || (Number.isInteger(value) && value >= range[0] && value <= range[1]);
}

function expectedElement(datatype: string): string {
  if (datatype === 'BYTES') return 'a string';
  if (datatype === 'BOOL') return 'true or false';
  const range = INTEGER_RANGES[datatype];
  return range === undefined
    ? `a finite number (${datatype})`
    : `an integer in [${range[0]}, ${range[1]}] (${datatype})`;
}

function fromBase64(raw: unknown, input: InputSpec, elements: number, at: string, issues: Issues): Buffer | undefined {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 !== 0) {
    issues.push({ where: `${at} "b64"`, problem: 'is not a base64 string' });
    return undefined;
  }
  const bytes = Buffer.from(raw, 'base64');
  if (input.datatype === 'BYTES') {
    const count = countLengthPrefixed(bytes);
    if (count !== elements) {
      const got = count < 0 ? 'malformed length prefixes' : `${count} strings`;
      issues.push({
        where: at,
        problem: `b64 holds ${got}, expected ${elements} strings each with a 4-byte little-endian length`,
      });
      return undefined;
    }
    return bytes;
  }
  const expected = elements * (ELEMENT_BYTES[input.datatype] ?? 0);
  if (bytes.length !== expected) {
    issues.push({
      where: at,
      problem: `b64 holds ${bytes.length} bytes, expected ${expected} (${elements} × ${input.datatype})`,
    });
    return undefined;
  }
  return bytes;
}

/** Strings in a BYTES tensor's raw form (4-byte little-endian length, then the bytes), or -1 when malformed. */
function countLengthPrefixed(bytes: Buffer): number {
  let count = 0;
  for (let pos = 0; pos < bytes.length; count++) {
    if (pos + 4 > bytes.length) return -1;
    pos += 4 + bytes.readUInt32LE(pos);
    if (pos > bytes.length) return -1;
  }
  return count;
}
