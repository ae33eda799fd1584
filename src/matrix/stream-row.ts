/**
 * The row plan of a decoupled or sequence model (docs/models.md): which transport its trials
 * use, the requests they send, and the smoke test that replaces the unary one (a decoupled
 * model refuses ModelInfer, a sequence model refuses a request without a correlation ID).
 */
import type { InferTransport } from '../load/infer-transport.js';
import { EMPTY_FINAL_OPT_IN } from '../load/request-tail.js';
import { createSequenceIds, type SequenceIds } from '../load/sequence-plan.js';
import { runStreamLoop } from '../load/stream-loop.js';
import type { StreamTransport } from '../load/stream-transport.js';
import { createUnaryStreamTransport } from '../load/unary-stream-transport.js';
import { createRng } from '../rng.js';
import type { StreamRowPlan } from './measure-cell-trial.js';
import type { ModelKindDecision } from './model-kind.js';

/** What a stream row plan is built from. */
export interface StreamRowSources {
  /** Opens (once) the run's ModelStreamInfer transport; absent: decoupled models cannot be measured. */
  readonly streamTransport?: () => StreamTransport;
  /** The run's unary transport (sequence models that are not decoupled). */
  readonly transport: InferTransport;
  readonly requestTimeoutMs: number;
  /** The run's correlation IDs (created on first use). */
  readonly ids: { sequenceIds?: SequenceIds };
}

/**
 * The plan for `decision`, or undefined for a model measured with the unary loop.
 *
 * @throws Error when a decoupled model meets deps without a stream transport (a wiring bug).
 */
export function streamRowPlanOf(
  decision: ModelKindDecision,
  streams: readonly (readonly Uint8Array[])[],
  sources: StreamRowSources,
): StreamRowPlan | undefined {
  const isStream = decision.protocol === 'ModelStreamInfer';
  if (!isStream && decision.sequence === undefined) return undefined;
  sources.ids.sequenceIds ??= createSequenceIds();
  let transport: StreamTransport;
  if (isStream) {
    if (sources.streamTransport === undefined)
      throw new Error('a decoupled model without a stream transport (a wiring bug)');
    transport = sources.streamTransport();
  } else {
    transport = createUnaryStreamTransport(sources.transport, sources.requestTimeoutMs);
  }
  return {
    transport,
    // The opt-in makes a request whose model sends nothing still end with an (empty) final response.
    steps: streams.flat().map((request) => (isStream ? Buffer.concat([request, EMPTY_FINAL_OPT_IN]) : request)),
    dataStreams: streams.map((steps) => steps.length),
    isStream,
    ...(decision.sequence === undefined ? {} : { sequence: decision.sequence }),
    ids: sources.ids.sequenceIds,
  };
}

/** Sends one request (a one-request sequence) the way the trials will: why it failed, or undefined. */
export async function smokeTestStream(
  plan: StreamRowPlan,
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
): Promise<string | undefined> {
  const sequences =
    plan.sequence === undefined
      ? undefined
      : { ...plan.sequence, length: 1, variationPct: 0, isLengthFromData: false, ids: plan.ids, rng: createRng(1) };
  const result = await runStreamLoop(
    plan.transport,
    { users: 1, requests: 1, steps: plan.steps, timeoutMs: options.timeoutMs, ...(sequences ? { sequences } : {}) },
    { signal: options.signal },
  );
  if (result.failed === 0) return undefined;
  const where = plan.isStream ? 'the first request on the stream' : 'the first request';
  return `${where} failed: ${result.firstError ?? 'no error message'}`;
}
