// The gate fails closed (docs/reliability.md, "Exit codes and verdicts"): a paired cell the
// server killed on both sides is this run's failure, a known broken row is not; a store that
// could not be read, or a write that was lost, fails the run whatever the cells say.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/model/run-result.js';
import { comparePairedRun } from '../../../src/stats/compare-paired-run.js';
import { decideGate, withRunFailure } from '../../../src/stats/decide-gate.js';
import { baseline, cell, DEFAULT_GATE, run } from './fixtures.js';

const DPS = [100, 101, 99, 100, 102];
const failed = (maxBatch: number, users: number, message: string) =>
  cell({ maxBatch, users, dps: [], status: 'failed', message });

/** A paired run: row 8 measured on both sides; row 16 failed on both sides with `message`. */
function pairedRun(message: string, baseMessage?: string): RunResult {
  const head = [cell({ maxBatch: 8, users: 1, dps: DPS }), failed(16, 1, message)];
  const rounds = head.map((c) => ({ ...c, trials: c.trials.map((t, i) => ({ ...t, round: i })) }));
  return {
    ...run('paired', rounds),
    rows: [
      { maxBatch: 8, model: 'demo', status: 'ok', applySeconds: 1 },
      {
        maxBatch: 16,
        model: 'demo',
        status: 'failed',
        message,
        applySeconds: 1,
        ...(baseMessage === undefined ? {} : { baseMessage }),
      },
    ],
    base: { model: 'demo__base', serverAddress: 'h:1', minRounds: 5, maxRounds: 5, cells: rounds },
  };
}

function gateOf(paired: RunResult) {
  const comparison = comparePairedRun(paired, baseline([]), DEFAULT_GATE, { seed: 1, resamples: 50 });
  return decideGate(comparison, 'regression', false);
}

describe('paired: who failed a cell', () => {
  it('a row both sides failed because the server died counts: failure, exit 1', () => {
    const gate = gateOf(pairedRun('the server stopped answering: ServerLive failed with UNAVAILABLE'));
    expect(gate).toMatchObject({ verdict: 'failure', shouldFail: true, failedCells: ['16x1'] });
    expect(gate.message).not.toContain('also failed in the baseline');
  });

  it('a row only the head fails counts', () => {
    expect(gateOf(pairedRun('demo: max_batch 16 did not load')).shouldFail).toBe(true);
  });

  it('a row the base side could not load either is a known broken row: reported, not counted', () => {
    const gate = gateOf(pairedRun('demo: refused', 'demo__base: refused'));
    expect(gate).toMatchObject({ verdict: 'failure', shouldFail: false, failedCells: [] });
    expect(gate.message).toContain('1 failed (1 also failed in the baseline, not counted)');
  });
});

describe('run failures', () => {
  const comparison = comparePairedRun(pairedRun('x', 'y'), baseline([]), DEFAULT_GATE, { seed: 1, resamples: 50 });

  it('a store that could not be read fails the run under every fail-on, never pass', () => {
    for (const failOn of ['regression', 'any-failure', 'never'] as const) {
      const gate = decideGate(comparison, failOn, false, {
        runFailures: ['the baseline store could not be read: 502'],
      });
      expect(gate).toMatchObject({ verdict: 'failure', shouldFail: true });
      expect(gate.message).toMatch(/^the baseline store could not be read: 502; /);
      expect(gate.runFailures).toEqual(['the baseline store could not be read: 502']);
    }
  });

  it('a lost write turns a pass into a failure, and a cancel stays a cancel', () => {
    const pass = {
      verdict: 'pass',
      shouldFail: false,
      message: 'no regression in 4 cells',
      regressedCells: [],
      toConfirm: [],
    } as const;
    expect(withRunFailure(pass, 'the result file out.json could not be written: ENOSPC')).toEqual({
      ...pass,
      verdict: 'failure',
      shouldFail: true,
      message: 'the result file out.json could not be written: ENOSPC; no regression in 4 cells',
      runFailures: ['the result file out.json could not be written: ENOSPC'],
    });
    expect(withRunFailure({ ...pass, verdict: 'cancelled', shouldFail: true }, 'lost').verdict).toBe('cancelled');
  });
});
