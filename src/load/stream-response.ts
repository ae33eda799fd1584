/**
 * Reads what the streaming load loop needs from one ModelStreamInferResponse message without
 * decoding it (docs/architecture.md#measurement: no per-response objects): the request id
 * Triton echoes, the `triton_final_response` flag, whether the response carries outputs, and
 * `error_message`. A walk over the protobuf wire format of the fields we know (grpc_service.proto:
 * ModelStreamInferResponse 1 error_message, 2 infer_response; ModelInferResponse 3 id,
 * 4 parameters, 5 outputs; InferParameter 1 bool_param); every other field is skipped by its
 * wire type, so output tensors of any size cost nothing. Pure.
 */

/** The parts of one stream response the loop uses; filled in place by `readStreamResponse`. */
export interface StreamResponseView {
  /** `infer_response.id` as an integer when it is a decimal below 2^53, else -1 (absent or foreign). */
  requestId: number;
  /** `error_message`, '' on success. */
  error: string;
  /** `triton_final_response`: 1 true, 0 false, -1 absent (an error before the request was issued). */
  final: -1 | 0 | 1;
  /** Output tensors (`outputs` entries); 0 for an empty final response. */
  outputs: number;
}

/** A fresh view to reuse across calls. */
export function createStreamResponseView(): StreamResponseView {
  return { requestId: -1, error: '', final: -1, outputs: 0 };
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const FINAL_KEY = Buffer.from('triton_final_response');
const MAX_SAFE_DIGITS = 15;

/** Position after reading; shared scratch so the readers return two values without allocating. */
let cursor = 0;

/** Reads a varint at `pos` (value up to 2^53 exact) into the return value; sets `cursor`; -1 when truncated. */
function readVarint(bytes: Uint8Array, pos: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const byte = bytes[pos++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      cursor = pos;
      return value;
    }
    scale *= 128;
  }
  return -1;
}

/** Skips one field's value of `wireType` at `pos`; returns the new position or -1 when malformed. */
function skipField(bytes: Uint8Array, pos: number, end: number, wireType: number): number {
  switch (wireType) {
    case WIRE_VARINT:
      return readVarint(bytes, pos, end) < 0 ? -1 : cursor;
    case WIRE_FIXED64:
      return pos + 8 <= end ? pos + 8 : -1;
    case WIRE_FIXED32:
      return pos + 4 <= end ? pos + 4 : -1;
    case WIRE_LENGTH: {
      const length = readVarint(bytes, pos, end);
      return length < 0 || cursor + length > end ? -1 : cursor + length;
    }
    default:
      return -1;
  }
}

/**
 * Reads the next field header at `pos`: returns the field number and leaves in `cursor` the
 * start of a length-delimited value (its end in `fieldEnd`); other wire types are skipped and
 * reported with `fieldEnd = -2`. Returns -1 when malformed. Plain loops over this, not
 * callbacks, so reading a response allocates nothing.
 */
let fieldEnd = 0;
function nextField(bytes: Uint8Array, pos: number, end: number): number {
  const tag = readVarint(bytes, pos, end);
  if (tag < 0) return -1;
  const wireType = tag & 7;
  if (wireType !== WIRE_LENGTH) {
    const next = skipField(bytes, cursor, end, wireType);
    if (next < 0) return -1;
    cursor = next;
    fieldEnd = -2;
    return Math.floor(tag / 8);
  }
  const length = readVarint(bytes, cursor, end);
  if (length < 0 || cursor + length > end) return -1;
  fieldEnd = cursor + length;
  return Math.floor(tag / 8);
}

/** Decimal digits in `[start, end)` as a number, or -1 when empty, not all digits, or too long to be exact. */
function decimalId(bytes: Uint8Array, start: number, end: number): number {
  if (start === end || end - start > MAX_SAFE_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isFinalKey(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== FINAL_KEY.length) return false;
  for (let i = 0; i < FINAL_KEY.length; i++) if (bytes[start + i] !== FINAL_KEY[i]) return false;
  return true;
}

/** One `parameters` map entry: sets `view.final` when it is `triton_final_response` with a bool value. */
function readParameter(bytes: Uint8Array, pos: number, end: number, view: StreamResponseView): boolean {
  let isFinal = false;
  let valueStart = -1;
  let valueEnd = -1;
  while (pos < end) {
    const field = nextField(bytes, pos, end);
    if (field < 0) return false;
    if (fieldEnd === -2) {
      pos = cursor;
      continue;
    }
    if (field === 1) isFinal = isFinalKey(bytes, cursor, fieldEnd);
    else if (field === 2) {
      valueStart = cursor;
      valueEnd = fieldEnd;
    }
    pos = fieldEnd;
  }
  if (!isFinal || valueStart < 0) return true;
  // InferParameter: bool_param is field 1, a varint.
  for (pos = valueStart; pos < valueEnd;) {
    const tag = readVarint(bytes, pos, valueEnd);
    if (tag < 0) return false;
    pos = cursor;
    if (tag === 0x08) {
      const value = readVarint(bytes, pos, valueEnd);
      if (value < 0) return false;
      view.final = value === 0 ? 0 : 1;
      return true;
    }
    pos = skipField(bytes, pos, valueEnd, tag & 7);
    if (pos < 0) return false;
  }
  return true;
}

/** The ModelInferResponse in `[pos, end)`: id, parameters, outputs. */
function readInferResponse(bytes: Uint8Array, pos: number, end: number, view: StreamResponseView): boolean {
  while (pos < end) {
    const field = nextField(bytes, pos, end);
    if (field < 0) return false;
    if (fieldEnd === -2) {
      pos = cursor;
      continue;
    }
    const valueEnd = fieldEnd;
    if (field === 3) view.requestId = decimalId(bytes, cursor, valueEnd);
    else if (field === 4 && !readParameter(bytes, cursor, valueEnd, view)) return false;
    else if (field === 5) view.outputs++;
    pos = valueEnd;
  }
  return true;
}

/**
 * Fills `view` from the ModelStreamInferResponse in `bytes[start, end)`. Returns false when
 * the bytes are not a well-formed message (the view is then unspecified).
 */
export function readStreamResponse(bytes: Uint8Array, start: number, end: number, view: StreamResponseView): boolean {
  view.requestId = -1;
  view.error = '';
  view.final = -1;
  view.outputs = 0;
  let pos = start;
  while (pos < end) {
    const field = nextField(bytes, pos, end);
    if (field < 0) return false;
    if (fieldEnd === -2) {
      pos = cursor;
      continue;
    }
    const valueEnd = fieldEnd;
    if (field === 1) {
      view.error = Buffer.from(bytes.buffer, bytes.byteOffset + cursor, valueEnd - cursor).toString('utf8');
    } else if (field === 2 && !readInferResponse(bytes, cursor, valueEnd, view)) {
      return false;
    }
    pos = valueEnd;
  }
  return true;
}
