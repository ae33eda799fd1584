/**
 * The file `bench/latency-noise.ts` writes and `bench/latency-simulation.ts` replays: A/A runs on
 * the real server (docs/gate-quality.md, "Latency gate"), kept compact, and the noise figures
 * computed from it. Cells are row-major over `matrix` (max_batch, then users).
 */
import { readFile } from 'node:fs/promises';
import { median, medianAbsoluteDeviation } from 'simple-statistics';

/** The figures kept, in this order in every vector of the file. */
export const LATENCY_FIGURES = ['dps', 'p50', 'p90', 'p99'] as const;
export type LatencyFigure = (typeof LATENCY_FIGURES)[number];

/** One value per figure, in {@link LATENCY_FIGURES} order. */
export type FigureVector = readonly number[];

/** What the bench measured. */
export interface LatencyNoiseFile {
  readonly measuredAt: string;
  readonly command: string;
  readonly matrix: {
    readonly maxBatch: readonly number[];
    readonly users: readonly number[];
    readonly requests: number;
  };
  readonly figures: readonly LatencyFigure[];
  /** Paired A/A runs: `[run][cell][round]`, each `ln(head / base)` of every figure (4 decimals). */
  readonly paired: readonly (readonly (readonly FigureVector[])[])[];
  /** Stored-mode runs of the same model: `[run][cell][trial]`, each figure's value (4 significant digits; ms for latency). */
  readonly stored: readonly (readonly (readonly FigureVector[])[])[];
}

/** Reads a file written by bench/latency-noise.ts (trusted bench data). */
export async function readLatencyNoise(path: string): Promise<LatencyNoiseFile> {
  return JSON.parse(await readFile(path, 'utf8')) as LatencyNoiseFile;
}

const MAD_TO_SD = 1.4826;

function robustSd(values: readonly number[]): number {
  return values.length < 2 ? Number.NaN : MAD_TO_SD * medianAbsoluteDeviation([...values]);
}

function percent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '—';
}

function cellCount(file: LatencyNoiseFile): number {
  return file.matrix.maxBatch.length * file.matrix.users.length;
}

/**
 * Per paired cell, its rounds' log-ratio vectors centred on that run's median of the cell (per
 * figure): the A/A noise without a cell's offset, which a replay resamples with random signs.
 */
export function pairedResiduals(file: LatencyNoiseFile): FigureVector[][] {
  return Array.from({ length: cellCount(file) }, (_, cell) =>
    file.paired.flatMap((run) => {
      const rounds = run[cell] ?? [];
      if (rounds.length === 0) return [];
      const centres = LATENCY_FIGURES.map((_, f) => median(rounds.map((round) => round[f] ?? 0)));
      return rounds.map((round) => round.map((value, f) => value - (centres[f] ?? 0)));
    }),
  );
}

/** Per stored cell: the median within-run robust CV (log scale) and the run-to-run noise of a median. */
function storedSpreads(file: LatencyNoiseFile, f: number, cell: number): { withinRun: number; runToRun: number } {
  const perRun = file.stored.map((run) => (run[cell] ?? []).map((trial) => Math.log(trial[f] ?? 0)));
  const withinRun = perRun.filter((logs) => logs.length >= 3).map(robustSd);
  const medians = perRun.filter((logs) => logs.length > 0).map((logs) => median(logs));
  const differences = medians.flatMap((a, i) => medians.slice(i + 1).map((b) => Math.abs(a - b)));
  return {
    withinRun: withinRun.length === 0 ? Number.NaN : median(withinRun),
    runToRun: differences.length === 0 ? Number.NaN : (MAD_TO_SD * median(differences)) / Math.SQRT2,
  };
}

/** One line per figure and cell: paired per-round noise, stored within-run and run-to-run noise. */
export function summarizeNoise(file: LatencyNoiseFile): string {
  const lines = [
    'figure | cell | paired: robust sd of per-round log ratio (rounds) | stored: within-run robust CV | stored: run-to-run σ',
  ];
  const residuals = pairedResiduals(file);
  const cells = file.matrix.maxBatch.flatMap((maxBatch) => file.matrix.users.map((users) => `${maxBatch}x${users}`));
  LATENCY_FIGURES.forEach((figure, f) => {
    cells.forEach((label, cell) => {
      const ratios = (residuals[cell] ?? []).map((vector) => vector[f] ?? 0);
      const stored = storedSpreads(file, f, cell);
      lines.push(
        `${figure} | ${label} | ${percent(robustSd(ratios))} (${ratios.length}) | ${percent(stored.withinRun)} | ${percent(stored.runToRun)}`,
      );
    });
  });
  return lines.join('\n');
}
