/**
 * Reads a model's config before measuring and decides how it is measured (docs/models.md):
 * a decoupled model answers only on ModelStreamInfer, a sequence model needs correlation IDs
 * and START/END flags, a model served with `max_batch_size: 0` has no max_batch to change.
 * Pure: the caller reads the config and acts on the decision.
 */
import type { GateMetric, MatrixConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { DEFAULT_SEQUENCE_LENGTH, DEFAULT_SEQUENCE_VARIATION_PCT, sequenceIdKindOf } from '../load/sequence-plan.js';
import type { Method, ModelKind, RunResult, SequenceMethod } from '../model/run-result.js';

/** How a model is measured, and why. */
export interface ModelKindDecision {
  readonly kind: ModelKind;
  /** `ModelStreamInfer` for decoupled models (Triton refuses ModelInfer for them), else `ModelInfer`. */
  readonly protocol: NonNullable<Method['protocol']>;
  /** Sequence models: how requests are grouped into sequences (perf_analyzer's defaults). */
  readonly sequence?: SequenceMethod;
  /** One sentence for the report's header: what in the config decided it. */
  readonly reason: string;
}

/** The inputs that shape sequences: `sequence-length`, `sequence-length-variation`, and whether `input-data` is a file. */
export type SequenceInputs = Pick<MatrixConfig, 'sequenceLength' | 'sequenceLengthVariation' | 'inputData'>;

/** The kind of model `config` describes and how to measure it (sequences as `inputs` ask; perf_analyzer's defaults without). */
export function decideModelKind(config: ModelConfig, inputs?: SequenceInputs): ModelKindDecision {
  const sequence = sequenceMethodOf(config, inputs);
  if (config.modelTransactionPolicy?.decoupled === true) {
    const also = sequence === undefined ? '' : `, in sequences (${describeSequences(sequence)})`;
    return {
      kind: 'decoupled',
      protocol: 'ModelStreamInfer',
      ...(sequence === undefined ? {} : { sequence }),
      reason:
        'decoupled (model_transaction_policy.decoupled: true): measured over ModelStreamInfer' +
        `${also}; a request ends at its final response, responses/s counts every response`,
    };
  }
  if (sequence !== undefined) {
    return {
      kind: 'sequence',
      protocol: 'ModelInfer',
      sequence,
      reason:
        `sequence model (sequence_batching): users run concurrent sequences (${describeSequences(sequence)}) ` +
        'with START/END flags over ModelInfer',
    };
  }
  const noDynamic =
    config.schedulingChoice.case === 'dynamicBatching'
      ? ''
      : '; it has no dynamic_batching, so Triton never batches requests together and max_batch cannot change throughput';
  if (config.platform === 'ensemble') {
    return {
      kind: 'ensemble',
      protocol: 'ModelInfer',
      reason: `ensemble (platform: ensemble, max_batch_size ${config.maxBatchSize}): its steps run as they are served${noDynamic}`,
    };
  }
  if (config.maxBatchSize === 0) {
    return {
      kind: 'non-batching',
      protocol: 'ModelInfer',
      reason: 'non-batching (max_batch_size: 0): requests carry no batch dimension; measured over ModelInfer',
    };
  }
  return {
    kind: 'batching',
    protocol: 'ModelInfer',
    reason: `one-shot batching model (max_batch_size ${config.maxBatchSize}): measured over ModelInfer${noDynamic}`,
  };
}

/** The Method fields of the kind decision; unary one-shot runs keep `protocol` absent, as before. */
export function methodOfKind(decision: ModelKindDecision): Pick<Method, 'protocol' | 'sequence' | 'modelKind'> {
  return {
    ...(decision.protocol === 'ModelInfer' ? {} : { protocol: decision.protocol }),
    ...(decision.sequence === undefined ? {} : { sequence: decision.sequence }),
    modelKind: { kind: decision.kind, reason: decision.reason },
  };
}

/** How a decision measures: `ModelInfer`, `ModelStreamInfer`, either `in sequences`. */
function measuredAs(decision: ModelKindDecision): string {
  return `${decision.protocol}${decision.sequence === undefined ? '' : ' in sequences'}`;
}

/**
 * A paired run measures both sides the same way (docs/paired.md#model-kinds): a base and head
 * measured differently (e.g. the change made the model decoupled) would compare a streamed
 * request with a one-shot one, so such a run is refused before any trial (exit 2).
 *
 * @throws ConfigError naming `baseline-model` when head and base are measured differently.
 */
export function refuseMixedKinds(
  head: { readonly model: string; readonly kind: ModelKindDecision },
  base: { readonly model: string; readonly kind: ModelKindDecision },
): void {
  if (measuredAs(head.kind) === measuredAs(base.kind)) return;
  const side = (name: string, of: { readonly model: string; readonly kind: ModelKindDecision }): string =>
    `${name} '${of.model}' is ${of.kind.kind} (${measuredAs(of.kind)})`;
  throw new ConfigError([
    {
      input: Input.baselineModel,
      value: base.model,
      expected:
        `a base model measured like the head: ${side('head', head)}, ${side('base', base)}, ` +
        'and paired rounds compare only models measured the same way',
      hint:
        'if the change under test made the model a different kind, compare it with stored baselines ' +
        '(leave baseline-model, baseline-server-url and model-repository empty) once a baseline of the new kind is stored',
    },
  ]);
}

/**
 * `gate-metric: responses` compares responses/s, which only a decoupled model has: refused
 * (exit 2) for any other once its kind is known, before any change to the server.
 *
 * @throws ConfigError naming `gate-metric` when `metric` is `responses` and the model is not decoupled.
 */
export function refuseResponsesMetric(metric: GateMetric, model: string, kind: ModelKindDecision): void {
  if (metric !== 'responses' || kind.protocol === 'ModelStreamInfer') return;
  throw responsesMetricError(model, kind.kind);
}

/**
 * Triton's sequence batcher refuses a request of more than one item ("must specify batch-size
 * 1 due to requirements of sequence batcher"), as perf_analyzer refuses `-b` above 1 for
 * sequence models: refused (exit 2) once the kind is known, before any change to the server,
 * rather than reported as a row whose first request failed.
 *
 * @throws ConfigError naming `items-per-request` when it is above 1 for a model measured in sequences.
 */
export function refuseBatchedSequences(itemsPerRequest: number, model: string, kind: ModelKindDecision): void {
  if (itemsPerRequest <= 1 || kind.sequence === undefined) return;
  throw new ConfigError([
    {
      input: Input.itemsPerRequest,
      value: String(itemsPerRequest),
      expected: `1 for model '${model}', a sequence model: Triton's sequence batcher takes one item per request`,
      hint: 'leave items-per-request at 1; users sets how many sequences run at once',
    },
  ]);
}

/**
 * The same check on a finished run (`compare`, a merged run): it must have been measured on
 * ModelStreamInfer.
 *
 * @throws ConfigError naming `gate-metric` when the run has no responses/s to compare.
 */
export function refuseResponsesMetricFor(run: RunResult): void {
  if (run.method.protocol === 'ModelStreamInfer') return;
  throw responsesMetricError(run.environment.model, run.method.modelKind?.kind ?? 'not decoupled');
}

function responsesMetricError(model: string, kind: string): ConfigError {
  return new ConfigError([
    {
      input: Input.gateMetric,
      value: 'responses',
      expected: `dps for model '${model}', which is ${kind}: only a decoupled model sends responses to count`,
      hint: 'leave gate-metric at dps',
    },
  ]);
}

/**
 * The sequence settings and the ID kind the CORRID control asks for; undefined without
 * sequence_batching. perf_analyzer's rules: 20 ± 20 %; with an `input-data` file and no
 * `sequence-length`, each sequence is as long as its data stream, with no variation.
 */
function sequenceMethodOf(config: ModelConfig, inputs: SequenceInputs | undefined): SequenceMethod | undefined {
  const idKind = sequenceIdKindOf(config);
  if (idKind === undefined) return undefined;
  const isLengthFromData =
    inputs !== undefined && typeof inputs.inputData !== 'string' && inputs.sequenceLength === undefined;
  return {
    length: inputs?.sequenceLength ?? DEFAULT_SEQUENCE_LENGTH,
    variationPct: inputs?.sequenceLengthVariation ?? (isLengthFromData ? 0 : DEFAULT_SEQUENCE_VARIATION_PCT),
    idKind,
    ...(isLengthFromData ? { isLengthFromData } : {}),
  };
}

function describeSequences(sequence: SequenceMethod): string {
  const ids = sequence.idKind === 'string' ? 'string' : 'integer';
  const length =
    sequence.isLengthFromData === true
      ? "each as long as its input-data stream's steps"
      : `${sequence.length} ± ${sequence.variationPct} % requests each`;
  return `${length}, ${ids} correlation IDs`;
}

/**
 * Why `sequence-length` or `sequence-length-variation` cannot apply to a model measured as
 * `decision` (it has no sequences); undefined when they apply or were not given.
 */
export function unusedSequenceInputsNote(decision: ModelKindDecision, inputs: SequenceInputs): string | undefined {
  if (decision.sequence !== undefined) return undefined;
  const given = [
    ...(inputs.sequenceLength === undefined ? [] : ['sequence-length']),
    ...(inputs.sequenceLengthVariation === undefined ? [] : ['sequence-length-variation']),
  ];
  if (given.length === 0) return undefined;
  return `${given.join(' and ')} ignored: the model is ${decision.kind}, not a sequence model (no sequence_batching)`;
}

/**
 * The rows of `maxBatch` that cannot be measured on a model served with `max_batch_size: 0`:
 * every row above 0 would run a config the model is never served with (issue 19), whichever
 * strategy would put it there. Undefined when every row keeps its meaning.
 */
export function nonBatchingRowsProblem(
  config: ModelConfig,
  maxBatch: readonly number[],
): { readonly rows: number[] } | undefined {
  if (config.maxBatchSize !== 0) return undefined;
  const rows = maxBatch.filter((row) => row > 0);
  return rows.length === 0 ? undefined : { rows };
}
