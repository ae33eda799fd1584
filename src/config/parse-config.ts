/**
 * `parseConfig`: raw strings in, one validated, deeply frozen `Config` out (docs/architecture.md#config,
 * docs/architecture.md#config). Pure: no I/O, no environment, no clock. Every issue is collected first and thrown
 * as one `ConfigError`, so nothing runs before the whole configuration is valid.
 */
import {
  BASELINE_STORE_KINDS,
  BATCH_STRATEGIES,
  COMMENT_MODES,
  FAIL_ON_VALUES,
  SAVE_BASELINE_POLICIES,
  TRANSPORTS,
  type Config,
  type ControlConfig,
  type GateConfig,
  type InputDataMode,
  type MatrixConfig,
  type ReportConfig,
  type ServerConfig,
  type StoreConfig,
} from './config.js';
import { ConfigError } from './config-error.js';
import { crossFieldIssues } from './cross-field-issues.js';
import { type FieldReader, createFieldReader } from './field-reader.js';
import { Input, type RawInputs } from './inputs.js';
import { inputOverrides } from './parse-input-overrides.js';
import { readPaired } from './parse-paired.js';
import { serverHeaders, serverUrl } from './parse-server.js';
import { defaultMetricsUrl, metricsUrl } from './parse-metrics-url.js';
import {
  type Parser,
  boolean,
  fail,
  fraction,
  integer,
  integerList,
  ok,
  oneOf,
  shard,
  text,
  trimmedText,
} from './parse-values.js';

const INPUT_DATA_MODES: readonly InputDataMode[] = ['random', 'zeros'];

// Parsers whose "expected" text is worth spelling out; the docs/architecture.md#errors example is `users`.
const usersList = integerList({ min: 1, expected: 'integers >= 1 ("1,2,4" or "1-10")' });
const maxBatchList = integerList({ min: 0, expected: 'integers >= 0, 0 = no batching ("8,16,32,64")' });
// Below 3 trials the exact rank test cannot reach p < 0.05 and every cell would be
// inconclusive: `trials: 2` would silently switch the gate off (docs/statistics.md §1).
const trialCount = integer({
  min: 3,
  max: 100,
  expected: 'an integer from 3 to 100 (the rank test needs 3 trials per side)',
});
const versionNumber = integer({ min: 1, expected: 'a version number >= 1' });
const maxCvFraction = fraction({
  min: 0,
  max: 1,
  isMinIncluded: false,
  isMaxIncluded: true,
  expected: "a fraction in (0, 1] ('10%' or '0.1')",
});
const alphaFraction = fraction({
  min: 0,
  max: 1,
  isMinIncluded: false,
  isMaxIncluded: false,
  expected: "a number strictly between 0 and 1 (e.g. '0.05')",
});
const minEffectFraction = fraction({
  min: 0,
  max: 1,
  isMinIncluded: true,
  isMaxIncluded: false,
  expected: "a fraction from 0% to under 100% ('5%' or '0.05')",
});

/**
 * Builds the `Config` from raw inputs: defaults for what is not given (`''` counts as not
 * given), strict parsing of what is, then the rules spanning several inputs.
 *
 * @throws ConfigError listing every issue found, secrets masked.
 * @returns a deeply frozen `Config`; users are ascending, max-batch keeps the given order.
 */
export function parseConfig(raw: RawInputs): Config {
  const fields = createFieldReader(raw);
  // `config-file` was read and merged by `resolveConfigFile`; here only a blank path is refused.
  fields.optional(Input.configFile, text('a file path'));
  const model = readModel(fields);
  const server = readServer(fields);
  const config: Config = {
    server,
    matrix: readMatrix(fields, model),
    control: readControl(fields),
    gate: readGate(fields),
    store: readStore(fields),
    report: readReport(fields),
    paired: readPaired(fields, model, server),
    benchmarkKey: readBenchmarkKey(fields, model),
    runnerLabel: fields.optional(Input.runnerLabel, text('a runner label')),
  };
  for (const issue of crossFieldIssues(config, fields)) fields.report(issue);
  if (fields.issues.length > 0) throw new ConfigError(fields.issues);
  return deepFreeze(config);
}

const modelName: Parser<string> = (value) => {
  const parsed = text('a model name')(value);
  if (parsed.ok && /[/\\]/.test(value)) {
    return fail({ expected: 'a model name', hint: "a model name has no '/' or '\\'" });
  }
  return parsed;
};

function readModel(fields: FieldReader): string {
  if (fields.given(Input.model) === undefined) {
    fields.report({ input: Input.model, value: '', expected: 'a model name (required)' });
  }
  return fields.optional(Input.model, modelName) ?? '';
}

function readServer(fields: FieldReader): ServerConfig {
  const target = fields.withDefault(Input.serverUrl, serverUrl);
  return {
    address: target.address,
    isTls: target.isTls,
    headers: fields.optional(Input.serverHeaders, serverHeaders) ?? {},
    requestTimeoutMs: fields.withDefault(Input.requestTimeoutMs, integer({ min: 1 })),
    transport: fields.withDefault(Input.transport, oneOf(TRANSPORTS)),
    metricsUrl:
      fields.given(Input.metricsUrl) === undefined
        ? defaultMetricsUrl(target.address)
        : (fields.optional(Input.metricsUrl, metricsUrl) ?? null),
    loadTimeoutMs: fields.withDefault(Input.loadTimeoutS, integer({ min: 1, max: 86_400 })) * 1000,
  };
}

