/**
 * Seeded replay of the latency gate in paired mode (docs/gate-quality.md, "Latency gate"): rows
 * of cells measured round by round with the sequential rule of `measure-paired-row.ts` (after
 * min-rounds, a cell gets another round while its dps or its latency verdict is `unknown`), then
 * the final comparisons as `compare-paired-run.ts` and `compare-latency.ts` make them, through
 * the same functions. Each round draws one measured A/A round of the cell (its dps and latency
 * log ratios together, so their correlation is kept) with a random sign, plus the simulated
 * change of the latency.
 */
import type { Config } from '../src/config/config.js';
import type { PairedCellInput } from '../src/model/paired-comparison.js';
import { createRng, nextInt, type Rng } from '../src/rng.js';
import { comparePaired } from '../src/stats/compare-paired.js';
import { rateDropOf } from '../src/stats/compare-latency.js';
import type { FigureVector } from './latency-noise-file.js';

/** A simulated change: the latency of `cells` (all when absent) rises by `rise`. */
export interface LatencyChange {
  readonly rise: number;
  /** Row-major indices of the changed cells; all cells when absent. */
  readonly cells?: ReadonlySet<number>;
}

/** What a batch of simulated paired runs gave. */
export interface PairedLatencyRate {
  /** Share of runs in which some cell's latency regressed (the latency gate failed). */
  readonly latencyFailed: number;
  /** Share of runs in which the dps gate failed (a cell or the whole matrix). */
  readonly dpsFailed: number;
  /** Share of runs that failed either way. */
  readonly eitherFailed: number;
  /** Share of runs in which a changed cell's latency regressed (one-cell changes). */
  readonly changedCaught: number;
  /** Share of runs in which an unchanged cell's latency regressed. */
  readonly wrongCell: number;
  readonly meanRounds: number;
}

interface CellRounds {
  readonly dps: number[];
  readonly latency: number[];
}

/** Draws a measured round of `pool` with a random sign (the sides of an A/A run are exchangeable). */
function draw(pool: readonly FigureVector[], rng: Rng, figure: number): { dps: number; latency: number } {
  const vector = pool[nextInt(rng, pool.length)] ?? [];
  const sign = rng.next() < 0.5 ? -1 : 1;
  return { dps: sign * (vector[0] ?? 0), latency: sign * (vector[figure] ?? 0) };
}

function dpsInputs(batch: number, users: readonly number[], cells: readonly CellRounds[]): PairedCellInput[] {
  return cells.map((cell, column) => ({
    maxBatch: batch,
    users: users[column] ?? 0,
    rounds: cell.dps.map((value, round) => ({ round, head: Math.exp(value), base: 1 })),
  }));
}

/** Latency as a rate (compare-latency.ts): the head's rate is `e^−ln(latency ratio)`. */
function rateInputs(batch: number, users: readonly number[], cells: readonly CellRounds[]): PairedCellInput[] {
  return cells.map((cell, column) => ({
    maxBatch: batch,
    users: users[column] ?? 0,
    rounds: cell.latency.map((value, round) => ({ round, head: Math.exp(-value), base: 1 })),
  }));
}

/**
 * `runs` seeded paired runs of `config`'s matrix (its `gate.latency` must be set). `pools[cell]`
 * are the measured A/A rounds of each cell (row-major), `figure` the index of the watched
 * percentile in their vectors.
 */
export function simulatePairedLatency(
  config: Config,
  pools: readonly (readonly FigureVector[])[],
  figure: number,
  change: LatencyChange,
  options: { readonly runs: number; readonly seed: number },
): PairedLatencyRate {
  const latency = config.gate.latency;
  if (latency === undefined) throw new Error('simulatePairedLatency: latency-gate is off');
  const { maxBatch, users } = config.matrix;
  const { minRounds, maxRounds } = config.paired;
  const looks = maxRounds - minRounds + 1;
  const gate = { alpha: config.gate.alpha, minEffect: config.gate.minEffect, policy: config.gate.policy };
  const rateGate = { ...gate, minEffect: rateDropOf(latency.minEffect), figure: latency.percentile };
  const shift = Math.log(1 + change.rise);
  const rng = createRng(options.seed);
  const tally = { latency: 0, dps: 0, either: 0, caught: 0, wrong: 0, rounds: 0 };
  for (let run = 0; run < options.runs; run++) {
    const dps: PairedCellInput[] = [];
    const rates: PairedCellInput[] = [];
    maxBatch.forEach((batch, row) => {
      const cells: CellRounds[] = users.map(() => ({ dps: [], latency: [] }));
      let active = users.map((_, column) => column);
      for (let round = 0; round < maxRounds && active.length > 0; round++) {
        for (const column of active) {
          const index = row * users.length + column;
          const sample = draw(pools[index] ?? [], rng, figure);
          const isChanged = change.cells === undefined || change.cells.has(index);
          cells[column]?.dps.push(sample.dps);
          cells[column]?.latency.push(sample.latency + (isChanged ? shift : 0));
        }
        if (round + 1 < minRounds) continue;
        const sequential = { seed: run, resamples: 200, looks, withOverall: false };
        const byDps = comparePaired(dpsInputs(batch, users, cells), { ...gate, ...sequential });
        const byLatency = comparePaired(rateInputs(batch, users, cells), { ...rateGate, ...sequential });
        active = active.filter(
          (column) => byDps.cells[column]?.verdict === 'unknown' || byLatency.cells[column]?.verdict === 'unknown',
        );
      }
      dps.push(...dpsInputs(batch, users, cells));
      rates.push(...rateInputs(batch, users, cells));
    });
    const final = { seed: run, resamples: 500, looks };
    const byDps = comparePaired(dps, { ...gate, ...final, permutations: 1000 });
    const byLatency = comparePaired(rates, { ...rateGate, ...final, withOverall: false });
    const regressed = byLatency.cells.flatMap((cell, index) => (cell.verdict === 'regressed' ? [index] : []));
    const isDps = byDps.cells.some((cell) => cell.verdict === 'regressed') || byDps.overall?.verdict === 'regressed';
    tally.latency += regressed.length > 0 ? 1 : 0;
    tally.dps += isDps ? 1 : 0;
    tally.either += regressed.length > 0 || isDps ? 1 : 0;
    if (change.cells !== undefined) {
      tally.caught += regressed.some((index) => change.cells?.has(index) === true) ? 1 : 0;
      tally.wrong += regressed.some((index) => change.cells?.has(index) !== true) ? 1 : 0;
    }
    tally.rounds += dps.reduce((sum, cell) => sum + cell.rounds.length, 0) / dps.length;
  }
  const share = (count: number): number => count / options.runs;
  return {
    latencyFailed: share(tally.latency),
    dpsFailed: share(tally.dps),
    eitherFailed: share(tally.either),
    changedCaught: share(tally.caught),
    wrongCell: share(tally.wrong),
    meanRounds: tally.rounds / options.runs,
  };
}
