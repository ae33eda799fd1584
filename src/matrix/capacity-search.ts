/**
 * `capacity-search` (docs/real-triton.md, "Capacity probe"): after the configured rows, double
 * max_batch until a row fails to load or its probe fails, to find the largest row the server
 * loads and serves. Bounded, so a model without a limit does not run for ever.
 */
import type { CapacityProbe } from '../model/run-result.js';

/** Doublings past the largest configured row (64 → up to 1,024). */
export const MAX_DOUBLINGS = 4;

/**
 * Probes 2×, 4×, ... `largestRow` in turn; stops after the first failure, when the run is
 * stopped (that probe is `cancelled`, not a limit of the server), or at the bound (the last
 * probe is marked `isSearchBound`: no failure was found, the limit may be higher).
 */
export async function searchCapacity(
  largestRow: number,
  probeRow: (maxBatch: number) => Promise<CapacityProbe>,
  signal: AbortSignal,
): Promise<CapacityProbe[]> {
  const probes: CapacityProbe[] = [];
  // A function, not the property: the probe between two reads may abort it.
  const isAborted = (): boolean => signal.aborted;
  let maxBatch = Math.max(1, largestRow);
  for (let step = 0; step < MAX_DOUBLINGS && !isAborted(); step++) {
    maxBatch *= 2;
    const probe = await probeRow(maxBatch);
    // A probe that failed because the run was stopped says nothing about the server's limit.
    const isCancelled = isAborted() && probe.status !== 'ok';
    probes.push(
      isCancelled ? { ...probe, status: 'cancelled', message: 'the run was stopped during this probe' } : probe,
    );
    if (probe.status !== 'ok') return probes;
  }
  const last = probes.at(-1);
  if (last !== undefined && probes.length === MAX_DOUBLINGS && !isAborted())
    probes[probes.length - 1] = { ...last, isSearchBound: true };
  return probes;
}
