/**
 * The note on requests the server refused unprocessed (GOAWAY above its last stream, or
 * REFUSED_STREAM) and the h2 transport sent again once (docs/architecture.md#measurement,
 * `Trial.retried`): counted in the trial, never hidden, so the report says where it happened.
 * Pure.
 */
import type { Cell, RunResult } from '../model/run-result.js';

/** Cells named one by one up to this many; beyond, a count. */
const MAX_CELLS_NAMED = 6;

function retriedIn(cell: Cell): number {
  return cell.trials.reduce((sum, trial) => sum + (trial.retried ?? 0), 0);
}

/** The note, or `undefined` when no request was re-sent (or the transport cannot tell). */
export function retriedNote(run: RunResult): string | undefined {
  const cells = [...run.cells, ...(run.base?.cells ?? [])]
    .map((cell) => ({ cell, retried: retriedIn(cell) }))
    .filter(({ retried }) => retried > 0);
  if (cells.length === 0) return undefined;
  const total = cells.reduce((sum, { retried }) => sum + retried, 0);
  const where =
    cells.length > MAX_CELLS_NAMED
      ? `${cells.length} cells`
      : cells.map(({ cell, retried }) => `${cell.maxBatch} × ${cell.users} (${retried})`).join(', ');
  const requests = total === 1 ? '1 request was' : `${total} requests were`;
  return `${requests} refused unprocessed by the server (GOAWAY or REFUSED_STREAM) and sent again once, counted once with the retry in its latency: ${where}`;
}
