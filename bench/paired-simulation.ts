/**
 * Seeded replay of paired mode's statistics (docs/gate-quality.md, "Paired mode"): rows of
 * cells measured round by round with the same sequential rule as `measure-paired-row.ts`
 * (after min-rounds only `unknown` cells of a row get more rounds), then the run's comparison,
 * as `compare-paired-run.ts` makes it. No server: the per-round log ratios come from a noise
 * model, e.g. the centred ratios measured in live A/A runs, plus a fixed change.
 */
import type { Config } from '../src/config/config.js';
import type { PairedCellInput } from '../src/model/paired-comparison.js';
import { createRng, nextInt, type Rng } from '../src/rng.js';
import { comparePaired } from '../src/stats/compare-paired.js';

/** Draws one round's log-ratio noise of cell `cell` (row-major index over max_batch × users). */
export type PairedNoise = (cell: number, rng: Rng) => number;

/** What a batch of simulated runs gave. */
export interface SimulatedRate {
  /** Share of runs whose gate failed (a regressed cell or whole-matrix line). */
  readonly failed: number;
  /** Mean complete rounds per cell. */
  readonly meanRounds: number;
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Gaussian noise at standard deviation `sds[cell]` (the last one for cells beyond the list). */
export function gaussianNoise(sds: readonly number[]): PairedNoise {
  return (cell, rng) => (sds[Math.min(cell, sds.length - 1)] ?? 0) * gaussian(rng);
}

/**
 * Resamples each cell's own measured residuals with a random sign (sides are exchangeable in
 * an A/A run, so the noise is symmetric): keeps the measured tails and the cells' different
 * spreads, which a single Gaussian does not.
 */
export function replayedNoise(residuals: readonly (readonly number[])[]): PairedNoise {
  return (cell, rng) => {
    const pool = residuals[cell] ?? [];
    if (pool.length === 0) return 0;
    const value = pool[nextInt(rng, pool.length)] ?? 0;
    return rng.next() < 0.5 ? -value : value;
  };
}

/** `runs` seeded paired runs of `config`'s matrix with head `1 + change` times base. */
export function simulatePaired(
  config: Config,
  noise: PairedNoise,
  change: number,
  runs: number,
  seed: number,
): SimulatedRate {
  const { maxBatch, users } = config.matrix;
  const { minRounds, maxRounds } = config.paired;
  const looks = maxRounds - minRounds + 1;
  const shift = Math.log(1 + change);
  const rng = createRng(seed);
  let failed = 0;
  let rounds = 0;
  for (let run = 0; run < runs; run++) {
    const cells: PairedCellInput[] = [];
    maxBatch.forEach((batch, row) => {
      const ratios = users.map(() => [] as number[]);
      const inputs = (): PairedCellInput[] =>
        ratios.map((list, column) => ({
          maxBatch: batch,
          users: users[column] ?? 0,
          rounds: list.map((value, round) => ({ round, head: Math.exp(value), base: 1 })),
        }));
      let active = users.map((_, column) => column);
      for (let round = 0; round < maxRounds && active.length > 0; round++) {
        for (const column of active) ratios[column]?.push(shift + noise(row * users.length + column, rng));
        if (round + 1 < minRounds) continue;
        const result = comparePaired(inputs(), {
          ...config.gate,
          seed: run,
          resamples: 200,
          looks,
          withOverall: false,
        });
        active = active.filter((column) => result.cells[column]?.verdict === 'unknown');
      }
      cells.push(...inputs());
    });
    const result = comparePaired(cells, { ...config.gate, seed: run, resamples: 500, looks, permutations: 1000 });
    if (result.cells.some((cell) => cell.verdict === 'regressed') || result.overall?.verdict === 'regressed') failed++;
    rounds += cells.reduce((sum, cell) => sum + cell.rounds.length, 0) / cells.length;
  }
  return { failed: failed / runs, meanRounds: rounds / runs };
}

/** Shape of a measured matrix. */
export interface MeasuredMatrix {
  readonly maxBatch: readonly number[];
  readonly users: readonly number[];
}

/**
 * For each cell of `target` (row-major), the row-major index of the `measured` cell nearest in
 * max_batch and in users (both in log scale).
 */
export function nearestCellIndices(measured: MeasuredMatrix, target: Config): number[] {
  const nearest = (values: readonly number[], value: number): number => {
    const distance = (candidate: number): number => Math.abs(Math.log(Math.max(candidate, 1) / Math.max(value, 1)));
    return values.reduce(
      (best, candidate, index) => (distance(candidate) < distance(values[best] ?? 1) ? index : best),
      0,
    );
  };
  return target.matrix.maxBatch.flatMap((batch) =>
    target.matrix.users.map(
      (u) => nearest(measured.maxBatch, batch) * measured.users.length + nearest(measured.users, u),
    ),
  );
}

/** `noise` of a `measured` matrix replayed on `target`'s, each cell drawing its nearest measured cell's. */
export function nearestCellNoise(measured: MeasuredMatrix, target: Config, noise: PairedNoise): PairedNoise {
  const map = nearestCellIndices(measured, target);
  return (cell, rng) => noise(map[cell] ?? 0, rng);
}
