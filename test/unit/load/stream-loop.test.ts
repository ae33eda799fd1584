// The streaming closed loop against a simulated stream transport on a virtual clock: responses,
// empty finals and zero-response requests counted exactly; users over streams; request ids
// unique; errors inside the stream, streams ended by a status, deadlines, aborts; the
// sent === ok + failed invariant under random scripts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStreamLoop, type StreamLoopPlan } from '../../../src/load/stream-loop.js';
import { EMPTY_FINAL_OPT_IN } from '../../../src/load/request-tail.js';
import { createSimulatedStreamTransport, type ScriptedMessage } from './simulated-stream-transport.js';
import { create, toBinary } from '@bufbuild/protobuf';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';

const base = (model: string): Uint8Array =>
  Buffer.concat([
    toBinary(ModelInferRequestSchema, create(ModelInferRequestSchema, { modelName: model })),
    EMPTY_FINAL_OPT_IN,
  ]);
const STEP = base('stream_tokens');
const plan = (users: number, requests: number, extra: Partial<StreamLoopPlan> = {}): StreamLoopPlan => ({
  users,
  requests,
  steps: [STEP],
  timeoutMs: 60_000,
  ...extra,
});

/** `count` data responses 1 ms apart, then an empty final. */
const tokens = (count: number): ScriptedMessage[] => [
  ...Array.from({ length: count }, (_, i) => ({ afterMs: i + 1 })),
  { afterMs: count + 1, outputs: 0, final: true },
];

