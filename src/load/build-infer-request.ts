/**
 * Builds the requests a cell sends again and again (docs/architecture.md#measurement: encoded
 * once, reused). Inputs come from the model's config; `inputs` overrides and `shape` may set
 * shapes, datatypes and data; `input-data` is generated data or perf_analyzer's JSON file, whose
 * data steps become one request each (input-data.ts). Either way the data end as data steps
 * encoded by step-requests.ts: one path for every source of data. Pure: files are read by the
 * edge (read-input-files.ts) and passed in.
 */
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { InputDataSource, InputOverride, ShapeOption } from '../config/config.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import { createRng, type Rng } from '../rng.js';
import { encodeItem, randomStrings, type ItemValues } from './encode-tensor.js';
import { parseInputData, type DataStep, type InputSpec } from './input-data.js';
import { encodeStepRequests, protocolDatatype } from './step-requests.js';

/** Everything needed to build a cell's requests. */
export interface RequestSpec {
  readonly model: string;
  readonly modelVersion: string;
  /** The model's config as reported by ModelConfig (any max_batch). */
  readonly config: ModelConfig;
  /** The row's max_batch: 0 means requests carry no batch dimension. */
  readonly maxBatch: number;
  readonly itemsPerRequest: number;
  readonly overrides: readonly InputOverride[];
  /** `shape` items (perf_analyzer `--shape`); default none. */
  readonly shapes?: readonly ShapeOption[];
  readonly defaultData: InputDataSource;
  /** Characters of each random BYTES element; default perf_analyzer's 128. */
  readonly stringLength?: number;
  readonly seed: number;
  /** Parsed JSON of every data file (`inputs` `{file}` sources and an `input-data` file), by path. */
  readonly files: ReadonlyMap<string, unknown>;
}

/** The encoded requests and how to describe them. */
export interface BuiltRequest {
  /**
   * ModelInferRequest bytes per data stream, one request per data step: one stream of one
   * request for generated data; an `input-data` file's streams otherwise (a flat file is one).
   */
  readonly streams: readonly (readonly Buffer[])[];
  /** The first request (what smoke tests and capacity probes send). */
  readonly bytes: Buffer;
  /** `name:DATATYPE[shape]:data` per input, for `Method.inputs`. */
  readonly description: readonly string[];
}

export { protocolDatatype } from './step-requests.js';

/** perf_analyzer's `--string-length` default. */
export const DEFAULT_STRING_LENGTH = 128;

/** Most `input-data` problems listed in one error: the first ones show what is wrong. */
const MAX_FILE_ISSUES = 10;

interface ResolvedInput extends InputSpec {
  /** Dims to send: the override's or `shape`'s, else the model's (may hold -1 with a data file). */
  readonly shape: readonly number[];
  readonly isShapeGiven: boolean;
  readonly data: InputDataSource;
}

/** The model's inputs that are sent, with their shapes and data; issues for what does not fit. */
function resolveInputs(spec: RequestSpec, issues: ConfigIssue[]): ResolvedInput[] {
  const byName = new Map(spec.overrides.map((o) => [o.name, o]));
  const shapeByName = new Map((spec.shapes ?? []).map((s) => [s.name, s.dims]));
  const known = spec.config.input.map((i) => i.name);
  const unknownIn = (input: string, names: Iterable<string>): void => {
    for (const name of names) {
      if (!known.includes(name))
        issues.push({ input, value: name, expected: `an input of model '${spec.model}' (${known.join(', ')})` });
    }
  };
  unknownIn(Input.inputs, byName.keys());
  unknownIn(Input.shape, shapeByName.keys());
  const isFile = typeof spec.defaultData !== 'string';
  const resolved: ResolvedInput[] = [];
  for (const input of spec.config.input) {
    const override = byName.get(input.name);
    const datatype = protocolDatatype(input.dataType);
    if (override?.datatype !== undefined && override.datatype !== datatype) {
      issues.push({
        input: Input.inputs,
        value: `${input.name}: ${override.datatype}`,
        expected: `datatype ${datatype} (as model '${spec.model}' declares)`,
      });
    }
    const dims = input.dims.map(Number);
    const given = givenShapeOf({ name: input.name, dims }, override?.shape, shapeByName.get(input.name), issues);
    if (!isFile && given === undefined) checkConcrete(input.name, dims, issues);
    const data = dataOf(spec, { name: input.name, isOptional: input.optional }, override?.data, issues);
    if (data === undefined) continue;
    resolved.push({
      name: input.name,
      datatype,
      dims,
      isOptional: input.optional,
      shape: given ?? dims,
      data,
      isShapeGiven: given !== undefined,
    });
  }
  return resolved;
}

