/**
 * The one typed, frozen configuration (docs/architecture.md#config). Built once by `parseConfig` from raw inputs
 * (action inputs, CLI flags or a YAML file) and passed down; nothing below `config/` reads
 * inputs again.
 */

import type { LatencyBudget } from '../model/recommendation.js';
import { INPUT_SPECS, type InputValue } from './inputs.js';

export type { InputDataMode, InputOverride } from './values.js';
import type { InputDataMode, InputOverride } from './values.js';

/** How the server is put at a given max_batch for each row (`batch-strategy`). */
export type BatchStrategy = InputValue<'batch-strategy'>;
/** Every strategy, in declaration order. */
export const BATCH_STRATEGIES: readonly BatchStrategy[] = INPUT_SPECS['batch-strategy'].value.values;
/** Where baselines live. */
export type BaselineStoreKind = InputValue<'baseline-store'>;
/** When a run is saved as a baseline; PR runs and failed or partial runs never are. */
export type SaveBaselinePolicy = InputValue<'save-baseline'>;
/** What fails the check. */
export type FailOn = InputValue<'fail-on'>;
/**
 * Which significant drops fail the check (docs/statistics.md, "Verdict words and the gate
 * policy"); `auto` is `not-ruled-out` in paired mode and `estimate` in stored mode.
 */
export type GatePolicy = InputValue<'gate-policy'>;
/** A latency percentile the latency gate can watch (`latency-gate` other than `off`). */
export type LatencyPercentile = Exclude<InputValue<'latency-gate'>, 'off'>;
/** When the sticky PR comment is written. */
export type CommentMode = InputValue<'comment'>;
/** Whether the report carries the study's conclusions (`conclusions`: auto, always, never). */
export type ConclusionsMode = InputValue<'conclusions'>;
/** Clients that can send the inference load: ours over HTTP/2, or @grpc/grpc-js. */
export type TransportKind = InputValue<'transport'>;

/** Where and how to reach Triton. */
export interface ServerConfig {
  /** `host:port` without scheme, as given to grpc-js. */
  readonly address: string;
  /** True when the URL used `grpcs://`. */
  readonly isTls: boolean;
  /** Extra gRPC metadata sent with every call (auth headers). Values are secrets: never logged. */
  readonly headers: Readonly<Record<string, string>>;
  /** Deadline of one inference request. */
  readonly requestTimeoutMs: number;
  /** Client that sends the inference load (`transport` input). */
  readonly transport: TransportKind;
  /** Triton's Prometheus metrics URL, sampled per cell; null when `metrics-url` is `none`. */
  readonly metricsUrl: string | null;
  /** Deadline for a model to become ready after a load or a `command`. */
  readonly loadTimeoutMs: number;
}

/** The max_batch × users matrix and how each cell is measured (docs/architecture.md#measurement). */
export interface MatrixConfig {
  readonly model: string;
  /** Empty string: let the server pick the version. */
  readonly modelVersion: string;
  /** Rows, in the order given; `0` means "no batching". Unique values. */
  readonly maxBatch: readonly number[];
  /** Columns: users (closed-loop senders), ascending, unique, each >= 1. */
  readonly users: readonly number[];
  /** Requests per trial, split as evenly as possible over the users. */
  readonly requests: number;
  /** Time-based trials: steady-window length in seconds; `undefined`: trials sized by `requests`. */
  readonly trialSeconds: number | undefined;
  /** Batch dimension carried by each request (1 when max_batch 0 is in the matrix). */
  readonly itemsPerRequest: number;
  /** Trials per cell. */
  readonly trials: number;
  /** Unmeasured warm-up requests per cell; `undefined` means `max(32, 2 × users)`. */
  readonly warmupRequests: number | undefined;
  /** Input overrides by name. */
  readonly inputs: readonly InputOverride[];
  /** Default data for inputs without an override. */
  readonly inputData: InputDataMode;
  /** Seed of the trial order and of random input data; stored in the RunResult. */
  readonly seed: number;
  /** A cell whose trial dps robust spread (1.4826·MAD/median, docs/statistics.md) exceeds this (0.1 = 10%) is re-run. */
  readonly maxCv: number;
  /** Extra trials a noisy cell may get before it is marked `noisy`. */
  readonly maxReruns: number;
  /**
   * `row-rounds`: 1 measures the rows one after another; N > 1 spreads each cell's trials over N
   * rounds that visit every row in turn (matrix/run-row-rounds.ts). At most `trials`.
   */
  readonly rowRounds: number;
  /** `capacity` probe or search: probe each row with full batches (matrix/capacity-probe.ts). */
  readonly shouldProbeCapacity: boolean;
  /** `capacity` search: double max_batch past the list until a load or an inference fails. */
  readonly shouldSearchCapacity: boolean;
  /** Shard of the rows this job runs (docs/architecture.md#comparison-store-and-reports); `{index: 1, count: 1}` is all rows. */
  readonly shard: { readonly index: number; readonly count: number };
}

