// The closed-loop load generator against a simulated transport on a virtual clock: how requests
// are split over users, exact send counts, the sent === ok + failed invariant (property test),
// stopping on fatal statuses, abort signals, latency recorded only for successes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestsForUser, runClosedLoop, type ClosedLoopPlan } from '../../../src/load/closed-loop.js';
import type { InferFailure } from '../../../src/load/infer-transport.js';
import { createSimulatedTransport, type Outcome } from './simulated-transport.js';

const REQUEST = new Uint8Array([1, 2, 3]);
const plan = (users: number, requests: number): ClosedLoopPlan => ({
  users,
  requests,
  request: REQUEST,
  timeoutMs: 500,
});
const failure = (status: string): InferFailure => ({ status, message: `${status.toLowerCase()} from the server` });

describe('requestsForUser', () => {
  it('splits 480 requests over 7 users as 69 × 4 + 68 × 3', () => {
    const quotas = Array.from({ length: 7 }, (_, i) => requestsForUser(480, 7, i));
    expect(quotas).toEqual([69, 69, 69, 69, 68, 68, 68]);
  });

  it.each([
    [480, 10, [48, 48, 48, 48, 48, 48, 48, 48, 48, 48]],
    [10, 4, [3, 3, 2, 2]],
    [3, 5, [1, 1, 1, 0, 0]],
    [1, 1, [1]],
  ])('splits %i requests over %i users as %j', (requests, users, expected) => {
    expect(Array.from({ length: users }, (_, i) => requestsForUser(requests, users, i))).toEqual(expected);
  });

  it('always sums to the requests, differs by at most one, first users get the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 5000 }), (users, requests) => {
        const quotas = Array.from({ length: users }, (_, i) => requestsForUser(requests, users, i));
        expect(quotas.reduce((a, b) => a + b, 0)).toBe(requests);
        expect(Math.max(...quotas) - Math.min(...quotas)).toBeLessThanOrEqual(1);
        for (let i = 1; i < users; i++) expect(quotas[i]).toBeLessThanOrEqual(quotas[i - 1] ?? 0);
      }),
    );
  });
});

describe('runClosedLoop: sends', () => {
  it('sends exactly R requests with the plan bytes and deadline, never more than U in flight', async () => {
    const transport = createSimulatedTransport({ latencyMs: (i) => 1 + (i % 3) });
    const result = await runClosedLoop(transport, plan(7, 480), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 480, ok: 480, failed: 0, errorsByStatus: {}, isStopped: false });
    expect(result.firstError).toBeUndefined();
    expect(transport.sent).toHaveLength(480);
    expect(transport.sent.every((r) => r.bytes === REQUEST && r.timeoutMs === 500)).toBe(true);
    expect(transport.maxInflight()).toBe(7);
    expect(transport.inflight()).toBe(0);
    expect(transport.contractViolations()).toBe(0);
  });

  it('keeps each user to one request in flight: with equal latencies the run takes ceil(R/U) rounds', async () => {
    const transport = createSimulatedTransport({ latencyMs: () => 10 });
    const result = await runClosedLoop(transport, plan(4, 10), { clock: transport.clock });
    // Quotas 3,3,2,2: two users run three rounds of 10 virtual ms.
    expect(result.durationMs).toBe(30);
    expect(transport.sent.map((r) => r.sentAtMs)).toEqual([0, 0, 0, 0, 10, 10, 10, 10, 20, 20]);
  });

  it('skips users whose quota is 0 (fewer requests than users)', async () => {
    const transport = createSimulatedTransport();
    const result = await runClosedLoop(transport, plan(5, 3), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 3, ok: 3, failed: 0, isStopped: false });
    expect(transport.maxInflight()).toBe(3);
  });

  it('resolves at once with nothing sent for 0 requests', async () => {
    const transport = createSimulatedTransport();
    const result = await runClosedLoop(transport, plan(2, 0), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 0, ok: 0, failed: 0, durationMs: 0, isStopped: false });
    expect(result.histogram.count).toBe(0);
  });
});

