// gate-metric: responses (docs/statistics.md, "Gate metric"): trials, runs and stored baselines
// as responses/s, so that the dps comparisons judge a decoupled model's responses/s; refused for a
// run that has none.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import type { HistoryPoint } from '../../../src/model/comparison.js';
import type { Cell, RunResult, Trial } from '../../../src/model/run-result.js';
import { evaluateRun } from '../../../src/pipeline.js';
import { responsesBaselineOf, responsesRunOf, responsesTrial } from '../../../src/stats/gate-metric.js';
import { baseline, cell, run, trial } from './fixtures.js';

const TIMES = { p50: 1, p90: 2, p99: 3 };

/** A trial of a decoupled model: `dps` requests × items/s and `responsesPerSecond`. */
function streamTrial(dps: number, responsesPerSecond: number, order = 0): Trial {
  return {
    ...trial(dps, 0, order),
    stream: {
      responses: Math.round(responsesPerSecond),
      responsesPerSecond,
      responsesPerRequest: responsesPerSecond / dps,
      firstResponseMs: TIMES,
      betweenResponsesMs: TIMES,
      emptyFinals: 480,
      zeroResponseRequests: 0,
    },
  };
}

/** A decoupled run whose every cell has trials of `dps` and `responses` (per trial). */
function streamRun(id: string, dps: readonly number[], responses: readonly number[]): RunResult {
  const cells: Cell[] = [1, 4].map((users) => ({
    ...cell({ maxBatch: 8, users, dps }),
    trials: dps.map((value, index) => streamTrial(value, responses[index] ?? 0, index)),
  }));
  const plain = run(id, cells);
  return { ...plain, method: { ...plain.method, protocol: 'ModelStreamInfer' } };
}

describe('responses/s in place of dps', () => {
  it('a trial carries its responses/s as dps; one without stream figures counts as failed', () => {
    expect(responsesTrial(streamTrial(100, 400))).toMatchObject({ dps: 400, errors: 0 });
    expect(responsesTrial(trial(100))).toMatchObject({ dps: 100, errors: 1 });
  });

  it("a run's cells (and its base side's) get the median of their trials' responses/s", () => {
    const current = streamRun('r', [100, 101, 99], [400, 380, 390]);
    const paired: RunResult = {
      ...current,
      base: { model: 'b', serverAddress: 'x', minRounds: 3, maxRounds: 3, cells: current.cells },
    };
    const judged = responsesRunOf(paired);
    expect(judged.cells.map((c) => c.dpsMedian)).toEqual([390, 390]);
    expect(judged.base?.cells.map((c) => c.dpsMedian)).toEqual([390, 390]);
  });

  it('history points give their responses/s medians as cell figures; points without them give none', () => {
    const withResponses: HistoryPoint = {
      runId: 'a',
      startedAt: '2026-01-01T00:00:00Z',
      bestDps: { '8': 100 },
      cellDps: { '8x1': 100 },
      cellResponses: { '8x1': 400 },
    };
    const without: HistoryPoint = { ...withResponses, runId: 'b', cellResponses: undefined };
    const { history } = responsesBaselineOf({ ...baseline([]), history: [withResponses, without] });
    expect(history[0]?.cellDps).toEqual({ '8x1': 400 });
    expect(history[0]?.bestDps).toEqual({ '8': 100 });
    expect(history[1]?.cellDps).toBeUndefined();
  });
});

describe('evaluateRun with gate-metric: responses (stored mode)', () => {
  const config = (metric: string): ReturnType<typeof parseConfig> =>
    parseConfig({ model: 'demo', 'max-batch': '8', 'gate-metric': metric });
  const dps = [100, 102, 98, 101, 99];
  const stored = baseline([
    streamRun('b1', dps, [400, 408, 392, 404, 396]),
    streamRun('b2', dps, [401, 407, 393, 403, 397]),
    streamRun('b3', dps, [399, 409, 391, 405, 395]),
  ]);
  // dps unchanged, responses/s 30% lower (fewer responses per request).
  const current = streamRun('c', dps, [280, 286, 274, 283, 277]);

  it('judges responses/s: the cells regress on it while their dps holds', () => {
    const onResponses = evaluateRun(current, stored, config('responses'));
    expect(onResponses.comparison.gateMetric).toBe('responses');
    expect(onResponses.comparison.cells.map((c) => c.verdict)).toEqual(['regressed', 'regressed']);
    expect(onResponses.comparison.cells[0]?.delta).toBeCloseTo(-0.3, 2);
    // The report shows the run as measured: its dps, under the responses/s verdicts.
    expect(onResponses.comparison.run).toBe(onResponses.run);
    expect(onResponses.report.markdown).toContain("#### Responses/s (the gate's metric, gate-metric: responses");
    const onDps = evaluateRun(current, stored, config('dps'));
    expect(onDps.comparison.cells.map((c) => c.verdict)).not.toContain('regressed');
  });

  it('refuses a run without responses/s (not decoupled), naming gate-metric', () => {
    const unary: RunResult = { ...current, method: { ...current.method, protocol: undefined } };
    const evaluate = (): unknown => evaluateRun(unary, stored, config('responses'));
    expect(evaluate).toThrow(ConfigError);
    expect(evaluate).toThrow("input 'gate-metric': got 'responses', expected dps for model 'demo'");
  });
});