/** Seconds of a time-based steady window: a decimal in (0, 3600]. */
const windowSeconds: Parser<number> = (value) => {
  const expected = "seconds, a number in (0, 3600] (e.g. '2' or '0.5')";
  if (!/^\d+(\.\d+)?$/.test(value)) return fail({ expected });
  const seconds = Number(value);
  return seconds > 0 && seconds <= 3600 ? ok(seconds) : fail({ expected });
};

function readMatrix(fields: FieldReader, model: string): MatrixConfig {
  const users = fields.withDefault(Input.users, usersList);
  return {
    model,
    modelVersion: String(fields.optional(Input.modelVersion, versionNumber) ?? ''),
    maxBatch: fields.withDefault(Input.maxBatch, maxBatchList),
    users: [...users].sort((a, b) => a - b),
    requests: fields.withDefault(Input.requests, integer({ min: 1 })),
    trialSeconds: fields.optional(Input.trialSeconds, windowSeconds),
    itemsPerRequest: fields.withDefault(Input.itemsPerRequest, integer({ min: 1 })),
    trials: fields.withDefault(Input.trials, trialCount),
    warmupRequests: fields.optional(Input.warmupRequests, integer({ min: 0 })),
    inputs: fields.optional(Input.inputs, inputOverrides) ?? [],
    inputData: fields.withDefault(Input.inputData, oneOf(INPUT_DATA_MODES)),
    seed: fields.withDefault(Input.seed, integer({ min: 0, max: 4_294_967_295 })),
    maxCv: fields.withDefault(Input.maxCv, maxCvFraction),
    maxReruns: fields.withDefault(Input.maxReruns, integer({ min: 0, max: 100 })),
    shard: fields.withDefault(Input.shard, shard),
    shouldProbeCapacity: fields.withDefault(Input.capacityProbe, boolean),
    shouldSearchCapacity: fields.withDefault(Input.capacitySearch, boolean),
  };
}

const modelTemplate: Parser<string> = (value) => {
  const expected = "a model name template containing {max_batch} (e.g. 'resnet_mb{max_batch}')";
  const parsed = text(expected)(value);
  if (parsed.ok && !value.includes('{max_batch}')) return fail({ expected, hint: "'{max_batch}' is missing" });
  return parsed;
};

function readControl(fields: FieldReader): ControlConfig {
  return {
    strategy: fields.withDefault(Input.batchStrategy, oneOf(BATCH_STRATEGIES)),
    modelTemplate: fields.optional(Input.modelTemplate, modelTemplate),
    command: fields.optional(Input.batchCommand, trimmedText('a shell command')),
    maxQueueDelayUs: fields.optional(Input.maxQueueDelayUs, integer({ min: 0 })),
    lockTimeoutMs: fields.withDefault(Input.lockTimeoutS, integer({ min: 0, max: 86_400 })) * 1000,
  };
}

function readGate(fields: FieldReader): GateConfig {
  return {
    alpha: fields.withDefault(Input.alpha, alphaFraction),
    minEffect: fields.withDefault(Input.minEffect, minEffectFraction),
    failOn: fields.withDefault(Input.failOn, oneOf(FAIL_ON_VALUES)),
    shouldConfirm: fields.withDefault(Input.confirm, boolean),
  };
}

/** Git ref rules (git check-ref-format) that a branch name typed into YAML can plausibly break. */
const branchName: Parser<string> = (value) => {
  const expected = "a git branch name (e.g. 'triton-throughput-data')";
  const isValid = /^[A-Za-z0-9._/-]+$/.test(value) && !/^[-./]|[/.]$|\.\.|\/\/|\/\.|\.lock$/.test(value);
  return isValid ? ok(value) : fail({ expected });
};

function readStore(fields: FieldReader): StoreConfig {
  return {
    kind: fields.withDefault(Input.baselineStore, oneOf(BASELINE_STORE_KINDS)),
    branch: fields.withDefault(Input.baselineBranch, branchName),
    path: fields.optional(Input.baselinePath, text('a directory path')),
    save: fields.withDefault(Input.saveBaseline, oneOf(SAVE_BASELINE_POLICIES)),
    history: fields.withDefault(Input.history, integer({ min: 1 })),
  };
}

function readReport(fields: FieldReader): ReportConfig {
  return {
    comment: fields.withDefault(Input.comment, oneOf(COMMENT_MODES)),
    trendIssue: fields.optional(Input.trendIssue, integer({ min: 1, expected: 'a positive issue number' })),
    outPath: fields.optional(Input.out, text('a file path')),
  };
}

/** Keys name directories of the data branch (docs/baseline-store.md), so they must be path-safe. */
const BENCHMARK_KEY_EXPECTED =
  "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters";
const benchmarkKey: Parser<string> = (value) =>
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value) ? ok(value) : fail({ expected: BENCHMARK_KEY_EXPECTED });

function readBenchmarkKey(fields: FieldReader, model: string): string {
  if (fields.given(Input.benchmarkKey) !== undefined || model === '') {
    return fields.optional(Input.benchmarkKey, benchmarkKey) ?? model;
  }
  const parsed = benchmarkKey(model);
  if (parsed.ok) return parsed.value;
  const hint = 'benchmark-key defaults to the model name; set benchmark-key explicitly';
  fields.report({ input: Input.benchmarkKey, value: model, expected: parsed.expected, hint });
  return model;
}

/** Freezes `value` and everything reachable from it; returns it for chaining. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
