/**
 * Reads the paired-mode inputs (`baseline-model`, `baseline-server-url`, `min-rounds`,
 * `max-rounds`; docs/statistics.md, "Paired mode"). With a base side the run is paired.
 */
import type { PairedConfig, ServerConfig } from './config.js';
import type { FieldReader } from './field-reader.js';
import { Input } from './inputs.js';
import { serverUrl } from './parse-server.js';
import { type Parser, fail, integer, text } from './parse-values.js';

/** Fewest rounds: below 3 the signed-rank test cannot reach p < 0.25 (docs/statistics.md §11). */
const roundCount = integer({ min: 3, max: 100, expected: 'an integer from 3 to 100' });

const baseModelName: Parser<string> = (value) => {
  const parsed = text('a model name')(value);
  if (parsed.ok && /[/\\]/.test(value)) {
    return fail({ expected: 'a model name', hint: "a model name has no '/' or '\\'" });
  }
  return parsed;
};

/**
 * The base side: `baseline-model` on `baseline-server-url` (default: the head's server). A
 * second server shares the head's headers and timeouts. `baseline-server-url` alone serves the
 * head's model name there.
 */
export function readPaired(fields: FieldReader, model: string, head: ServerConfig): PairedConfig {
  const baseModel = fields.optional(Input.baselineModel, baseModelName);
  const baseServer = fields.optional(Input.baselineServerUrl, serverUrl);
  const minRounds = fields.withDefault(Input.minRounds, roundCount);
  const maxRounds = fields.withDefault(Input.maxRounds, roundCount);
  if (baseModel === undefined && baseServer === undefined) {
    return { base: undefined, minRounds, maxRounds };
  }
  const server = baseServer === undefined ? head : { ...head, ...baseServer };
  return { base: { model: baseModel ?? model, server }, minRounds, maxRounds };
}
