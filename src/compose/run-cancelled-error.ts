/**
 * A run that failed after it was cancelled (SIGINT/SIGTERM, a cancelled workflow) is a cancelled
 * run, whatever the error: the abort itself makes RPCs and loads fail, and such a failure must
 * report `cancelled`, never `failure` (docs/reliability.md, "Exit codes and verdicts").
 */
import { errorMessage } from '../error-message.js';

/** The run was cancelled and then failed; `cause` is the failure. */
export class RunCancelledError extends Error {
  override readonly name = 'RunCancelledError';
}

/** `err` as a RunCancelledError when `signal` was aborted when it arrived; else `err` unchanged. */
export function cancelledIfAborted(err: unknown, signal: AbortSignal): unknown {
  if (!signal.aborted || err instanceof RunCancelledError) return err;
  const reason = signal.reason instanceof Error ? signal.reason.message : 'cancelled';
  return new RunCancelledError(`the run was ${reason} before it produced a result: ${errorMessage(err)}`, {
    cause: err,
  });
}
