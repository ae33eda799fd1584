/**
 * Cancellation of a workflow run: GitHub sends SIGINT, then SIGTERM about 7.5 s later, then
 * kills the process. The handlers are the CLI's (control/interrupt.ts): the first signal
 * aborts the run (the controller restores the model, the pipeline publishes what was measured
 * with verdict `cancelled`); later ones are reported with what is really happening and ignored
 * until the restore deadline. Never `process.exit`.
 */
import { interruptOnSignals, type InterruptHandle } from '../control/interrupt.js';
import type { Logger } from '../logger.js';

/** The abort signal, the restore tracker and the way to remove the handlers. */
export type CancelHandle = InterruptHandle;

/** Installs the SIGINT/SIGTERM handlers on `emitter` (process). */
export function abortOnCancel(
  log: Logger,
  deadlineMs: number,
  emitter: Pick<NodeJS.Process, 'on' | 'removeListener'> = process,
): CancelHandle {
  return interruptOnSignals(log, { deadlineMs, verb: 'cancelled', emitter });
}
