/**
 * Pairs head and base trials by round (pure): the input of `comparePaired`
 * (docs/statistics.md §11). A round counts only when both sides' trials in it succeeded.
 */
import type { PairedCellInput } from '../model/paired-comparison.js';
import type { RunResult, Trial } from '../model/run-result.js';

/** One cell's complete rounds. */
export function pairedInputOf(
  maxBatch: number,
  users: number,
  head: readonly Trial[],
  base: readonly Trial[],
): PairedCellInput {
  const baseByRound = new Map<number, Trial>();
  for (const trial of base) {
    if (trial.round !== undefined && trial.errors === 0) baseByRound.set(trial.round, trial);
  }
  const rounds = head.flatMap((trial) => {
    const other = trial.round === undefined ? undefined : baseByRound.get(trial.round);
    if (trial.errors > 0 || other === undefined || trial.round === undefined) return [];
    return [{ round: trial.round, head: trial.dps, base: other.dps }];
  });
  return { maxBatch, users, rounds };
}

/** Every head cell of a paired run with its base cell's rounds; `[]` for an unpaired run. */
export function pairedInputsOf(run: RunResult): PairedCellInput[] {
  const base = run.base;
  if (base === undefined) return [];
  return run.cells.flatMap((cell) => {
    if (cell.status === 'failed') return [];
    const other = base.cells.find((b) => b.maxBatch === cell.maxBatch && b.users === cell.users);
    return other === undefined ? [] : [pairedInputOf(cell.maxBatch, cell.users, cell.trials, other.trials)];
  });
}
