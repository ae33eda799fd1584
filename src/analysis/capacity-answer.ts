/**
 * The study's second question as data: does a max_batch far above the usual batch really run?
 * From the capacity probe (matrix/capacity-probe.ts) when it ran, else from what the matrix
 * itself formed, which proves nothing about rows larger than its largest formed batch. Pure.
 */
import type { CapacityProbe, RunResult } from '../model/run-result.js';
import { largestFormedBatch } from './batch-ceiling.js';

/** What the capacity probe showed. */
export interface ProbeCapacityAnswer {
  readonly source: 'probe';
  /** The probes in run order (list rows, then the search). */
  readonly probes: readonly CapacityProbe[];
  /** Largest row that ran a request of max_batch items (one execution of a full batch). */
  readonly largestFullBatch: number | undefined;
  /** The first row the search tried and could not run. */
  readonly failedSearch: number | undefined;
  /**
   * How the search ended, when it ran: Triton refused a row (a load or a request failed), the
   * run was stopped during a probe (which says nothing about the server's limit), or it reached
   * its bound without a failure (the limit may be higher).
   */
  readonly searchEnd: SearchEnd | undefined;
}

/** How the capacity search ended, at which row. */
export interface SearchEnd {
  readonly kind: 'refused' | 'cancelled' | 'bound';
  readonly maxBatch: number;
}

/** What the matrix alone showed, without a probe. */
export interface MatrixCapacityAnswer {
  readonly source: 'matrix';
  /** Largest row that loaded. */
  readonly largestLoaded: number;
  readonly largestFormed: number | undefined;
  /** True when the matrix formed batches as large as its largest row: that row is shown to run. */
  readonly isLargestShown: boolean;
}

export type CapacityAnswer = ProbeCapacityAnswer | MatrixCapacityAnswer;

/** The answer, or undefined when there was no probe and no row loaded. */
export function findCapacityAnswer(run: RunResult): CapacityAnswer | undefined {
  const probes = run.capacity ?? [];
  if (probes.length > 0) {
    const served = probes.filter((probe) => probe.status === 'ok').map((probe) => probe.maxBatch);
    return {
      source: 'probe',
      probes,
      largestFullBatch: served.length === 0 ? undefined : Math.max(...served),
      failedSearch: probes.find((probe) => probe.isSearch === true && probe.status === 'failed')?.maxBatch,
      searchEnd: searchEndOf(probes),
    };
  }
  const loaded = run.rows.filter((row) => row.status === 'ok').map((row) => row.maxBatch);
  if (loaded.length === 0) return undefined;
  const largestLoaded = Math.max(...loaded);
  const largestFormed = largestFormedBatch(run.cells);
  return {
    source: 'matrix',
    largestLoaded,
    largestFormed,
    isLargestShown: largestFormed !== undefined && largestFormed >= largestLoaded,
  };
}

function searchEndOf(probes: readonly CapacityProbe[]): SearchEnd | undefined {
  const last = probes.filter((probe) => probe.isSearch === true).at(-1);
  if (last === undefined) return undefined;
  if (last.status === 'failed') return { kind: 'refused', maxBatch: last.maxBatch };
  if (last.status === 'cancelled') return { kind: 'cancelled', maxBatch: last.maxBatch };
  return last.isSearchBound === true ? { kind: 'bound', maxBatch: last.maxBatch } : undefined;
}
