/**
 * `capacity-search` (docs/real-triton.md, "Capacity probe"): after the configured rows, double
 * max_batch until a row fails to load or its probe fails, to find the largest row the server
 * loads and serves. Bounded, so a model without a limit does not run for ever.
 */
import type { CapacityProbe } from '../model/run-result.js';

/** Doublings past the largest configured row (64 → up to 1,024). */
export const MAX_DOUBLINGS = 4;

/** Probes 2×, 4×, ... `largestRow` in turn; stops after the first failure or at the bound. */
export async function searchCapacity(
  largestRow: number,
  probeRow: (maxBatch: number) => Promise<CapacityProbe>,
  signal: AbortSignal,
): Promise<CapacityProbe[]> {
  const probes: CapacityProbe[] = [];
  let maxBatch = Math.max(1, largestRow);
  for (let step = 0; step < MAX_DOUBLINGS && !signal.aborted; step++) {
    maxBatch *= 2;
    const probe = await probeRow(maxBatch);
    probes.push(probe);
    if (probe.status === 'failed') break;
  }
  return probes;
}