describe('runClosedLoop: latency and duration', () => {
  it('records the exact latency of every successful request and none of the failed ones', async () => {
    const latencies = [5, 1, 3, 8, 2, 13, 4, 6];
    const transport = createSimulatedTransport({
      latencyMs: (i) => latencies[i] ?? 1,
      // The 13 ms request fails: it must not reach the histogram.
      outcome: (i) => (i === 5 ? failure('RESOURCE_EXHAUSTED') : null),
    });
    const result = await runClosedLoop(transport, plan(1, 8), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 8, ok: 7, failed: 1, errorsByStatus: { RESOURCE_EXHAUSTED: 1 } });
    expect(result.histogram.count).toBe(7);
    const latencyMs = result.histogram.toLatencyMs();
    expect(latencyMs.max).toBe(8);
    expect(latencyMs.p50).toBeCloseTo(4, 2); // HDR: within 0.1%
    expect(latencyMs.mean).toBeCloseTo((5 + 1 + 3 + 8 + 2 + 4 + 6) / 7, 2);
    expect(result.durationMs).toBe(latencies.reduce((a, b) => a + b, 0));
  });

  it('measures latency per request, also with many users replying out of order', async () => {
    const transport = createSimulatedTransport({ latencyMs: (i) => (i % 2 === 0 ? 7 : 2) });
    const result = await runClosedLoop(transport, plan(2, 20), { clock: transport.clock });
    // Replies overtake each other; whichever user sends a request, its latency is exactly 2 or 7 ms.
    const latencyMs = result.histogram.toLatencyMs();
    expect(latencyMs.max).toBe(7);
    expect(result.histogram.raw.minNonZeroValue).toBe(2000);
    expect(result.histogram.count).toBe(20);
  });
});

describe('runClosedLoop: failures', () => {
  it('counts failures by status and keeps the first error, without stopping on non-fatal statuses', async () => {
    const statuses = ['RESOURCE_EXHAUSTED', 'INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED'];
    const transport = createSimulatedTransport({
      outcome: (i) => (i % 4 === 1 ? failure(statuses[Math.floor(i / 4) % 3] ?? '') : null),
    });
    const result = await runClosedLoop(transport, plan(3, 40), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 40, ok: 30, failed: 10, isStopped: false });
    expect(result.errorsByStatus).toEqual({ RESOURCE_EXHAUSTED: 7, INVALID_ARGUMENT: 3 });
    expect(result.firstError).toBe('RESOURCE_EXHAUSTED: resource_exhausted from the server');
    expect(result.histogram.count).toBe(30);
  });

  it.each(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED', 'UNKNOWN'])(
    'stops sending after %s; the requests in flight are cancelled and still counted once',
    async (status) => {
      // Request 4 fails fatally after 1 ms while the other two users' requests take 10 ms.
      const transport = createSimulatedTransport({
        outcome: (i) => (i === 4 ? failure(status) : null),
        latencyMs: (i) => (i === 4 ? 1 : 10),
      });
      const result = await runClosedLoop(transport, plan(3, 300), { clock: transport.clock });
      expect(result.isStopped).toBe(true);
      expect(result.sent).toBe(6);
      expect(result.sent).toBe(result.ok + result.failed);
      expect(result.firstError).toBe(`${status}: ${status.toLowerCase()} from the server`);
      const after = transport.sent.filter((r) => r.sentAtMs > (transport.sent[4]?.completedAtMs ?? 0));
      expect(after).toEqual([]);
      expect(transport.sent.filter((r) => r.isCancelled)).toHaveLength(2);
      expect(transport.inflight()).toBe(0);
      expect(transport.contractViolations()).toBe(0);
    },
  );

  it('does not stop on RESOURCE_EXHAUSTED, INVALID_ARGUMENT, NOT_FOUND or INTERNAL', async () => {
    const statuses = ['RESOURCE_EXHAUSTED', 'INVALID_ARGUMENT', 'NOT_FOUND', 'INTERNAL'];
    const transport = createSimulatedTransport({ outcome: (i) => (i < 4 ? failure(statuses[i] ?? '') : null) });
    const result = await runClosedLoop(transport, plan(2, 12), { clock: transport.clock });
    expect(result).toMatchObject({ sent: 12, ok: 8, failed: 4, isStopped: false });
  });

  it('keeps sending after fatal statuses when shouldStopOnFatal is false', async () => {
    const transport = createSimulatedTransport({ outcome: (i) => (i % 2 === 0 ? failure('UNAVAILABLE') : null) });
    const result = await runClosedLoop(transport, plan(2, 10), { clock: transport.clock, shouldStopOnFatal: false });
    expect(result).toMatchObject({ sent: 10, ok: 5, failed: 5, errorsByStatus: { UNAVAILABLE: 5 }, isStopped: false });
  });
});

