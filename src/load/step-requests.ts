/**
 * The encoded requests of a cell when its data comes in steps (`input-data.ts`, perf_analyzer's
 * `--input-data`): one ModelInferRequest per step, encoded once per cell and used round-robin,
 * or in order within a sequence, by the loops (`StreamLoopPlan.steps`). Pure.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ModelInferRequestSchema } from '../gen/grpc_service_pb.js';
import { DataType, type ModelConfig } from '../gen/model_config_pb.js';
import type { DataStep, InputSpec } from './input-data.js';

/** Protocol datatype string of a config DataType (drop `TYPE_`, STRING is BYTES). */
export function protocolDatatype(type: DataType): string {
  if (type === DataType.TYPE_STRING) return 'BYTES';
  return DataType[type].replace(/^TYPE_/, '');
}

/** The inputs of a model config as `parseInputData` checks them (dims without the batch dimension). */
export function inputSpecsOf(config: ModelConfig): InputSpec[] {
  return config.input.map((input) => ({
    name: input.name,
    datatype: protocolDatatype(input.dataType),
    dims: input.dims.map(Number),
    isOptional: input.optional,
  }));
}

/** Where the requests go and how many items each carries. */
export interface StepRequestSpec {
  readonly model: string;
  readonly modelVersion: string;
  /** 0: requests carry no batch dimension (and `itemsPerRequest` must be 1). */
  readonly maxBatch: number;
  readonly itemsPerRequest: number;
  /** The model's inputs, in the order requests list them. */
  readonly inputs: readonly InputSpec[];
}

/**
 * One request per step: each input the step gives, in the model's order, with the step's shape
 * and, when the model batches, `itemsPerRequest` copies of the step's item (perf_analyzer makes a
 * batch of consecutive steps; one step repeated keeps every request of a step the same size).
 */
export function encodeStepRequests(spec: StepRequestSpec, steps: readonly DataStep[]): Buffer[] {
  if (spec.maxBatch === 0 && spec.itemsPerRequest !== 1) {
    throw new Error(`encodeStepRequests: ${spec.itemsPerRequest} items per request for a model without batching`);
  }
  const batchDims = spec.maxBatch > 0 ? [spec.itemsPerRequest] : [];
  return steps.map((step) => {
    const present = spec.inputs.filter((input) => step.has(input.name));
    const tensors = present.map((input) => step.get(input.name) as NonNullable<ReturnType<DataStep['get']>>);
    const request = create(ModelInferRequestSchema, {
      modelName: spec.model,
      modelVersion: spec.modelVersion,
      inputs: present.map((input, i) => ({
        name: input.name,
        datatype: input.datatype,
        shape: [...batchDims, ...(tensors[i]?.shape ?? [])].map(BigInt),
      })),
      rawInputContents: tensors.map((tensor) =>
        spec.maxBatch > 0
          ? Buffer.concat(Array.from({ length: spec.itemsPerRequest }, () => tensor.bytes))
          : tensor.bytes,
      ),
    });
    return Buffer.from(toBinary(ModelInferRequestSchema, request));
  });
}
