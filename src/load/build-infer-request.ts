/**
 * Builds the one ModelInfer request a cell sends again and again (docs/architecture.md#measurement: encoded once,
 * reused). Inputs come from the model's config; user overrides (`inputs`) may set shapes,
 * datatypes and data. Pure: file contents are read by the edge and passed in.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ModelInferRequestSchema } from '../gen/grpc_service_pb.js';
import { DataType, type ModelConfig } from '../gen/model_config_pb.js';
import type { InputDataMode, InputOverride } from '../config/config.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { createRng } from '../rng.js';
import { encodeItem, type ItemValues } from './encode-tensor.js';

/** Everything needed to build a cell's request. */
export interface RequestSpec {
  readonly model: string;
  readonly modelVersion: string;
  /** The model's config as reported by ModelConfig (any max_batch). */
  readonly config: ModelConfig;
  /** The row's max_batch: 0 means requests carry no batch dimension. */
  readonly maxBatch: number;
  readonly itemsPerRequest: number;
  readonly overrides: readonly InputOverride[];
  readonly defaultData: InputDataMode;
  readonly seed: number;
  /** Parsed JSON of every `{file}` data source, by path (read by the edge). */
  readonly files: ReadonlyMap<string, unknown>;
}

/** The encoded request and how to describe it. */
export interface BuiltRequest {
  /** ModelInferRequest bytes, ready for the transport. */
  readonly bytes: Buffer;
  /** `name:DATATYPE[shape]:data` per input, for `Method.inputs`. */
  readonly description: readonly string[];
}

/** Protocol datatype string of a config DataType (drop `TYPE_`, STRING is BYTES). */
export function protocolDatatype(type: DataType): string {
  if (type === DataType.TYPE_STRING) return 'BYTES';
  return DataType[type].replace(/^TYPE_/, '');
}

interface ResolvedInput {
  readonly name: string;
  readonly datatype: string;
  readonly dims: readonly number[];
  readonly data: InputDataMode | { readonly file: string };
}

function resolveInputs(spec: RequestSpec, issues: ConfigIssue[]): ResolvedInput[] {
  const byName = new Map(spec.overrides.map((o) => [o.name, o]));
  const known = spec.config.input.map((i) => i.name);
  for (const name of byName.keys()) {
    if (!known.includes(name)) {
      issues.push({
        input: 'inputs',
        value: name,
        expected: `an input of model '${spec.model}' (${known.join(', ')})`,
      });
    }
  }
  const resolved: ResolvedInput[] = [];
  for (const input of spec.config.input) {
    const override = byName.get(input.name);
    if (input.optional && override === undefined) continue;
    const datatype = protocolDatatype(input.dataType);
    if (override?.datatype !== undefined && override.datatype !== datatype) {
      issues.push({
        input: 'inputs',
        value: `${input.name}: ${override.datatype}`,
        expected: `datatype ${datatype} (as model '${spec.model}' declares)`,
      });
    }
    const modelDims = input.dims.map(Number);
    const dims = override?.shape ?? modelDims;
    const isCompatible =
      dims.length === modelDims.length && dims.every((d, i) => modelDims[i] === -1 || modelDims[i] === d);
    if (!isCompatible || dims.some((d) => d < 1)) {
      const hint = modelDims.includes(-1)
        ? 'the model has variable dimensions (-1): give a shape in inputs'
        : undefined;
      issues.push({
        input: 'inputs',
        value: `${input.name}: [${dims.join(',')}]`,
        expected: `a shape matching the model's [${modelDims.join(',')}] (without the batch dimension)`,
        ...(hint === undefined ? {} : { hint }),
      });
    }
    const data = override?.data ?? spec.defaultData;
    if (datatype === 'BYTES' && typeof data === 'string') {
      issues.push({
        input: 'inputs',
        value: `${input.name}: ${data}`,
        expected: 'data: {file: <JSON list of strings>} for a BYTES input',
      });
    }
    resolved.push({ name: input.name, datatype, dims, data });
  }
  return resolved;
}

function itemValues(input: ResolvedInput, spec: RequestSpec, issues: ConfigIssue[]): ItemValues {
  const elements = input.dims.reduce((a, b) => a * b, 1);
  if (typeof input.data === 'string') return { kind: input.data, elements };
  const json = spec.files.get(input.data.file);
  const values = Array.isArray(json) ? json.flat(Infinity) : undefined;
  const isBytes = input.datatype === 'BYTES';
  const isValid =
    values?.length === elements && values.every((v) => (isBytes ? typeof v === 'string' : typeof v === 'number'));
  if (values === undefined || !isValid) {
    issues.push({
      input: 'inputs',
      value: `${input.name}: ${input.data.file}`,
      expected: `a JSON list of ${elements} ${isBytes ? 'strings' : 'numbers'} (one item of shape [${input.dims.join(',')}])`,
    });
    return { kind: 'zeros', elements };
  }
  return isBytes ? { kind: 'strings', values: values as string[] } : { kind: 'numbers', values: values as number[] };
}

/** Builds and encodes the request; throws ConfigError when inputs do not fit the model. */
export function buildInferRequest(spec: RequestSpec): BuiltRequest {
  const issues: ConfigIssue[] = [];
  const inputs = resolveInputs(spec, issues);
  const rng = createRng(spec.seed);
  const tensors = inputs.map((input) => ({ input, values: itemValues(input, spec, issues) }));
  if (issues.length > 0) throw new ConfigError(issues);
  const batchDims = spec.maxBatch > 0 ? [spec.itemsPerRequest] : [];
  const request = create(ModelInferRequestSchema, {
    modelName: spec.model,
    modelVersion: spec.modelVersion,
    inputs: tensors.map(({ input }) => ({
      name: input.name,
      datatype: input.datatype,
      shape: [...batchDims, ...input.dims].map(BigInt),
    })),
    // One item's bytes repeated per item of the request, as perf_analyzer does.
    rawInputContents: tensors.map(({ input, values }) => {
      const item = encodeItem(input.datatype, values, rng);
      return spec.maxBatch > 0 ? Buffer.concat(Array.from({ length: spec.itemsPerRequest }, () => item)) : item;
    }),
  });
  const describe = ({ input }: (typeof tensors)[number]): string => {
    const data = typeof input.data === 'string' ? input.data : `file:${input.data.file}`;
    return `${input.name}:${input.datatype}[${input.dims.join(',')}]:${data}`;
  };
  return { bytes: Buffer.from(toBinary(ModelInferRequestSchema, request)), description: tensors.map(describe) };
}
