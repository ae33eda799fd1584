/**
 * The one typed, frozen configuration (docs/architecture.md#config), built once by `parseConfig`
 * and passed down; nothing below `config/` reads inputs again. Its types are inferred from the
 * declarations (inputs.ts) and the placements (parse-config.ts); this file names the parts.
 */
import { INPUT_SPECS, type InputValue } from './inputs.js';
import type { Config } from './parse-config.js';

export type { Config } from './parse-config.js';
export type { InputDataMode, InputDataSource, InputOverride, ShapeOption } from './values.js';

/** Where and how to reach Triton. */
export type ServerConfig = Config['server'];
/** The max_batch × users matrix and how each cell is measured (docs/architecture.md#measurement). */
export type MatrixConfig = Config['matrix'];
/** ModelController settings (control/). */
export type ControlConfig = Config['control'];
/** Comparison and gating (docs/statistics.md). */
export type GateConfig = Config['gate'];
/** The latency gate: a cell fails when its percentile rose significantly by more than `minEffect`. */
export type LatencyGateConfig = NonNullable<GateConfig['latency']>;
/** What the report answers beyond the comparison (docs/answers.md). */
export type AnswersConfig = Config['answers'];
/** Baseline storage (docs/baseline-store.md). */
export type StoreConfig = Config['store'];
/** Reports and sinks (docs/architecture.md#comparison-store-and-reports). */
export type ReportConfig = Config['report'];
/** The base side of a paired run and its rounds (docs/statistics.md, "Paired mode"). */
export type PairedConfig = Config['paired'];
/** Where the base side of a paired run is served. */
export type BaseSideConfig = NonNullable<PairedConfig['base']>;
/** The model directory a run loads as its base side (docs/paired.md, "Zero-config base"). */
export type BaseFromRepository = NonNullable<BaseSideConfig['fromRepository']>;

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
/** Which significant drops fail the check (docs/statistics.md, "Verdict words and the gate policy"). */
export type GatePolicy = InputValue<'gate-policy'>;
/** What the gate compares: data items per second, or a decoupled model's responses per second. */
export type GateMetric = InputValue<'gate-metric'>;
/** A latency percentile the latency gate can watch (`latency-gate` other than `off`). */
export type LatencyPercentile = Exclude<InputValue<'latency-gate'>, 'off'>;
/** When the sticky PR comment is written. */
export type CommentMode = InputValue<'comment'>;
/** Whether the report carries the study's conclusions. */
export type ConclusionsMode = InputValue<'conclusions'>;
/** Clients that can send the inference load: ours over HTTP/2, or @grpc/grpc-js. */
export type TransportKind = InputValue<'transport'>;