/** ModelController settings (control/). */
export interface ControlConfig {
  readonly strategy: BatchStrategy;
  /** `models` strategy: model name template containing `{max_batch}`. */
  readonly modelTemplate: string | undefined;
  /** `command` strategy: shell command run with `MAX_BATCH` in its environment. */
  readonly command: string | undefined;
  /** `reload` strategy: overrides `dynamic_batching.max_queue_delay_microseconds` if set. */
  readonly maxQueueDelayUs: number | undefined;
  /** How long to wait for another run's lease on the model before failing; 0 fails at once (docs/reliability.md#lease). */
  readonly lockTimeoutMs: number;
}

/** Comparison and gating (docs/statistics.md). */
export interface GateConfig {
  /** False-discovery level across all cells (Benjamini-Hochberg). */
  readonly alpha: number;
  /** Smallest relative drop that can be a regression (0.05 = 5%). */
  readonly minEffect: number;
  readonly failOn: FailOn;
  /** Re-measure regressed cells once before failing. */
  readonly shouldConfirm: boolean;
  /** Which significant drops count as regressions (`gate-policy`). */
  readonly policy: GatePolicy;
  /** The opt-in latency gate (docs/statistics.md, "Latency gate"); `undefined` when off. */
  readonly latency: LatencyGateConfig | undefined;
}

/** The latency gate: a cell fails when its percentile rose significantly by more than `minEffect`. */
export interface LatencyGateConfig {
  readonly percentile: LatencyPercentile;
  /** Smallest relative rise that can be a regression (0.1 = 10% higher). */
  readonly minEffect: number;
}

/** What the report answers beyond the comparison (docs/answers.md). */
export interface AnswersConfig {
  /** `latency-budget-ms` at `latency-budget-percentile`; undefined when no budget is set. */
  readonly latencyBudget: LatencyBudget | undefined;
  readonly conclusions: ConclusionsMode;
}

/** Baseline storage (docs/baseline-store.md). */
export interface StoreConfig {
  readonly kind: BaselineStoreKind;
  /** Data branch for the `branch` store. */
  readonly branch: string;
  /** Directory for the `file` store. */
  readonly path: string | undefined;
  readonly save: SaveBaselinePolicy;
  /** Runs kept in the index for trends and noise estimates. */
  readonly history: number;
}

/** Reports and sinks (docs/architecture.md#comparison-store-and-reports). */
export interface ReportConfig {
  readonly comment: CommentMode;
  /** Issue number that keeps a sticky trend comment, if any. */
  readonly trendIssue: number | undefined;
  /** Where the CLI / Action writes the RunResult JSON, if anywhere. */
  readonly outPath: string | undefined;
}

/**
 * The base side of a paired run (docs/statistics.md, "Paired mode"): head and base measured in
 * the same job, interleaved round by round.
 */
export interface PairedConfig {
  /** Base side's model name and server; `undefined` when the run is not paired (stored mode). */
  readonly base: BaseSideConfig | undefined;
  /** Rounds every cell gets. */
  readonly minRounds: number;
  /** Rounds a cell still undecided may get at most. */
  readonly maxRounds: number;
}

/** Where the base side of a paired run is served. */
export interface BaseSideConfig {
  readonly model: string;
  readonly server: ServerConfig;
  /**
   * Set when the base is loaded by the run itself from the checkout's model repository at a
   * git commit (`model-repository`; docs/paired.md, "Zero-config base"); `model` is then
   * `<model>__base`.
   */
  readonly fromRepository?: BaseFromRepository;
}

/** The model directory the run loads as its base side. */
export interface BaseFromRepository {
  /** `model-repository` as given: a path in the checkout. */
  readonly path: string;
  /** `baseline-ref` as given; `undefined`: the PR's merge-base, resolved at the edge. */
  readonly ref: string | undefined;
}

/** Everything a run needs, validated and frozen. */
export interface Config {
  readonly server: ServerConfig;
  readonly matrix: MatrixConfig;
  readonly control: ControlConfig;
  readonly gate: GateConfig;
  readonly answers: AnswersConfig;
  readonly store: StoreConfig;
  readonly report: ReportConfig;
  readonly paired: PairedConfig;
  /** Separates several benchmarks in one repository; defaults to the model name. */
  readonly benchmarkKey: string;
  /** `runner-label`: the environment label of a runner pool; undefined: see runner-label.ts. */
  readonly runnerLabel: string | undefined;
}
