/**
 * The request a row sends, built once per row (and per side in paired runs) from the model's
 * applied config: the same inputs, data and seed on every side, so only the model differs
 * (docs/architecture.md, measurement).
 */
import type { MatrixConfig } from '../config/config.js';
import type { AppliedModelConfig } from '../control/model-controller.js';
import { buildInferRequest, type BuiltRequest } from '../load/build-infer-request.js';

/** Builds the row's request for `items` items per request (default: the configured count). */
export function buildRowRequest(
  matrix: MatrixConfig,
  applied: AppliedModelConfig,
  target: { readonly maxBatch: number; readonly files: ReadonlyMap<string, unknown>; readonly items?: number },
): BuiltRequest {
  return buildInferRequest({
    model: applied.model,
    modelVersion: matrix.modelVersion,
    config: applied.config,
    maxBatch: target.maxBatch,
    itemsPerRequest: target.items ?? matrix.itemsPerRequest,
    overrides: matrix.inputs,
    defaultData: matrix.inputData,
    shapes: matrix.shapes,
    stringLength: matrix.stringLength,
    seed: matrix.seed,
    files: target.files,
  });
}
