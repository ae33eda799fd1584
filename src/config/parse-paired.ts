/**
 * Reads the paired-mode inputs (`baseline-model`, `baseline-server-url`, `model-repository`,
 * `baseline-ref`, `min-rounds`, `max-rounds`; docs/statistics.md, "Paired mode", and
 * docs/paired.md). With a base side the run is paired.
 */
import type { BaseFromRepository, PairedConfig, ServerConfig } from './config.js';
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

/** The suffix of the model the run loads itself from `model-repository` (docs/paired.md). */
export const BASE_MODEL_SUFFIX = '__base';

const GIT_REF_EXPECTED = 'a git commit-ish (a sha, branch, tag or HEAD~1)';

/**
 * A commit-ish handed to git as `<ref>:<path>`: a leading '-' would read as an option, ':' and
 * '..' would change what git resolves, whitespace is never part of a ref.
 */
const gitRef: Parser<string> = (value) => {
  const parsed = text(GIT_REF_EXPECTED)(value);
  if (!parsed.ok) return parsed;
  if (value.startsWith('-')) return fail({ expected: GIT_REF_EXPECTED, hint: "a ref cannot start with '-'" });
  if (/[\s:]|\.\./.test(value))
    return fail({ expected: GIT_REF_EXPECTED, hint: "a ref has no whitespace, ':' or '..'" });
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
  const fromRepository = readFromRepository(fields);
  if (baseModel === undefined && baseServer === undefined) {
    // model-repository alone: the run loads the base itself (docs/paired.md, "Zero-config base").
    if (fromRepository !== undefined) {
      return { base: { model: `${model}${BASE_MODEL_SUFFIX}`, server: head, fromRepository }, minRounds, maxRounds };
    }
    return { base: undefined, minRounds, maxRounds };
  }
  const server = baseServer === undefined ? head : { ...head, ...baseServer };
  return { base: { model: baseModel ?? model, server }, minRounds, maxRounds };
}

function readFromRepository(fields: FieldReader): BaseFromRepository | undefined {
  const path = fields.optional(Input.modelRepository, text('a directory path in the checkout'));
  const ref = fields.optional(Input.baselineRef, gitRef);
  return path === undefined ? undefined : { path, ref };
}
