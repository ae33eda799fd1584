import { describe, expect, it } from 'vitest';
import { mergeConfirmation } from '../../../src/stats/merge-confirmation.js';
import { cell, run, trial } from './fixtures.js';

describe('mergeConfirmation', () => {
  const first = run('c', [
    cell({ maxBatch: 8, users: 1, dps: [100, 102, 98] }),
    cell({ maxBatch: 8, users: 2, dps: [200, 190, 210], erroredDps: [50] }),
  ]);

  it('pools the re-measured trials and recomputes medians and CV over successful ones', () => {
    const rerun = { ...cell({ maxBatch: 8, users: 2, dps: [180, 185], erroredDps: [10] }), reruns: 1 };
    const merged = mergeConfirmation(first, [rerun]);
    const pooled = merged.cells[1];
    expect(pooled?.trials).toHaveLength(7);
    // Successful dps: 180 185 190 200 210 → median 190; errored 50 and 10 never count.
    expect(pooled).toMatchObject({ dpsMedian: 190, rpsMedian: 190, reruns: 1, isConfirmation: true });
    const values = [180, 185, 190, 200, 210];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    expect(pooled?.cv).toBeCloseTo(sd / mean, 12);
    // Latency stays that of the first measurement.
    expect(pooled?.latencyMs).toEqual(first.cells[1]?.latencyMs);
  });

  it('leaves other cells and the input run untouched', () => {
    const merged = mergeConfirmation(first, [cell({ maxBatch: 8, users: 1, dps: [90] })]);
    expect(merged.cells[1]).toBe(first.cells[1]);
    expect(first.cells[0]?.trials).toHaveLength(3);
    expect(merged.cells[0]?.trials).toHaveLength(4);
    expect(merged.cells[0]?.dpsMedian).toBe(99);
  });

  it('keeps the cell and its medians when every re-measured trial errored', () => {
    const failedRerun = {
      ...cell({ maxBatch: 8, users: 1, dps: [] }),
      trials: [trial(1, 480)],
      status: 'failed' as const,
    };
    const merged = mergeConfirmation(first, [failedRerun]);
    expect(merged.cells[0]).toMatchObject({ status: 'ok', dpsMedian: 100, isConfirmation: true });
  });

  it('rejects a re-measured cell that is not in the run (a pipeline bug)', () => {
    expect(() => mergeConfirmation(first, [cell({ maxBatch: 64, users: 1, dps: [1] })])).toThrow(/64x1/);
  });
});
