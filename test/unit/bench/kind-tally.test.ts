// bench:kinds' tally (docs/models.md#our-counts-against-tritons): window counts summed over a
// kind's trials, ratios against Triton's, and the 2 % verdict per row.
import { describe, expect, it } from 'vitest';
import type { KindCase } from '../../../bench/kind-cases.js';
import { kindRow, tallyKind } from '../../../bench/kind-tally.js';
import { createLatencyHistogram } from '../../../src/load/latency-histogram.js';
import type { MeasuredTrial } from '../../../src/matrix/measure-trial.js';
import { ZERO_COUNTERS } from '../../../src/matrix/server-stats.js';

const TOKENS: KindCase = {
  kind: 'decoupled',
  model: 'stream_tokens',
  users: 4,
  itemsPerRequest: 1,
  responsesPerRequest: 5,
};
const BATCHING: KindCase = { kind: 'batching', model: 'demo_onnx', users: 4, itemsPerRequest: 2 };

/** A trial: `ok` requests answered in its window (of `sent` in all), and Triton's window counts. */
function trialOf(
  kindCase: KindCase,
  figures: { ok: number; sent: number; responses?: number; success: number; tritonSent: number; executions: number },
): MeasuredTrial {
  const items = figures.ok * kindCase.itemsPerRequest;
  return {
    trial: {
      requests: figures.sent,
      items,
      seconds: 4,
      dps: items / 4,
      rps: figures.ok / 4,
      errors: 0,
      errorsByStatus: {},
      latencyMs: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 },
      order: 0,
      wallSeconds: 5,
      isSteady: true,
      ...(figures.responses === undefined
        ? {}
        : {
            stream: {
              responses: figures.responses,
              responsesPerSecond: figures.responses / 4,
              responsesPerRequest: 5,
              firstResponseMs: { p50: 1, p90: 1, p99: 1 },
              betweenResponsesMs: { p50: 1, p90: 1, p99: 1 },
              emptyFinals: figures.sent,
              zeroResponseRequests: 0,
            },
          }),
    },
    histogram: createLatencyHistogram(),
    serverDelta: { ...ZERO_COUNTERS, successCount: figures.tritonSent },
    windowDelta: {
      ...ZERO_COUNTERS,
      successCount: figures.success,
      inferenceCount: figures.success * kindCase.itemsPerRequest,
      executionCount: figures.executions,
    },
    isAborted: false,
  };
}

describe('tallyKind and kindRow', () => {
  it('sums the windows, and the model sent its responses per request for every Triton success', () => {
    const tally = tallyKind(TOKENS, [
      trialOf(TOKENS, { ok: 100, sent: 110, responses: 500, success: 100, tritonSent: 110, executions: 30 }),
      trialOf(TOKENS, { ok: 201, sent: 220, responses: 1006, success: 200, tritonSent: 220, executions: 60 }),
    ]);
    expect(tally).toMatchObject({
      windows: 2,
      ours: { requests: 301, items: 301, responses: 1506 },
      triton: { successes: 300, inferences: 300, executions: 90 },
      isWholeTrialExact: true,
    });
    expect(tally.worstTrialDeviation).toBeCloseTo(0.005, 9);
    expect(kindRow(TOKENS, tally)).toBe(
      '| decoupled | stream_tokens | 4 × 1 | 2/2 | 301 | 300 | 1.0033 | 301 | 300 | 1.0033 | 90 (3.33) | 1506 | 1500 | 1.0040 | 0.50 % | yes | yes |\n',
    );
  });

  it('fails the row when one window is off by more than 2 %, or a whole trial is not exact', () => {
    const tally = tallyKind(BATCHING, [
      trialOf(BATCHING, { ok: 1000, sent: 1100, success: 1000, tritonSent: 1100, executions: 250 }),
      trialOf(BATCHING, { ok: 103, sent: 120, success: 100, tritonSent: 119, executions: 25 }),
    ]);
    // Summed, 1103 / 1100 is within 2 %; the second window (3 %) is not.
    expect(kindRow(BATCHING, tally)).toBe(
      '| batching | demo_onnx | 4 × 2 | 2/2 | 1103 | 1100 | 1.0027 | 2206 | 2200 | 1.0027 | 275 (8.00) | – | – | – | 3.00 % | **no** | **no** |\n',
    );
  });
});