/** The dims the user gave: `inputs`' shape or `shape`'s (they must agree); undefined when neither gives one. */
function givenShapeOf(
  model: { readonly name: string; readonly dims: readonly number[] },
  fromInputs: readonly number[] | undefined,
  fromShape: readonly number[] | undefined,
  issues: ConfigIssue[],
): readonly number[] | undefined {
  if (fromInputs !== undefined && fromShape !== undefined && fromInputs.join(',') !== fromShape.join(',')) {
    issues.push({
      input: Input.shape,
      value: `${model.name}:${fromShape.join(',')}`,
      expected: `the shape inputs gives for '${model.name}' ([${fromInputs.join(',')}]), or no shape item for it`,
      hint: 'give the shape in one place',
    });
  }
  const shape = fromInputs ?? fromShape;
  if (shape === undefined) return undefined;
  const fits = shape.length === model.dims.length && shape.every((d, i) => model.dims[i] === -1 || model.dims[i] === d);
  if (!fits) {
    issues.push({
      input: fromInputs === undefined ? Input.shape : Input.inputs,
      value: `${model.name}: [${shape.join(',')}]`,
      expected: `a shape matching the model's [${model.dims.join(',')}] (without the batch dimension)`,
    });
  }
  return shape;
}

/** Generated data needs every dim known: the model's dims, when no shape is given, must have no -1. */
function checkConcrete(name: string, dims: readonly number[], issues: ConfigIssue[]): void {
  if (!dims.includes(-1)) return;
  issues.push({
    input: Input.shape,
    value: `${name}: [${dims.join(',')}]`,
    expected: 'a shape for every input with variable dimensions (-1)',
    hint: `give one, e.g. shape: ${name}:${dims.map((d) => (d === -1 ? 1 : d)).join(',')}`,
  });
}

/** The input's data source; undefined for an input left out (`data: none`). */
function dataOf(
  spec: RequestSpec,
  input: { readonly name: string; readonly isOptional: boolean },
  given: InputOverride['data'],
  issues: ConfigIssue[],
): InputDataSource | undefined {
  // Checked before `none`: a file's steps say which optional inputs each request leaves out,
  // and an input dropped here would make the file's steps name an input "not of the model".
  if (given !== undefined && typeof spec.defaultData !== 'string') {
    const shown = typeof given === 'string' ? given : `{file: ${given.file}}`;
    issues.push({
      input: Input.inputs,
      value: `${input.name}: ${shown}`,
      expected: `no data for '${input.name}': input-data ${spec.defaultData.file} gives the data of every input`,
      hint:
        given === 'none'
          ? "drop data from inputs; to leave the optional input out, leave it out of the file's steps"
          : 'drop data from inputs, or put the data in the input-data file',
    });
    return given === 'none' ? undefined : given;
  }
  if (given === 'none') {
    if (input.isOptional) return undefined;
    issues.push({
      input: Input.inputs,
      value: `${input.name}: none`,
      expected: `data for '${input.name}': model '${spec.model}' requires it (only optional inputs can be left out)`,
    });
    return spec.defaultData;
  }
  return given ?? spec.defaultData;
}

/** The values of one item of a generated or per-input-file input. */
function itemValues(input: ResolvedInput, spec: RequestSpec, rng: Rng, issues: ConfigIssue[]): ItemValues {
  const stringLength = spec.stringLength ?? DEFAULT_STRING_LENGTH;
  const elements = input.shape.reduce((a, b) => a * b, 1);
  const isBytes = input.datatype === 'BYTES';
  if (typeof input.data === 'string') {
    if (!isBytes) return { kind: input.data, elements };
    // perf_analyzer's --string-length strings; "zeros" sends strings of '0' of that length.
    const values =
      input.data === 'random'
        ? randomStrings(rng, elements, stringLength)
        : Array.from({ length: elements }, () => '0'.repeat(stringLength));
    return { kind: 'strings', values };
  }
  const json = spec.files.get(input.data.file);
  const values = Array.isArray(json) ? json.flat(Infinity) : undefined;
  const isValid =
    values?.length === elements && values.every((v) => (isBytes ? typeof v === 'string' : typeof v === 'number'));
  if (values === undefined || !isValid) {
    issues.push({
      input: Input.inputs,
      value: `${input.name}: ${input.data.file}`,
      expected: `a JSON list of ${elements} ${isBytes ? 'strings' : 'numbers'} (one item of shape [${input.shape.join(',')}])`,
    });
    return { kind: 'zeros', elements };
  }
  return isBytes ? { kind: 'strings', values: values as string[] } : { kind: 'numbers', values: values as number[] };
}

