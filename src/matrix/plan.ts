/**
 * The order of measurement (pure). Rows run in the configured order (changing max_batch means
 * a reload, which is expensive); within a row the trials of all its cells are shuffled with a
 * seeded RNG, so slow drift of the machine spreads over every cell instead of biasing the
 * cells measured last (docs/architecture.md#config `trials`).
 */
import { createRng, deriveSeed, nextInt } from '../rng.js';

/** One trial to run: which users column, which trial of that cell. */
export interface PlannedTrial {
  readonly users: number;
  /** 0-based index of this trial within its cell. */
  readonly trial: number;
}

/** Shuffled trials of one row (Fisher-Yates over `users × trials`). */
export function planRow(maxBatch: number, users: readonly number[], trials: number, seed: number): PlannedTrial[] {
  const plan: PlannedTrial[] = [];
  for (const u of users) for (let t = 0; t < trials; t++) plan.push({ users: u, trial: t });
  const rng = createRng(deriveSeed(seed, `row:${maxBatch}`));
  for (let i = plan.length - 1; i > 0; i--) {
    const j = nextInt(rng, i + 1);
    const a = plan[i] as PlannedTrial;
    plan[i] = plan[j] as PlannedTrial;
    plan[j] = a;
  }
  return plan;
}

/** The rows a shard runs (docs/architecture.md#comparison-store-and-reports): every `count`-th row starting at `index` (1-based). */
export function shardRows(
  maxBatch: readonly number[],
  shard: { readonly index: number; readonly count: number },
): number[] {
  return maxBatch.filter((_, i) => i % shard.count === shard.index - 1);
}

/** Warm-up requests of a cell: the configured number, or `max(32, 2 × users)`. */
export function warmupRequests(configured: number | undefined, users: number): number {
  return configured ?? Math.max(32, 2 * users);
}
