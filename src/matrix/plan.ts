/**
 * The order of measurement (pure). Rows run in the configured order (changing max_batch means
 * a reload, which is expensive); within a row the trials of all its cells are shuffled with a
 * seeded RNG, so slow drift of the machine spreads over every cell instead of biasing the
 * cells measured last (docs/architecture.md#config `trials`). With `row-rounds` N > 1 each
 * cell's trials are spread over N rounds that visit every row in turn (`planRowRounds`,
 * docs/answers.md#measuring-rows-interleaved), so drift between rows spreads over every row too.
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
  return shuffle(plan, createRng(deriveSeed(seed, `row:${maxBatch}`)));
}

/** Fisher-Yates in place; returns `items`. */
function shuffle<T>(items: T[], rng: ReturnType<typeof createRng>): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = nextInt(rng, i + 1);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

/** One trial of a row visit: which users column, in which round. */
export interface VisitTrial {
  readonly users: number;
  /** 0-based round this trial belongs to. */
  readonly round: number;
}

/** One visit of a row in row rounds: the row is put at its max_batch once and measures these trials. */
export interface RowVisit {
  readonly maxBatch: number;
  /** The visit's trials, shuffled (seeded). */
  readonly trials: readonly VisitTrial[];
  /** The row's last visit: re-runs of unstable cells and the capacity probe happen there. */
  readonly isLast: boolean;
}

/** Trials of one cell in round `round` (0-based) of `rounds`: `trials` spread as evenly as possible, the later rounds taking the extra ones. */
export function trialsInRound(trials: number, rounds: number, round: number): number {
  return Math.floor((trials * (round + 1)) / rounds) - Math.floor((trials * round) / rounds);
}

/**
 * The visits of `rowRounds` rounds over `rows` (docs/answers.md#measuring-rows-interleaved):
 * each round visits every row once, in the configured order in even rounds and reversed in odd
 * ones, so the row that ends a round starts the next and the two visits become one (one change
 * of max_batch fewer per round, and linear drift cancels between rows). A visit measures each
 * cell's share of the round's trials (`trialsInRound`), shuffled. Every cell gets `trials`.
 */
export function planRowRounds(
  rows: readonly number[],
  users: readonly number[],
  plan: { readonly trials: number; readonly rowRounds: number; readonly seed: number },
): RowVisit[] {
  const visits: { maxBatch: number; trials: VisitTrial[] }[] = [];
  for (let round = 0; round < plan.rowRounds; round++) {
    const order = round % 2 === 0 ? rows : [...rows].reverse();
    const share = trialsInRound(plan.trials, plan.rowRounds, round);
    for (const maxBatch of order) {
      const trials = users.flatMap((u) => Array.from({ length: share }, () => ({ users: u, round })));
      const last = visits.at(-1);
      if (last?.maxBatch === maxBatch) last.trials.push(...trials);
      else visits.push({ maxBatch, trials });
    }
  }
  return visits.map((visit, index) => ({
    maxBatch: visit.maxBatch,
    trials: shuffle(visit.trials, createRng(deriveSeed(plan.seed, `row-rounds:${visit.maxBatch}:${index}`))),
    isLast: !visits.slice(index + 1).some((later) => later.maxBatch === visit.maxBatch),
  }));
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
