/**
 * Pure: config.pbtxt (protobuf text format) at the base commit → the ModelConfig the zero-config
 * base loads (docs/paired.md, "Zero-config base"). Parsed with protobuf-es's own text-format
 * reader (`@bufbuild/protobuf/txtpb`, part of the protobuf runtime we already use, maintained
 * with it) against our full model_config.proto, so every field Triton 2.51 knows parses and a
 * typo fails with the parser's position instead of being dropped. The JSON Triton expects for a
 * `config` override is then `configOverrideJson` (override-config.ts).
 */
import { fromText } from '@bufbuild/protobuf/txtpb';
import { errorMessage } from '../error-message.js';
import { ModelConfigSchema, type ModelConfig } from '../gen/model_config_pb.js';

/** The config's text could not be read; `detail` is the parser's message. */
export class ModelConfigTextError extends Error {
  override readonly name = 'ModelConfigTextError';
  constructor(
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`config.pbtxt is not a valid Triton model config: ${detail}`, options);
  }
}

/**
 * Parses config.pbtxt text and renames the model to `name` (Triton requires the config's name
 * to be the loaded model's, or empty).
 *
 * @throws ModelConfigTextError for text that is not a ModelConfig in text format.
 */
export function parseBaseConfig(text: string, name: string): ModelConfig {
  let config: ModelConfig;
  try {
    config = fromText(ModelConfigSchema, text);
  } catch (err: unknown) {
    throw new ModelConfigTextError(errorMessage(err), { cause: err });
  }
  config.name = name;
  return config;
}
