// measurePairedRow over the simulated transport (virtual clock, no sockets): every cell gets
// min-rounds rounds with one trial per side, side order drawn per cell and round, cells
// decided `same` stop at min-rounds, and undecided ones get more rounds up to max-rounds.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';
import { measurePairedRow } from '../../../src/matrix/measure-paired-row.js';
import type { Cell } from '../../../src/model/run-result.js';
import { createSimulatedTransport } from '../load/simulated-transport.js';

const HEAD = new Uint8Array([1]);
const BASE = new Uint8Array([2]);

function settings(minRounds: string, maxRounds: string, extra: Record<string, string> = {}) {
  return parseConfig({
    ...extra,
    model: 'm',
    'baseline-model': 'b',
    'max-batch': '8',
    users: '1,2,3',
    requests: '8',
    'warmup-requests': '0',
    'min-rounds': minRounds,
    'max-rounds': maxRounds,
  });
}

async function measure(
  latencyMs: (index: number) => number,
  minRounds: string,
  maxRounds: string,
  extra: Record<string, string> = {},
) {
  const transport = createSimulatedTransport({ latencyMs });
  const side = { transport, readStats: () => Promise.resolve(undefined) };
  return measurePairedRow(
    settings(minRounds, maxRounds, extra),
    8,
    {
      sides: { head: { ...side, request: HEAD }, base: { ...side, request: BASE } },
      signal: new AbortController().signal,
      clock: transport.clock,
      now: () => new Date(0),
      requestTimeoutMs: 1000,
      onTrial: () => undefined,
    },
    0,
  );
}

function rounds(cell: Cell): number[] {
  return cell.trials.map((trial) => trial.round ?? -1);
}

describe('measurePairedRow', () => {
  it('measures each cell once per side per round, side order varying, and stops same cells at min-rounds', async () => {
    const result = await measure(() => 2, '5', '9');
    expect(result.isAborted).toBe(false);
    let headFirst = 0;
    result.head.forEach((cell, index) => {
      const base = result.base[index] as Cell;
      expect(rounds(cell)).toEqual([0, 1, 2, 3, 4]);
      expect(rounds(base)).toEqual([0, 1, 2, 3, 4]);
      cell.trials.forEach((trial, round) => {
        if (trial.order < (base.trials[round]?.order ?? 0)) headFirst++;
        expect(trial.startedAt).toBe('1970-01-01T00:00:00.000Z');
      });
    });
    // 15 cell-rounds, each side first with probability 1/2 (seeded): both orders occur.
    expect(headFirst).toBeGreaterThan(0);
    expect(headFirst).toBeLessThan(15);
  });

  it('with trial-seconds, runs each side for the window, as stored mode does, not for `requests`', async () => {
    // 2 ms per request: a 0.1 s window at 1 user holds about 50 replies, far more than 8 requests.
    const result = await measure(() => 2, '3', '3', { 'trial-seconds': '0.1' });
    for (const cell of [...result.head, ...result.base]) {
      for (const trial of cell.trials) {
        expect(trial.seconds).toBeGreaterThanOrEqual(0.1);
        expect(trial.requests).toBeGreaterThan(8 * cell.users);
      }
    }
  });

  it('gives undecided cells more rounds, up to max-rounds', async () => {
    // Latencies jump around a lot: no cell's interval fits inside ±5% after 5 rounds.
    const result = await measure((index) => 1 + ((index * 7919) % 13), '5', '7');
    for (const cell of result.head) {
      expect(rounds(cell).length).toBeGreaterThan(5);
      expect(rounds(cell).length).toBeLessThanOrEqual(7);
    }
  });

  it('with the latency gate on, a cell whose p99 is undecided gets more rounds though its dps is decided', async () => {
    // 400 requests of 20 ms, every 50th one slower by a varying 0–24 ms: the trials' p99 swings
    // by up to 120% while their dps moves by under 3%.
    const slowEvery50th = (index: number): number =>
      index % 50 === 7 ? 20 + ((Math.floor(index / 50) * 7919) % 13) * 2 : 20;
    const roundsWith = async (gate: string): Promise<number[]> => {
      const config = parseConfig({
        model: 'm',
        'baseline-model': 'b',
        'max-batch': '8',
        users: '1,2',
        requests: '400',
        'warmup-requests': '0',
        'min-rounds': '5',
        'max-rounds': '8',
        'latency-gate': gate,
      });
      const transport = createSimulatedTransport({ latencyMs: slowEvery50th });
      const side = { transport, readStats: () => Promise.resolve(undefined) };
      const result = await measurePairedRow(
        config,
        8,
        {
          sides: { head: { ...side, request: HEAD }, base: { ...side, request: BASE } },
          signal: new AbortController().signal,
          clock: transport.clock,
          now: () => new Date(0),
          requestTimeoutMs: 1000,
          onTrial: () => undefined,
        },
        0,
      );
      return result.head.map((cell) => cell.trials.length);
    };
    expect(await roundsWith('off')).toEqual([5, 5]);
    const withLatency = await roundsWith('p99');
    expect(Math.max(...withLatency)).toBeGreaterThan(5);
  });

  it("stops the row when a side's trial has errors and that side's server is gone, asking about that side only", async () => {
    const head = createSimulatedTransport({ latencyMs: () => 2 });
    const base = createSimulatedTransport({
      latencyMs: () => 2,
      outcome: (i) => (i >= 3 ? { status: 'UNAVAILABLE', message: 'gone' } : null),
    });
    const asked: string[] = [];
    const result = await measurePairedRow(
      settings('5', '9'),
      8,
      {
        sides: {
          head: { transport: head, readStats: () => Promise.resolve(undefined), request: HEAD },
          base: { transport: base, readStats: () => Promise.resolve(undefined), request: BASE },
        },
        signal: new AbortController().signal,
        clock: head.clock,
        now: () => new Date(0),
        requestTimeoutMs: 1000,
        onTrial: () => undefined,
        checkServer: (side) => {
          asked.push(side);
          return Promise.resolve(side === 'base' ? 'the server stopped answering: gone' : undefined);
        },
      },
      0,
    );
    expect(result.lostServer).toBe('the server stopped answering: gone');
    expect(asked).toEqual(['base']);
    const baseTrials = result.base.flatMap((cell) => cell.trials);
    expect(baseTrials).toHaveLength(1);
    expect(baseTrials[0]?.errors).toBeGreaterThan(0);
    expect(result.isAborted).toBe(false);
  });
});