describe('runStreamLoop', () => {
  it('counts one final response per request as one response, no empty finals', async () => {
    const transport = createSimulatedStreamTransport();
    const result = await runStreamLoop(transport, plan(3, 30), { clock: transport.clock });
    expect(result).toMatchObject({
      sent: 30,
      ok: 30,
      failed: 0,
      responses: 30,
      emptyFinals: 0,
      zeroResponseRequests: 0,
    });
    expect(result.histogram.count).toBe(30);
    expect(result.firstResponse.count).toBe(30);
    expect(result.betweenResponses.count).toBe(0);
    expect(new Set(transport.written.map((w) => w.requestId)).size).toBe(30);
    expect(transport.written.every((w) => w.request.modelName === 'stream_tokens')).toBe(true);
    expect(transport.streams).toHaveLength(3);
    expect(transport.streams.every((s) => s.halfClosed && !s.cancelled && !s.open)).toBe(true);
  });

  it('counts token-like responses, empty finals and zero-response requests exactly', async () => {
    const counts = (index: number): number => index % 4; // 0, 1, 2, 3, 0, ...
    const transport = createSimulatedStreamTransport({ script: (w) => tokens(counts(w.index)) });
    const result = await runStreamLoop(transport, plan(4, 40), { clock: transport.clock });
    const sent = Array.from({ length: 40 }, (_, i) => counts(i));
    expect(result.ok).toBe(40);
    expect(result.responses).toBe(sent.reduce((a, b) => a + b, 0));
    expect(result.emptyFinals).toBe(40);
    expect(result.zeroResponseRequests).toBe(sent.filter((c) => c === 0).length);
    expect(result.firstResponse.count).toBe(sent.filter((c) => c > 0).length);
    expect(result.betweenResponses.count).toBe(sent.reduce((a, c) => a + Math.max(0, c - 1), 0));
    // Responses come 1 virtual ms apart: every gap and first response is exactly 1 ms.
    expect(result.betweenResponses.toLatencyMs().max).toBe(1);
    expect(result.firstResponse.toLatencyMs().max).toBe(1);
  });

  it('spreads users over at most 16 streams, several requests in flight per stream', async () => {
    const transport = createSimulatedStreamTransport({ script: () => tokens(2) });
    const result = await runStreamLoop(transport, plan(40, 400), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 400, ok: 400, responses: 800 });
    expect(transport.streams).toHaveLength(16);
    const perStream = new Map<number, Set<number>>();
    for (const w of transport.written) {
      const user = w.requestId % 40;
      perStream.set(w.stream, (perStream.get(w.stream) ?? new Set<number>()).add(user));
    }
    expect([...perStream.values()].map((users) => users.size).sort()).toEqual([
      2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    ]);
  });

  it('uses the data steps round-robin', async () => {
    const transport = createSimulatedStreamTransport();
    await runStreamLoop(transport, plan(2, 9, { steps: [base('a'), base('b'), base('c')] }), {
      clock: transport.clock,
    });
    expect(transport.written.map((w) => w.request.modelName).join('')).toBe('abcabcabc');
  });

  it('counts an error inside the stream once per request and goes on', async () => {
    const transport = createSimulatedStreamTransport({
      script: (w) =>
        w.index % 3 === 0
          ? [{ afterMs: 1, error: 'must specify the START flag', outputs: 0, final: -1 }]
          : w.index % 3 === 1
            ? [
                { afterMs: 1, error: 'backend failed', outputs: 0 },
                { afterMs: 2 },
                { afterMs: 3, outputs: 0, final: true },
              ]
            : tokens(1),
    });
    const result = await runStreamLoop(transport, plan(2, 12), { clock: transport.clock });
    expect(result).toMatchObject({
      sent: 12,
      ok: 4,
      failed: 8,
      errorsByStatus: { IN_STREAM_ERROR: 8 },
      isStopped: false,
    });
    expect(result.firstError).toBe('IN_STREAM_ERROR: must specify the START flag');
    expect(result.histogram.count).toBe(4);
  });

  it('ignores responses whose id matches no request in flight', async () => {
    const transport = createSimulatedStreamTransport({
      script: (w) => [
        { afterMs: 1, id: 999_999 },
        { afterMs: 2, final: true },
        ...(w.index === 0 ? [{ afterMs: 3 }] : []),
      ],
    });
    const result = await runStreamLoop(transport, plan(1, 3), { clock: transport.clock });
    expect(result).toMatchObject({ ok: 3, responses: 3, unmatchedResponses: 3 + 1 });
  });

  it('fails the requests of a stream a non-fatal status ended, and reopens a stream for the next ones', async () => {
    const transport = createSimulatedStreamTransport({ script: () => tokens(1) });
    let failed = false;
    const result = await runStreamLoop(transport, plan(2, 20), {
      clock: () => {
        if (!failed && transport.written.length === 5) {
          failed = true;
          transport.failStream(0, { status: 'INTERNAL', message: 'stream broke' });
        }
        return transport.clock();
      },
    });
    expect(result.sent).toBe(20);
    expect(result.sent).toBe(result.ok + result.failed);
    expect(result.errorsByStatus).toEqual({ INTERNAL: 1 });
    expect(transport.streams.length).toBe(3);
  });

  it('stops at a fatal status: no new requests, the other streams cancelled', async () => {
    const transport = createSimulatedStreamTransport({ script: () => tokens(1) });
    let failed = false;
    const result = await runStreamLoop(transport, plan(4, 400), {
      clock: () => {
        if (!failed && transport.written.length === 40) {
          failed = true;
          transport.failStream(1, { status: 'UNAVAILABLE', message: 'connection lost' });
        }
        return transport.clock();
      },
    });
    expect(result.isStopped).toBe(true);
    expect(result.sent).toBeLessThan(400);
    expect(result.sent).toBe(result.ok + result.failed);
    expect(result.errorsByStatus['UNAVAILABLE']).toBe(1);
    expect(transport.streams.filter((s) => s.cancelled)).toHaveLength(3);
  });

  it('fails a request without a final response after the timeout (DEADLINE_EXCEEDED, fatal)', async () => {
    const transport = createSimulatedStreamTransport({ script: (w) => (w.index === 3 ? [{ afterMs: 1 }] : tokens(1)) });
    const result = await runStreamLoop(transport, plan(1, 100, { timeoutMs: 30 }), { clock: () => performance.now() });
    expect(result.isStopped).toBe(true);
    expect(result.errorsByStatus['DEADLINE_EXCEEDED']).toBe(1);
    expect(result.firstError).toMatch(/no final response within 30 ms \(1 responses before\)/);
    expect(result.sent).toBe(result.ok + result.failed);
  });

  it('cancels on abort; requests in flight count as CANCELLED', async () => {
    const transport = createSimulatedStreamTransport({ script: () => tokens(3) });
    const controller = new AbortController();
    const result = await runStreamLoop(transport, plan(3, 3000), {
      clock: () => {
        if (transport.written.length === 30) controller.abort();
        return transport.clock();
      },
      signal: controller.signal,
    });
    expect(result.isStopped).toBe(true);
    expect(result.errorsByStatus['CANCELLED']).toBe(3);
    expect(result.sent).toBe(result.ok + result.failed);
  });

  it('measures the steady window: completions, responses', async () => {
    const transport = createSimulatedStreamTransport({ script: () => tokens(2) });
    const result = await runStreamLoop(transport, plan(2, 40), { clock: transport.clock });
    expect(result.window.isSteady).toBe(true);
    // Each request: 2 responses at +1, +2 ms, final at +3 ms; the window holds whole requests.
    expect(result.window.responses).toBe(2 * result.window.ok);
    expect(result.window.endMs - result.window.startMs).toBe(3 * (result.window.ok / 2));
  });

  it('keeps sent === ok + failed and responses exact under random scripts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(fc.nat({ max: 3 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 10 }),
        async (users, requests, shapes) => {
          const shapeOf = (i: number) => shapes[i % shapes.length] as [number, boolean, boolean];
          const transport = createSimulatedStreamTransport({
            script: (w) => {
              const [count, isError, isFinalAttached] = shapeOf(w.index);
              if (isError) return [{ afterMs: 1, error: 'x', outputs: 0, final: -1 }];
              if (isFinalAttached && count > 0)
                return Array.from({ length: count }, (_, i) => ({ afterMs: i + 1, final: i === count - 1 }));
              return tokens(count);
            },
          });
          const result = await runStreamLoop(transport, plan(users, Math.max(users, requests)), {
            clock: transport.clock,
          });
          const total = Math.max(users, requests);
          expect(result.sent).toBe(total);
          expect(result.ok + result.failed).toBe(total);
          const expected = Array.from({ length: total }, (_, i) => shapeOf(i)).filter(([, e]) => !e);
          expect(result.ok).toBe(expected.length);
          expect(result.responses).toBe(expected.reduce((a, [c]) => a + c, 0));
        },
      ),
      { numRuns: 40 },
    );
  });
});
