/**
 * `parseConfig`: raw strings in, one validated, deeply frozen `Config` out (docs/architecture.md#config).
 * Every input is parsed by its declaration (inputs.ts); the values are then placed into `Config`,
 * whose types are inferred from these placements (config.ts names its parts), and the rules
 * spanning several inputs run (cross-field-issues.ts). Pure: no I/O, no environment, no clock.
 * Every issue is collected first and thrown as one `ConfigError`.
 */
import { ConfigError } from './config-error.js';
import { crossFieldIssues } from './cross-field-issues.js';
import { Input, type RawInputs } from './inputs.js';
import { type Fields, parseFields } from './parse-fields.js';

/** Triton's default metrics port (`--metrics-port`), the default `metrics-url`'s port. */
export const DEFAULT_METRICS_PORT = 8002;
/** The suffix of the model the run loads itself from `model-repository` (docs/paired.md). */
export const BASE_MODEL_SUFFIX = '__base';

type Frozen<T> = T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;
/** Everything a run needs, validated and frozen; each leaf's type is its input's (inputs.ts). */
export type Config = Frozen<ReturnType<typeof placeValues>>;

/**
 * Builds the `Config` from raw inputs: defaults for what is not given (`''` counts as not
 * given), strict parsing of what is, then the rules spanning several inputs.
 *
 * @throws ConfigError listing every issue found, secrets masked.
 * @returns a deeply frozen `Config`; users are ascending, max-batch keeps the given order.
 */
export function parseConfig(raw: RawInputs): Config {
  const fields = parseFields(raw);
  const config = placeValues(fields);
  fields.issues.push(...crossFieldIssues(fields, config.paired.base));
  if (fields.issues.length > 0) throw new ConfigError(fields.issues);
  return deepFreeze(config);
}

function placeValues(fields: Fields) {
  const model = fields.get(Input.model) ?? '';
  const server = readServer(fields);
  const capacity = fields.must(Input.capacity);
  const budgetMs = fields.get(Input.latencyBudgetMs);
  const latencyGate = fields.must(Input.latencyGate);
  return {
    server,
    matrix: {
      model,
      /** Empty string: let the server pick the version. */
      modelVersion: String(fields.get(Input.modelVersion) ?? ''),
      /** Rows, in the order given; `0` means "no batching". */
      maxBatch: fields.must(Input.maxBatch),
      /** Columns: closed-loop users, ascending. */
      users: [...fields.must(Input.users)].sort((a, b) => a - b),
      requests: fields.must(Input.requests),
      /** Steady-window seconds of time-based trials; `undefined`: trials sized by `requests`. */
      trialSeconds: fields.get(Input.trialSeconds),
      itemsPerRequest: fields.must(Input.itemsPerRequest),
      trials: fields.must(Input.trials),
      /** `undefined` means `max(32, 2 × users)`. */
      warmupRequests: fields.get(Input.warmupRequests),
      inputs: fields.get(Input.inputs) ?? [],
      inputData: fields.must(Input.inputData),
      /** `shape`: dims of inputs with variable dims (perf_analyzer `--shape`), without the batch dimension. */
      shapes: fields.get(Input.shape) ?? [],
      /** Characters of each random BYTES element (perf_analyzer `--string-length`). */
      stringLength: fields.must(Input.stringLength),
      /** `undefined`: 20, or with an input-data file each data stream's step count. */
      sequenceLength: fields.get(Input.sequenceLength),
      /** Percent; `undefined`: 20, or 0 with an input-data file and no sequence-length. */
      sequenceLengthVariation: fields.get(Input.sequenceLengthVariation),
      seed: fields.must(Input.seed),
      maxCv: fields.must(Input.maxCv),
      maxReruns: fields.must(Input.maxReruns),
      rowRounds: fields.must(Input.rowRounds),
      /** `{index: 1, count: 1}` is all rows. */
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
      /** What the verdicts compare: dps, or responses/s of a decoupled model (docs/statistics.md §13). */
      metric: fields.must(Input.gateMetric),
      /** The opt-in latency gate (docs/statistics.md, "Latency gate"); `undefined` when off. */
      latency:
        latencyGate === 'off' ? undefined : { percentile: latencyGate, minEffect: fields.must(Input.latencyMinEffect) },
    },
    answers: {
      latencyBudget:
        budgetMs === undefined ? undefined : { ms: budgetMs, percentile: fields.must(Input.latencyBudgetPercentile) },
      conclusions: fields.must(Input.conclusions),
    },
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
    paired: {
      base: readBase(fields, model, server),
      minRounds: fields.must(Input.minRounds),
      maxRounds: fields.must(Input.maxRounds),
    },
    /** Defaults to the model name. */
    benchmarkKey: fields.get(Input.benchmarkKey) ?? model,
    /** `undefined`: see runner-label.ts. */
    runnerLabel: fields.get(Input.runnerLabel),
  };
}

function readServer(fields: Fields) {
  const { address, isTls } = fields.must(Input.serverUrl);
  // Triton's metrics listen on the gRPC host's port 8002 by default (docs/metrics.md).
  const defaultMetrics = `http://${address.slice(0, address.lastIndexOf(':'))}:${DEFAULT_METRICS_PORT}/metrics`;
  return {
    address,
    isTls,
    /** gRPC metadata sent with every call; values are secrets, never logged. */
    headers: fields.get(Input.serverHeaders) ?? {},
    requestTimeoutMs: fields.must(Input.requestTimeoutMs),
    transport: fields.must(Input.transport),
    /** null when `metrics-url` is `none`. */
    metricsUrl: fields.given(Input.metricsUrl) === undefined ? defaultMetrics : (fields.get(Input.metricsUrl) ?? null),
    loadTimeoutMs: fields.must(Input.loadTimeoutS) * 1000,
  };
}

/**
 * The base side of a paired run (docs/paired.md), `undefined` in stored mode: `baseline-model` on
 * `baseline-server-url` (default: the head's server, whose headers and timeouts a second server
 * shares); `baseline-server-url` alone serves the head's model name there; `model-repository`
 * alone loads `<model>__base` itself from the checkout at `baseline-ref` (`undefined`: the PR's
 * merge-base, resolved at the edge).
 */
function readBase(fields: Fields, model: string, head: ReturnType<typeof readServer>) {
  const baseModel = fields.get(Input.baselineModel);
  const baseServer = fields.get(Input.baselineServerUrl);
  const path = fields.get(Input.modelRepository);
  if (baseModel !== undefined || baseServer !== undefined) {
    return { model: baseModel ?? model, server: baseServer === undefined ? head : { ...head, ...baseServer } };
  }
  if (path === undefined) return undefined;
  const fromRepository = { path, ref: fields.get(Input.baselineRef) };
  return { model: `${model}${BASE_MODEL_SUFFIX}`, server: head, fromRepository };
}

/** Freezes `value` and everything reachable from it; returns it for chaining. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
