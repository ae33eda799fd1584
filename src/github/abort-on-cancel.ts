/**
 * Cancellation of a workflow run: GitHub sends SIGINT, then SIGTERM about 7.5 s later, then
 * kills the process. The handlers are the CLI's (control/interrupt.ts): the first signal
 * aborts the run (the controller restores the model, the pipeline publishes what was measured
 * with verdict `cancelled`); later ones are reported with what is really happening and ignored
 * until the restore deadline. Never `process.exit`.
 */
import { interruptOnSignals, type InterruptHandle, type InterruptOptions } from '../control/interrupt.js';
import type { Logger } from '../logger.js';

/** The abort signal, the restore tracker and the way to remove the handlers. */
export type CancelHandle = InterruptHandle;

/** Installs the SIGINT/SIGTERM/SIGHUP handlers (and, with `onCrash`, the crash handlers) on `process`. */
export function abortOnCancel(
  log: Logger,
  deadlineMs: number,
  options: Pick<InterruptOptions, 'emitter' | 'onDeadline' | 'onCrash'> = {},
): CancelHandle {
  return interruptOnSignals(log, { deadlineMs, verb: 'cancelled', ...options });
}
