/**
 * Sequences for stateful models (docs/architecture.md#measurement; Triton's sequence batcher):
 * how long each sequence is, which correlation IDs it gets, and which flags each request
 * carries. Each user runs one sequence at a time, so `users` is the number of concurrent
 * sequences, as perf_analyzer's concurrency is for sequence models. Pure: lengths come from a
 * seeded Rng, IDs from a counter the caller threads through the run.
 */
import { DataType, ModelSequenceBatching_Control_Kind, type ModelConfig } from '../gen/model_config_pb.js';
import type { Rng } from '../rng.js';
import type { SequenceFlags } from './request-tail.js';

/** perf_analyzer's `--sequence-length` default. */
export const DEFAULT_SEQUENCE_LENGTH = 20;
/** perf_analyzer's `--sequence-length-variation` default, percent. */
export const DEFAULT_SEQUENCE_VARIATION_PCT = 20;

/** How correlation IDs are sent: `int64_param` or `string_param` (Triton's sequence extension). */
export type SequenceIdKind = 'int64' | 'string';

/** What a sequence loop needs to plan its sequences. */
export interface SequencePlan {
  /** Requests per sequence before variation, >= 1. */
  readonly length: number;
  /** Each length is `length` ± up to this percentage (uniform), at least 1; >= 0. */
  readonly variationPct: number;
  readonly idKind: SequenceIdKind;
  /** Hands out correlation IDs; shared by every loop of a run so IDs never repeat on a model. */
  readonly ids: SequenceIds;
  /** Draws the lengths (and the data stream of each sequence). */
  readonly rng: Rng;
  /**
   * Step counts of an `input-data` file's data streams, laid out one after another in the loop's
   * steps; each sequence takes one, drawn at random as perf_analyzer does (its data_loader), and
   * replays its steps in order. Absent: one stream of all the steps.
   */
  readonly dataStreams?: readonly number[];
  /** With `dataStreams`: a sequence is as long as its data stream (`length` and `variationPct` unused). */
  readonly isLengthFromData?: boolean;
}

/** A source of unique correlation IDs. */
export interface SequenceIds {
  /** The next ID: 1, 2, 3, ... from `first` (as a number, or its decimal string prefixed for string IDs). */
  next(kind: SequenceIdKind): number | string;
}

/** Prefix of string correlation IDs, so they never look like a number someone else used. */
const STRING_ID_PREFIX = 'ttg-';

/** IDs `first`, `first + 1`, ...; `first` >= 1 (0 and '' mean "no sequence" to Triton). */
export function createSequenceIds(first = 1): SequenceIds {
  let next = first;
  return {
    next(kind) {
      const id = next++;
      return kind === 'string' ? `${STRING_ID_PREFIX}${id}` : id;
    },
  };
}

/**
 * The length of one sequence: perf_analyzer's rule (its sequence_manager.cc), the base plus a
 * uniform offset of up to ±`variationPct` % of it, truncated toward zero, at least 1.
 */
export function drawSequenceLength(rng: Rng, length: number, variationPct: number): number {
  const offset = Math.trunc((2 * rng.next() - 1) * (variationPct / 100) * length);
  return Math.max(1, length + offset);
}

/**
 * The correlation ID kind a model needs: `string` when its CORRID control is TYPE_STRING,
 * else `int64` (what perf_analyzer always sends); undefined for a model without
 * `sequence_batching`.
 */
export function sequenceIdKindOf(config: ModelConfig): SequenceIdKind | undefined {
  if (config.schedulingChoice.case !== 'sequenceBatching') return undefined;
  for (const input of config.schedulingChoice.value.controlInput) {
    for (const control of input.control) {
      if (control.kind === ModelSequenceBatching_Control_Kind.CONTROL_SEQUENCE_CORRID) {
        return control.dataType === DataType.TYPE_STRING ? 'string' : 'int64';
      }
    }
  }
  return 'int64';
}

/**
 * One user's run of sequences. `next` gives the flags of the user's next request; the request
 * a user sends last (its quota spent, or the trial's window closed) always ends its sequence,
 * so no sequence is left open on the server for its idle timeout to reap.
 */
export interface SequenceCursor {
  /** Flags of the next request (the same object each call, updated); `isLast`: the user sends nothing after it. */
  next(isLast: boolean): SequenceFlags;
  /** 0-based position of the request `next` last returned within its sequence. */
  readonly position: number;
  /** Index of that request's data step: its stream's first step plus the position (modulo the stream's length). */
  readonly step: number;
}

/** A cursor for one user; sequences start on the user's first request. */
export function createSequenceCursor(plan: SequencePlan): SequenceCursor {
  const flags = { sequenceId: 0 as number | string, isStart: false, isEnd: true };
  const streams = plan.dataStreams ?? [];
  const offsets = streams.map((_, i) => streams.slice(0, i).reduce((a, b) => a + b, 0));
  let position = -1;
  let length = 0;
  let stream = 0;
  return {
    next(isLast) {
      if (flags.isEnd) {
        flags.sequenceId = plan.ids.next(plan.idKind);
        if (streams.length > 1) stream = Math.floor(plan.rng.next() * streams.length);
        length =
          plan.isLengthFromData === true && streams.length > 0
            ? (streams[stream] ?? 1)
            : drawSequenceLength(plan.rng, plan.length, plan.variationPct);
        position = 0;
      } else {
        position++;
      }
      flags.isStart = position === 0;
      flags.isEnd = isLast || position === length - 1;
      return flags;
    },
    get position() {
      return position;
    },
    get step() {
      const steps = streams[stream];
      return steps === undefined ? position : (offsets[stream] ?? 0) + (position % steps);
    },
  };
}
