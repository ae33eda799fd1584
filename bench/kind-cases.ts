/**
 * The model kinds `bench:kinds` measures (docs/models.md#our-counts-against-tritons): the
 * python-backend models of the test repository (scripts/triton/model_kinds.py) that the
 * model-kinds integration tests use, one case per kind of issue 19, plus the demo model for
 * one-shot batching. sequence_sum_str is left out: it takes string correlation IDs without a
 * CORRID control that says so (Triton 2.51 cannot declare one, see its model.py), so a run sends
 * it integer IDs and the model answers every request with an error.
 */
import type { InputOverride } from '../src/config/config.js';

/** One model kind and how it is driven. */
export interface KindCase {
  readonly kind: string;
  readonly model: string;
  /** Models to load besides `model` (ensemble steps, BLS target). */
  readonly alsoLoads?: readonly string[];
  readonly users: number;
  /** Items per request: 2 where the model batches (max_batch_size > 0, no sequences), else 1. */
  readonly itemsPerRequest: number;
  /**
   * Decoupled models: data responses the model sends per request, by its definition (stream_one
   * sends 1; stream_tokens sends exactly COUNT, then an empty final). Triton's statistics count
   * requests only (no response_stats from the python backend of Triton 2.51), so the responses
   * the model sent over a window are Triton's successes there × this.
   */
  readonly responsesPerRequest?: number;
  readonly overrides?: readonly InputOverride[];
  readonly files?: ReadonlyMap<string, unknown>;
}

/** stream_tokens' COUNT: responses per request of the "several responses" case. */
const TOKENS = 5;

/** Every kind, in the order. */
export const KIND_CASES: readonly KindCase[] = [
  { kind: 'one-shot batching', model: 'demo_onnx', users: 4, itemsPerRequest: 2 },
  { kind: 'decoupled, 1 response', model: 'stream_one', users: 4, itemsPerRequest: 1, responsesPerRequest: 1 },
  {
    kind: `decoupled, ${String(TOKENS)} responses`,
    model: 'stream_tokens',
    users: 4,
    itemsPerRequest: 1,
    responsesPerRequest: TOKENS,
    overrides: [{ name: 'COUNT', data: { file: 'count.json' } }],
    files: new Map([['count.json', [TOKENS]]]),
  },
  { kind: 'sequence (START/END/CORRID)', model: 'sequence_sum', users: 4, itemsPerRequest: 1 },
  { kind: 'max_batch_size 0', model: 'nobatch_identity', users: 4, itemsPerRequest: 1 },
  {
    kind: 'ensemble (2 steps)',
    model: 'ensemble_two_step',
    alsoLoads: ['ensemble_scale', 'ensemble_offset'],
    users: 4,
    itemsPerRequest: 2,
  },
  { kind: 'BLS', model: 'bls_caller', alsoLoads: ['bls_target'], users: 4, itemsPerRequest: 1 },
  // Optional inputs are sent by default (docs/models.md#input-data); this case leaves it out, as measured.
  {
    kind: 'optional input (left out)',
    model: 'optional_input',
    users: 4,
    itemsPerRequest: 2,
    overrides: [{ name: 'OPTIONAL0', data: 'none' }],
  },
  {
    kind: 'BYTES [-1]',
    model: 'bytes_length',
    users: 4,
    itemsPerRequest: 2,
    overrides: [{ name: 'TEXT', shape: [3], data: { file: 'words.json' } }],
    files: new Map([['words.json', ['a', 'bb', 'ünï']]]),
  },
  { kind: 'FP16 + BF16', model: 'half_types', users: 4, itemsPerRequest: 2 },
  { kind: 'FP32 3×224×224', model: 'image_fp32', users: 2, itemsPerRequest: 2 },
];
