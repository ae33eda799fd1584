// Sequences through the streaming loop: one stream per user, START/END/sequence_id on the
// wire in order, every sequence closed (also at the end of a time-mode trial), sequences
// counted; and the same loop over unary calls (createUnaryStreamTransport).
import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelInferRequestSchema, type ModelInferRequest } from '../../../src/gen/grpc_service_pb.js';
import { createSequenceIds, type SequencePlan } from '../../../src/load/sequence-plan.js';
import { runStreamLoop, type StreamLoopPlan } from '../../../src/load/stream-loop.js';
import { createUnaryStreamTransport } from '../../../src/load/unary-stream-transport.js';
import { createRng } from '../../../src/rng.js';
import { createSimulatedStreamTransport } from './simulated-stream-transport.js';
import { createSimulatedTransport } from './simulated-transport.js';
import { fromBinary } from '@bufbuild/protobuf';

const STEPS = [0, 1, 2].map((v) =>
  toBinary(ModelInferRequestSchema, create(ModelInferRequestSchema, { modelName: `step${v}` })),
);
const sequences = (length: number, idKind: 'int64' | 'string' = 'int64'): SequencePlan => ({
  length,
  variationPct: 0,
  idKind,
  ids: createSequenceIds(100),
  rng: createRng(3),
});
const plan = (users: number, requests: number, extra: Partial<StreamLoopPlan> = {}): StreamLoopPlan => ({
  users,
  requests,
  steps: STEPS,
  timeoutMs: 60_000,
  sequences: sequences(4),
  ...extra,
});

interface Seen {
  readonly id: bigint | string;
  readonly start: boolean;
  readonly end: boolean;
  readonly step: string;
}
function sequenceOf(request: ModelInferRequest): Seen {
  const param = (key: string) => request.parameters[key]?.parameterChoice.value;
  return {
    id: param('sequence_id') as bigint | string,
    start: param('sequence_start') as boolean,
    end: param('sequence_end') as boolean,
    step: request.modelName,
  };
}

/** Requests per sequence ID in send order, checked to be START ... END on one stream. */
function checkSequences(
  written: readonly { stream: number; request: ModelInferRequest }[],
): Map<bigint | string, Seen[]> {
  const byId = new Map<bigint | string, Seen[]>();
  const streamOf = new Map<bigint | string, number>();
  for (const w of written) {
    const seen = sequenceOf(w.request);
    byId.set(seen.id, [...(byId.get(seen.id) ?? []), seen]);
    expect(streamOf.get(seen.id) ?? w.stream).toBe(w.stream);
    streamOf.set(seen.id, w.stream);
  }
  for (const list of byId.values()) {
    expect(list.map((s) => s.start)).toEqual(list.map((_, i) => i === 0));
    expect(list.map((s) => s.end)).toEqual(list.map((_, i) => i === list.length - 1));
    // Data steps in order within a sequence (position mod steps).
    expect(list.map((s) => s.step)).toEqual(list.map((_, i) => `step${i % 3}`));
  }
  return byId;
}

describe('runStreamLoop with sequences', () => {
  it('runs each user sequences on its own stream, START to END, and counts them', async () => {
    const transport = createSimulatedStreamTransport();
    // 3 users x 10 requests: sequences of 4, 4, 2 each (the last cut at the user's quota).
    const result = await runStreamLoop(transport, plan(3, 30), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 30, ok: 30, sequences: 9 });
    expect(transport.streams).toHaveLength(3);
    const byId = checkSequences(transport.written);
    expect([...byId.values()].map((l) => l.length).sort()).toEqual([2, 2, 2, 4, 4, 4, 4, 4, 4]);
    expect([...byId.keys()].sort()).toEqual(Array.from({ length: 9 }, (_, i) => BigInt(100 + i)));
  });

  it('sends string correlation IDs when the plan asks', async () => {
    const transport = createSimulatedStreamTransport();
    await runStreamLoop(transport, plan(1, 5, { sequences: sequences(4, 'string') }), { clock: transport.clock });
    expect(transport.written.map((w) => sequenceOf(w.request).id)).toEqual([
      'ttg-100',
      'ttg-100',
      'ttg-100',
      'ttg-100',
      'ttg-101',
    ]);
  });

  it('closes a sequence the window cut short with one more request (time mode)', async () => {
    const transport = createSimulatedStreamTransport();
    const result = await runStreamLoop(transport, plan(2, 0, { windowMs: 25, sequences: sequences(7) }), {
      clock: transport.clock,
    });
    expect(result.window.isSteady).toBe(true);
    checkSequences(transport.written);
    expect(result.sequences).toBe(new Set(transport.written.map((w) => sequenceOf(w.request).id)).size);
  });

  it('counts a sequence only when its END request succeeded', async () => {
    const transport = createSimulatedStreamTransport({
      script: (w) =>
        sequenceOf(w.request).end && w.index < 4
          ? [{ afterMs: 1, error: 'no', outputs: 0, final: -1 }]
          : [{ afterMs: 1, final: true }],
    });
    const result = await runStreamLoop(transport, plan(1, 8), { clock: transport.clock });
    expect(result).toMatchObject({ ok: 7, failed: 1, sequences: 1 });
  });
});

describe('runStreamLoop over unary calls (createUnaryStreamTransport)', () => {
  it('sends each request as one ModelInfer call with its tail, one response each', async () => {
    const unary = createSimulatedTransport({ latencyMs: () => 2 });
    const result = await runStreamLoop(createUnaryStreamTransport(unary, 5_000), plan(2, 12), { clock: unary.clock });
    expect(result).toMatchObject({ sent: 12, ok: 12, responses: 12, emptyFinals: 0, sequences: 4 });
    const requests = unary.sent.map((s) => fromBinary(ModelInferRequestSchema, s.bytes));
    expect(requests.every((r, i) => r.id !== '' && requests.findIndex((q) => q.id === r.id) === i)).toBe(true);
    const byUser = [0, 1].map((u) =>
      requests.filter((r) => Number(r.id) % 2 === u).map((request) => ({ stream: u, request })),
    );
    for (const written of byUser) checkSequences(written);
    expect(unary.sent.every((s) => s.timeoutMs === 5_000)).toBe(true);
  });

  it('counts a failed call under its gRPC status and stops on a fatal one', async () => {
    const unary = createSimulatedTransport({
      outcome: (i) =>
        i === 2
          ? { status: 'INVALID_ARGUMENT', message: 'bad' }
          : i === 5
            ? { status: 'UNAVAILABLE', message: 'gone' }
            : null,
    });
    const result = await runStreamLoop(createUnaryStreamTransport(unary, 5_000), plan(1, 100), { clock: unary.clock });
    expect(result).toMatchObject({ sent: 6, ok: 4, failed: 2, isStopped: true });
    expect(result.errorsByStatus).toEqual({ INVALID_ARGUMENT: 1, UNAVAILABLE: 1 });
  });

  it('cancels the calls in flight on abort', async () => {
    const unary = createSimulatedTransport({ outcome: (i) => (i === 3 ? 'stall' : null) });
    const controller = new AbortController();
    const pending = runStreamLoop(createUnaryStreamTransport(unary, 5_000), plan(1, 100), {
      clock: unary.clock,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ sent: 4, ok: 3, failed: 1, errorsByStatus: { CANCELLED: 1 } });
    expect(unary.sent[3]?.isCancelled).toBe(true);
  });
});
