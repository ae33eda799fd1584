// The steady-state window of the closed loop (src/load/steady-window.ts) on the simulated
// transport's virtual clock: exact edges with equal latencies, time mode, the fallback when all
// users are never active at once, and the drain bias as a rate over seeded simulations with
// load-independent latency (the seed's whole-trial figure is printed beside it for contrast).
import { describe, expect, it } from 'vitest';
import { runClosedLoop, type ClosedLoopPlan } from '../../../src/load/closed-loop.js';
import { createSteadyWindow } from '../../../src/load/steady-window.js';
import { createRng } from '../../../src/rng.js';
import { createSimulatedTransport } from './simulated-transport.js';

const REQUEST = new Uint8Array([7]);
const plan = (users: number, requests: number, windowMs?: number): ClosedLoopPlan => ({
  users,
  requests,
  request: REQUEST,
  timeoutMs: 1_000,
  ...(windowMs === undefined ? {} : { windowMs }),
});

describe('createSteadyWindow', () => {
  it('opens once every user had two replies, counts (start, end], closes at the first user done', () => {
    const edges: string[] = [];
    const window = createSteadyWindow(2, undefined, {
      onOpen: (t) => edges.push(`open ${t}`),
      onClose: (t) => edges.push(`close ${t}`),
    });
    window.reply(0, 1, true, false);
    window.reply(1, 2, true, false);
    window.reply(0, 3, true, false);
    window.reply(1, 4, true, false); // opens: not counted
    window.reply(0, 5, true, false);
    window.reply(1, 6, false, false);
    window.reply(0, 7, true, true); // closes: counted
    window.reply(1, 8, true, false); // drain: not counted
    expect(window.result()).toEqual({ isSteady: true, startMs: 4, endMs: 7, ok: 2, failed: 1 });
    expect(edges).toEqual(['open 4', 'close 7']);
  });

  it('is not steady when a user is done before every user replied once', () => {
    const window = createSteadyWindow(3);
    window.reply(0, 1, true, false);
    window.reply(1, 2, true, true);
    window.reply(2, 3, true, false);
    expect(window.result()).toEqual({ isSteady: false, startMs: 0, endMs: 0, ok: 0, failed: 0 });
  });
});

describe('runClosedLoop: steady window', () => {
  it('with equal latencies measures exactly U per latency, excluding ramp-up and drain', async () => {
    const transport = createSimulatedTransport({ latencyMs: () => 2 });
    // Quotas 5,5,4: the window is (4, 8], users 0..2 reply at 6 and 8.
    const result = await runClosedLoop(transport, plan(3, 14), { clock: transport.clock });
    expect(result.window).toEqual({ isSteady: true, startMs: 4, endMs: 8, ok: 6, failed: 0 });
    expect(result.durationMs).toBe(10);
  });

  it('time mode: sends until the window has lasted windowMs, then every user stops after one reply', async () => {
    const transport = createSimulatedTransport({ latencyMs: (i) => 1 + (i % 2) });
    const result = await runClosedLoop(transport, plan(4, 0, 50), { clock: transport.clock });
    expect(result.window.isSteady).toBe(true);
    expect(result.window.endMs - result.window.startMs).toBeGreaterThanOrEqual(50);
    expect(result.window.endMs - result.window.startMs).toBeLessThan(53);
    expect(result.sent).toBe(result.ok);
    expect(transport.inflight()).toBe(0);
    // After the close every user has at most its one in-flight request left.
    expect(transport.sent.filter((r) => r.sentAtMs > result.window.endMs)).toHaveLength(0);
  });

  it('falls back (isSteady false) when a user has a single request', async () => {
    const transport = createSimulatedTransport({ latencyMs: (i) => 1 + i });
    const result = await runClosedLoop(transport, plan(4, 5), { clock: transport.clock });
    expect(result.window.isSteady).toBe(false);
    expect(result.ok).toBe(5);
  });
});

/** Mean relative error of the windowed and the whole-trial rate over seeded trials. */
async function drainBias(users: number, requests: number, trials: number): Promise<{ window: number; whole: number }> {
  let windowSum = 0;
  let wholeSum = 0;
  for (let seed = 1; seed <= trials; seed++) {
    const rng = createRng(seed * 7919);
    // Load-independent latency, uniform in [0.5, 1.5) ms: the true rate is users / 1 ms.
    const latencies = Array.from({ length: requests }, () => 0.5 + rng.next());
    const transport = createSimulatedTransport({ latencyMs: (i) => latencies[i] ?? 1 });
    const result = await runClosedLoop(transport, plan(users, requests), { clock: transport.clock });
    const { window } = result;
    expect(window.isSteady).toBe(true);
    windowSum += window.ok / (window.endMs - window.startMs) / users;
    wholeSum += result.ok / result.durationMs / users;
  }
  return { window: windowSum / trials - 1, whole: wholeSum / trials - 1 };
}

describe('steady window: drain bias with load-independent latency (seeded rates)', () => {
  it.each([
    [10, 480],
    [64, 480],
  ])('%i users, %i requests: bias under 1 percent (the whole trial is biased low)', async (users, requests) => {
    const bias = await drainBias(users, requests, 200);
    console.log(
      `drain bias ${users} users/${requests} requests: window ${(bias.window * 100).toFixed(2)}%, whole trial ${(bias.whole * 100).toFixed(2)}%`,
    );
    expect(Math.abs(bias.window)).toBeLessThan(0.01);
    expect(bias.whole).toBeLessThan(-0.02);
  });
});
