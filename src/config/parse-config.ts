/**
 * `parseConfig`: raw strings in, one validated, deeply frozen `Config` out (docs/architecture.md#config).
 * Every input is parsed by its declaration (inputs.ts); the values are then placed into `Config`
 * and the rules spanning several inputs run (cross-field-issues.ts). Pure: no I/O, no environment,
 * no clock. Every issue is collected first and thrown as one `ConfigError`.
 */
import type { AnswersConfig, Config, LatencyGateConfig, PairedConfig, ServerConfig } from './config.js';
import { ConfigError } from './config-error.js';
import { crossFieldIssues } from './cross-field-issues.js';
import { Input, type RawInputs } from './inputs.js';
import { type Fields, parseFields } from './parse-fields.js';

/** Triton's default metrics port (`--metrics-port`), the default `metrics-url`'s port. */
export const DEFAULT_METRICS_PORT = 8002;
/** The suffix of the model the run loads itself from `model-repository` (docs/paired.md). */
export const BASE_MODEL_SUFFIX = '__base';

/**
 * Builds the `Config` from raw inputs: defaults for what is not given (`''` counts as not
 * given), strict parsing of what is, then the rules spanning several inputs.
 *
 * @throws ConfigError listing every issue found, secrets masked.
 * @returns a deeply frozen `Config`; users are ascending, max-batch keeps the given order.
 */
export function parseConfig(raw: RawInputs): Config {
  const fields = parseFields(raw);
  const model = fields.get(Input.model) ?? '';
  const server = readServer(fields);
  const capacity = fields.must(Input.capacity);
  const config: Config = {
    server,
    matrix: {
      model,
      modelVersion: String(fields.get(Input.modelVersion) ?? ''),
      maxBatch: fields.must(Input.maxBatch),
      users: [...fields.must(Input.users)].sort((a, b) => a - b),
      requests: fields.must(Input.requests),
      trialSeconds: fields.get(Input.trialSeconds),
      itemsPerRequest: fields.must(Input.itemsPerRequest),
      trials: fields.must(Input.trials),
      warmupRequests: fields.get(Input.warmupRequests),
      inputs: fields.get(Input.inputs) ?? [],
      inputData: fields.must(Input.inputData),
      seed: fields.must(Input.seed),
      maxCv: fields.must(Input.maxCv),
      maxReruns: fields.must(Input.maxReruns),
      rowRounds: fields.must(Input.rowRounds),
      shard: fields.must(Input.shard),
      shouldProbeCapacity: capacity !== 'off',
      shouldSearchCapacity: capacity === 'search',
    },
    control: {
      strategy: fields.must(Input.batchStrategy),
      modelTemplate: fields.get(Input.modelTemplate),
      command: fields.get(Input.batchCommand),
      maxQueueDelayUs: fields.get(Input.maxQueueDelayUs),
      lockTimeoutMs: fields.must(Input.lockTimeoutS) * 1000,
    },
    gate: {
      alpha: fields.must(Input.alpha),
      minEffect: fields.must(Input.minEffect),
      failOn: fields.must(Input.failOn),
      shouldConfirm: fields.must(Input.confirm),
      policy: fields.must(Input.gatePolicy),
      latency: readLatencyGate(fields),
    },
    answers: readAnswers(fields),
    store: {
      kind: fields.must(Input.baselineStore),
      branch: fields.must(Input.baselineBranch),
      path: fields.get(Input.baselinePath),
      save: fields.must(Input.saveBaseline),
      history: fields.must(Input.history),
    },
    report: {
      comment: fields.must(Input.comment),
      trendIssue: fields.get(Input.trendIssue),
      outPath: fields.get(Input.out),
    },
    paired: readPaired(fields, model, server),
    benchmarkKey: fields.get(Input.benchmarkKey) ?? model,
    runnerLabel: fields.get(Input.runnerLabel),
  };
  fields.issues.push(...crossFieldIssues(config, fields));
  if (fields.issues.length > 0) throw new ConfigError(fields.issues);
  return deepFreeze(config);
}

function readAnswers(fields: Fields): AnswersConfig {
  const budgetMs = fields.get(Input.latencyBudgetMs);
  return {
    latencyBudget:
      budgetMs === undefined ? undefined : { ms: budgetMs, percentile: fields.must(Input.latencyBudgetPercentile) },
    conclusions: fields.must(Input.conclusions),
  };
}

function readLatencyGate(fields: Fields): LatencyGateConfig | undefined {
  const percentile = fields.must(Input.latencyGate);
  return percentile === 'off' ? undefined : { percentile, minEffect: fields.must(Input.latencyMinEffect) };
}

function readServer(fields: Fields): ServerConfig {
  const target = fields.must(Input.serverUrl);
  // Triton's metrics listen on the gRPC host's port 8002 by default (docs/metrics.md).
  const defaultMetrics = `http://${target.address.slice(0, target.address.lastIndexOf(':'))}:${DEFAULT_METRICS_PORT}/metrics`;
  return {
    address: target.address,
    isTls: target.isTls,
    headers: fields.get(Input.serverHeaders) ?? {},
    requestTimeoutMs: fields.must(Input.requestTimeoutMs),
    transport: fields.must(Input.transport),
    metricsUrl: fields.given(Input.metricsUrl) === undefined ? defaultMetrics : (fields.get(Input.metricsUrl) ?? null),
    loadTimeoutMs: fields.must(Input.loadTimeoutS) * 1000,
  };
}

/**
 * The base side (docs/paired.md): `baseline-model` on `baseline-server-url` (default: the head's
 * server, whose headers and timeouts a second server shares); `baseline-server-url` alone serves
 * the head's model name there; `model-repository` alone loads `<model>__base` itself.
 */
function readPaired(fields: Fields, model: string, head: ServerConfig): PairedConfig {
  const baseModel = fields.get(Input.baselineModel);
  const baseServer = fields.get(Input.baselineServerUrl);
  const rounds = { minRounds: fields.must(Input.minRounds), maxRounds: fields.must(Input.maxRounds) };
  const path = fields.get(Input.modelRepository);
  if (baseModel !== undefined || baseServer !== undefined) {
    const server = baseServer === undefined ? head : { ...head, ...baseServer };
    return { base: { model: baseModel ?? model, server }, ...rounds };
  }
  if (path === undefined) return { base: undefined, ...rounds };
  const fromRepository = { path, ref: fields.get(Input.baselineRef) };
  return { base: { model: `${model}${BASE_MODEL_SUFFIX}`, server: head, fromRepository }, ...rounds };
}

/** Freezes `value` and everything reachable from it; returns it for chaining. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