/** One data step of generated (or per-input-file) data. */
function generatedStep(inputs: readonly ResolvedInput[], spec: RequestSpec, issues: ConfigIssue[]): DataStep {
  const rng = createRng(spec.seed);
  const step = new Map<string, { shape: readonly number[]; bytes: Buffer }>();
  for (const input of inputs) {
    const values = itemValues(input, spec, rng, issues);
    if (issues.length === 0)
      step.set(input.name, { shape: input.shape, bytes: encodeItem(input.datatype, values, rng) });
  }
  return step;
}

/** The data streams of an `input-data` file, checked against the model (issues name the step and input). */
function fileStreams(
  inputs: readonly ResolvedInput[],
  file: string,
  spec: RequestSpec,
  issues: ConfigIssue[],
): readonly (readonly DataStep[])[] {
  const json = spec.files.get(file);
  if (json === undefined) {
    issues.push({ input: Input.inputData, value: file, expected: 'a data file read before the run (a wiring bug)' });
    return [];
  }
  const shapes = new Map(inputs.filter((i) => i.isShapeGiven).map((i) => [i.name, i.shape]));
  const parsed = parseInputData(json, inputs, shapes);
  if ('data' in parsed) return parsed.data.streams;
  const expected = `a perf_analyzer --input-data file that fits model '${spec.model}'`;
  const listed = parsed.issues.slice(0, MAX_FILE_ISSUES);
  for (const [n, { where, problem }] of listed.entries()) {
    const more = n === listed.length - 1 && parsed.issues.length > listed.length;
    const rest = more ? ` (and ${parsed.issues.length - listed.length} more problems)` : '';
    issues.push({ input: Input.inputData, value: file, expected, hint: `${where} ${problem}${rest}` });
  }
  return [];
}

/** Builds and encodes the requests; throws ConfigError when inputs or data do not fit the model. */
export function buildInferRequest(spec: RequestSpec): BuiltRequest {
  const issues: ConfigIssue[] = [];
  const inputs = resolveInputs(spec, issues);
  const source = spec.defaultData;
  // With a file, inputs that already have issues are not read as per-input files: that would
  // add a wrong issue for every input the file gives.
  const streams =
    typeof source === 'string'
      ? [[generatedStep(inputs, spec, issues)]]
      : issues.length > 0
        ? []
        : fileStreams(inputs, source.file, spec, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  const target = {
    model: spec.model,
    modelVersion: spec.modelVersion,
    maxBatch: spec.maxBatch,
    // A request of a model without batching is one item (cross-field rules keep the input at 1 there).
    itemsPerRequest: spec.maxBatch > 0 ? spec.itemsPerRequest : 1,
    inputs,
  };
  const encoded = streams.map((steps) => encodeStepRequests(target, steps));
  const first = encoded[0]?.[0];
  if (first === undefined) throw new Error('buildInferRequest: no request was built (a parser bug)');
  const firstSteps = streams[0]?.[0];
  const describe = (input: ResolvedInput): string => {
    const shape = firstSteps?.get(input.name)?.shape ?? input.shape;
    const data = dataDescription(input, spec);
    return `${input.name}:${input.datatype}[${shape.join(',')}]:${data}`;
  };
  const sent =
    typeof source === 'string' ? inputs : inputs.filter((i) => streams.some((s) => s.some((st) => st.has(i.name))));
  return { streams: encoded, bytes: first, description: sent.map(describe) };
}

function dataDescription(input: ResolvedInput, spec: RequestSpec): string {
  const stringLength = spec.stringLength ?? DEFAULT_STRING_LENGTH;
  if (typeof spec.defaultData !== 'string') return `input-data:${spec.defaultData.file}`;
  if (typeof input.data !== 'string') return `file:${input.data.file}`;
  return input.datatype === 'BYTES' ? `${input.data}(${stringLength} chars)` : input.data;
}
