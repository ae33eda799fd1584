/**
 * What changes from one request to the next on a stream or in a sequence, as protobuf bytes
 * appended to the cell's pre-encoded ModelInferRequest (docs/architecture.md#measurement:
 * encoded once, patched per request). Protobuf parsers take the last value of a singular field
 * and merge map entries, so `base ‖ tail` is the base request with these fields set
 * (grpc_service.proto: `id` = 3, `parameters` = 4, a map<string, InferParameter>). Per request
 * this writes a few dozen bytes into a caller's scratch buffer and allocates nothing. Pure.
 */

/** The sequence flags of one request (docs/architecture.md#measurement; Triton's sequence extension). */
export interface SequenceFlags {
  /** Correlation ID: an integer >= 1 (sent as `int64_param`) or a non-empty ASCII string (`string_param`). */
  readonly sequenceId: number | string;
  readonly isStart: boolean;
  readonly isEnd: boolean;
}

/** Longest string correlation ID Triton accepts (longer ones get UNSUPPORTED, core tritonserver.cc). */
export const MAX_STRING_SEQUENCE_ID = 128;
/** Scratch bytes enough for any tail `writeRequestTail` writes. */
export const MAX_TAIL_BYTES = 256;

const TAG_ID = 0x1a; // field 3, length-delimited
const TAG_PARAMETERS = 0x22; // field 4, length-delimited
const TAG_KEY = 0x0a; // map entry key, field 1
const TAG_VALUE = 0x12; // map entry value, field 2
const TAG_BOOL = 0x08; // InferParameter.bool_param, field 1, varint
const TAG_INT64 = 0x10; // InferParameter.int64_param, field 2, varint
const TAG_STRING = 0x1a; // InferParameter.string_param, field 3, length-delimited
const SEQUENCE_ID_KEY = Buffer.from('sequence_id');

function varintBytes(value: number): number {
  let bytes = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    bytes++;
  }
  return bytes;
}

function putVarint(out: Buffer, pos: number, value: number): number {
  while (value >= 128) {
    out[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  out[pos++] = value;
  return pos;
}

/** A `parameters` entry `key: bool_param value`, encoded once. */
function boolParameter(key: string, value: boolean): Buffer {
  const name = Buffer.from(key);
  const entry = Buffer.concat([
    Buffer.from([TAG_KEY, name.length]),
    name,
    Buffer.from([TAG_VALUE, 2, TAG_BOOL, value ? 1 : 0]),
  ]);
  return Buffer.concat([Buffer.from([TAG_PARAMETERS, entry.length]), entry]);
}

/**
 * `triton_enable_empty_final_response: true`: appended once to a streaming cell's request, so
 * a request whose model sends no response still ends with an (empty) final response
 * (docs/architecture.md#measurement; Triton's decoupled_models.md).
 */
export const EMPTY_FINAL_OPT_IN: Buffer = boolParameter('triton_enable_empty_final_response', true);

// Both flags are always sent, false included, as perf_analyzer does.
const START_TRUE = boolParameter('sequence_start', true);
const START_FALSE = boolParameter('sequence_start', false);
const END_TRUE = boolParameter('sequence_end', true);
const END_FALSE = boolParameter('sequence_end', false);

function decimalLength(value: number): number {
  let count = 1;
  for (let limit = 10; value >= limit; limit *= 10) count++;
  return count;
}

/** Decimal digits of a non-negative integer < 2^53 at `pos`; returns the end. */
function putDecimal(out: Buffer, pos: number, value: number): number {
  const count = decimalLength(value);
  let rest = value;
  for (let i = pos + count - 1; i >= pos; i--) {
    out[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return pos + count;
}

function putSequenceId(out: Buffer, pos: number, id: number | string): number {
  const isString = typeof id === 'string';
  const valueBytes = isString ? id.length : varintBytes(id);
  const parameterBytes = 1 + (isString ? varintBytes(valueBytes) : 0) + valueBytes;
  const entryBytes = 2 + SEQUENCE_ID_KEY.length + 1 + varintBytes(parameterBytes) + parameterBytes;
  out[pos++] = TAG_PARAMETERS;
  pos = putVarint(out, pos, entryBytes);
  out[pos++] = TAG_KEY;
  out[pos++] = SEQUENCE_ID_KEY.length;
  pos += SEQUENCE_ID_KEY.copy(out, pos);
  out[pos++] = TAG_VALUE;
  pos = putVarint(out, pos, parameterBytes);
  if (isString) {
    out[pos++] = TAG_STRING;
    pos = putVarint(out, pos, valueBytes);
    return pos + out.write(id, pos, 'latin1');
  }
  out[pos++] = TAG_INT64;
  return putVarint(out, pos, id);
}

/**
 * Writes the tail of one request into `out` from offset 0 and returns its length: the request
 * `id` (decimal, so Triton echoes it and responses can be matched) and, for a sequence, the
 * `sequence_id`, `sequence_start` and `sequence_end` parameters. `out` must hold
 * MAX_TAIL_BYTES; `requestId` must be an integer in [0, 2^53); a sequence ID must pass
 * `checkSequenceId`.
 */
export function writeRequestTail(out: Buffer, requestId: number, flags?: SequenceFlags): number {
  out[0] = TAG_ID;
  out[1] = decimalLength(requestId);
  let pos = putDecimal(out, 2, requestId);
  if (flags === undefined) return pos;
  pos = putSequenceId(out, pos, flags.sequenceId);
  pos += (flags.isStart ? START_TRUE : START_FALSE).copy(out, pos);
  pos += (flags.isEnd ? END_TRUE : END_FALSE).copy(out, pos);
  return pos;
}

/** Why `id` cannot be a correlation ID, or undefined when it can (Triton's sequence extension). */
export function checkSequenceId(id: number | string): string | undefined {
  if (typeof id === 'number') {
    return Number.isSafeInteger(id) && id >= 1 ? undefined : `${id} is not an integer in [1, 2^53)`;
  }
  if (id.length === 0) return "'' is empty (an empty string means no sequence)";
  if (id.length > MAX_STRING_SEQUENCE_ID)
    return `a string of ${id.length} characters is longer than ${MAX_STRING_SEQUENCE_ID}`;
  return /^[\x20-\x7e]+$/.test(id) ? undefined : `'${id}' is not printable ASCII`;
}