describe('runClosedLoop: abort signal', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const transport = createSimulatedTransport();
    const result = await runClosedLoop(transport, plan(4, 100), {
      clock: transport.clock,
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ sent: 0, ok: 0, failed: 0, isStopped: true, durationMs: 0 });
    expect(transport.sent).toHaveLength(0);
  });

  it('stops mid-run: no new sends, stalled requests cancelled and counted as CANCELLED', async () => {
    const controller = new AbortController();
    const transport = createSimulatedTransport({
      // From request 10 on the server never answers: only the abort can end the run.
      outcome: (i) => (i >= 10 ? 'stall' : null),
      onSend: (i) => {
        // Like a SIGINT handler: the abort comes from outside, after send() returned.
        if (i === 12)
          queueMicrotask(() => {
            controller.abort();
          });
      },
    });
    const result = await runClosedLoop(transport, plan(3, 1000), { clock: transport.clock, signal: controller.signal });
    expect(result.isStopped).toBe(true);
    expect(result.sent).toBe(13);
    expect(result.ok).toBe(10);
    expect(result.errorsByStatus).toEqual({ CANCELLED: 3 });
    expect(transport.inflight()).toBe(0);
  });

  it('ignores an abort that comes after the run resolved', async () => {
    const controller = new AbortController();
    const transport = createSimulatedTransport();
    const result = await runClosedLoop(transport, plan(2, 4), { clock: transport.clock, signal: controller.signal });
    controller.abort();
    expect(result).toMatchObject({ sent: 4, ok: 4, isStopped: false });
  });
});

const OUTCOMES: readonly Outcome[] = [
  null,
  null,
  null,
  failure('RESOURCE_EXHAUSTED'),
  failure('INVALID_ARGUMENT'),
  failure('UNAVAILABLE'),
  failure('DEADLINE_EXCEEDED'),
];
const FATAL = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED', 'UNKNOWN']);

describe('runClosedLoop: invariants (property)', () => {
  it('sent === ok + failed, every request answered once, R sent unless a fatal status stopped it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 120 }),
        fc.array(fc.integer({ min: 0, max: OUTCOMES.length - 1 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (users, extra, pattern, latencies, shouldStopOnFatal) => {
          const requests = users + extra;
          const outcomeAt = (i: number): Outcome => OUTCOMES[pattern[i % pattern.length] ?? 0] ?? null;
          const transport = createSimulatedTransport({
            outcome: outcomeAt,
            latencyMs: (i) => latencies[i % latencies.length] ?? 1,
          });
          const result = await runClosedLoop(transport, plan(users, requests), {
            clock: transport.clock,
            shouldStopOnFatal,
          });

          expect(result.sent).toBe(result.ok + result.failed);
          expect(result.sent).toBe(transport.sent.length);
          expect(transport.inflight()).toBe(0);
          expect(transport.contractViolations()).toBe(0);
          expect(transport.maxInflight()).toBeLessThanOrEqual(users);
          expect(Object.values(result.errorsByStatus).reduce((a, b) => a + b, 0)).toBe(result.failed);
          expect(result.histogram.count).toBe(result.ok);
          expect(result.durationMs).toBe(Math.max(0, ...transport.sent.map((r) => r.completedAtMs ?? 0)));
          const hasFatal = transport.sent.some((r) => r.result != null && FATAL.has(r.result.status));
          if (shouldStopOnFatal && hasFatal) {
            expect(result.isStopped).toBe(true);
            expect(result.sent).toBeLessThanOrEqual(requests);
            const firstFatalAt = Math.min(
              ...transport.sent
                .filter((r) => r.result != null && FATAL.has(r.result.status))
                .map((r) => r.completedAtMs ?? 0),
            );
            expect(transport.sent.filter((r) => r.sentAtMs > firstFatalAt)).toEqual([]);
          } else {
            expect(result.isStopped).toBe(false);
            expect(result.sent).toBe(requests);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('runClosedLoop: data steps', () => {
  it('sends the steps round-robin over the trial, whatever the users', async () => {
    const transport = createSimulatedTransport();
    const steps = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
    const result = await runClosedLoop(transport, { ...plan(2, 7), steps }, { clock: transport.clock });
    expect(result.sent).toBe(7);
    expect(transport.sent.map((s) => s.bytes[0])).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });
});
