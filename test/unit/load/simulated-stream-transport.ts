/**
 * A discrete-event fake of `StreamTransport` for the streaming loop's tests: each request gets
 * the messages its script says, at `sendTime + afterMs` on a virtual clock, one message per
 * macrotask, earliest first. Every written request is decoded with protobuf-es (so the tails
 * the loop writes are checked against our protos). No sockets, no real time.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelInferRequestSchema, type ModelInferRequest } from '../../../src/gen/grpc_service_pb.js';
import type { Clock } from '../../../src/load/closed-loop.js';
import type { InferFailure } from '../../../src/load/infer-transport.js';
import {
  IN_STREAM_ERROR,
  type InferStream,
  type StreamHandlers,
  type StreamResponse,
  type StreamTransport,
} from '../../../src/load/stream-transport.js';

/** One message the server sends for a request. */
export interface ScriptedMessage {
  /** Virtual ms after the request was written. */
  readonly afterMs: number;
  /** Output tensors; default 1 (0: an empty response). */
  readonly outputs?: number;
  /** `triton_final_response`: default false; -1 leaves it out. */
  readonly final?: boolean | -1;
  /** `error_message`. */
  readonly error?: string;
  /** Echo another id than the request's (a foreign or stale response). */
  readonly id?: number;
}

/** A request as the fake received it. */
export interface WrittenRequest {
  readonly index: number;
  readonly stream: number;
  readonly atMs: number;
  readonly request: ModelInferRequest;
  readonly requestId: number;
}

/** Options of `createSimulatedStreamTransport`. */
export interface SimulatedStreamOptions {
  /** Messages for request `index` (send order); default: one final response after 1 ms. */
  readonly script?: (written: WrittenRequest) => readonly ScriptedMessage[];
}

/** The fake, its clock and what it saw. */
export interface SimulatedStreamTransport extends StreamTransport {
  readonly clock: Clock;
  readonly written: readonly WrittenRequest[];
  /** Streams opened, and how each ended (`undefined` while open; 'end' after our half-close, 'cancel'). */
  readonly streams: { halfClosed: boolean; cancelled: boolean; open: boolean }[];
  /** Ends stream `index` now with `failure` (a gRPC status ending the call), dropping its pending messages. */
  failStream(index: number, failure: InferFailure): void;
}

interface Event {
  readonly atMs: number;
  readonly stream: number;
  readonly run: () => void;
}

const CANCELLED: InferFailure = { status: 'CANCELLED', message: 'cancelled by the client' };

export function createSimulatedStreamTransport(options: SimulatedStreamOptions = {}): SimulatedStreamTransport {
  const script = options.script ?? (() => [{ afterMs: 1, final: true }]);
  let nowMs = 0;
  let isScheduled = false;
  const events: Event[] = [];
  const written: WrittenRequest[] = [];
  const streams: SimulatedStreamTransport['streams'] = [];
  const handlersOf: StreamHandlers[] = [];
  const response: StreamResponse = { requestId: -1, error: '', final: -1, outputs: 0, errorStatus: '' };

  const step = (): void => {
    isScheduled = false;
    let best = -1;
    for (let i = 0; i < events.length; i++) {
      if (best < 0 || (events[i] as Event).atMs < (events[best] as Event).atMs) best = i;
    }
    const [next] = best < 0 ? [] : events.splice(best, 1);
    if (next === undefined) return;
    nowMs = Math.max(nowMs, next.atMs);
    next.run();
    schedule();
  };
  const schedule = (): void => {
    if (isScheduled || events.length === 0) return;
    isScheduled = true;
    setImmediate(step);
  };
  const hasPending = (stream: number): boolean => events.some((e) => e.stream === stream);
  const endStream = (stream: number, failure: InferFailure | null): void => {
    const state = streams[stream];
    if (state === undefined || !state.open) return;
    state.open = false;
    for (let i = events.length - 1; i >= 0; i--) if (events[i]?.stream === stream) events.splice(i, 1);
    events.push({
      atMs: nowMs,
      stream: -1,
      run: () => {
        handlersOf[stream]?.onEnd(failure);
      },
    });
    schedule();
  };
  const deliver = (stream: number, requestId: number, message: ScriptedMessage): void => {
    response.requestId = message.id ?? requestId;
    response.error = message.error ?? '';
    response.errorStatus = message.error === undefined ? '' : IN_STREAM_ERROR;
    response.final = message.final === -1 ? -1 : message.final === true ? 1 : 0;
    response.outputs = message.outputs ?? 1;
    handlersOf[stream]?.onResponse(response);
    if (streams[stream]?.halfClosed === true && !hasPending(stream)) endStream(stream, null);
  };

  return {
    clock: () => nowMs,
    written,
    streams,
    failStream: (index, failure) => {
      endStream(index, failure);
    },
    openStream(handlers): InferStream {
      const index = streams.length;
      streams.push({ halfClosed: false, cancelled: false, open: true });
      handlersOf.push(handlers);
      return {
        write(requestId, head, tail, tailLength) {
          const state = streams[index];
          if (state === undefined || !state.open || state.halfClosed) throw new Error('write on a closed stream');
          const bytes = Buffer.concat([head, tail.subarray(0, tailLength)]);
          const request = fromBinary(ModelInferRequestSchema, bytes);
          if (request.id !== String(requestId)) throw new Error(`id ${request.id} written as ${requestId}`);
          const entry: WrittenRequest = { index: written.length, stream: index, atMs: nowMs, request, requestId };
          written.push(entry);
          for (const message of script(entry)) {
            events.push({
              atMs: nowMs + message.afterMs,
              stream: index,
              run: () => {
                deliver(index, requestId, message);
              },
            });
          }
          schedule();
        },
        end() {
          const state = streams[index];
          if (state === undefined || state.halfClosed) return;
          state.halfClosed = true;
          if (!hasPending(index)) endStream(index, null);
        },
        cancel() {
          const state = streams[index];
          if (state === undefined || !state.open) return;
          state.cancelled = true;
          endStream(index, CANCELLED);
        },
      };
    },
  };
}
