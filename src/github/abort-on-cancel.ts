/**
 * Cancellation: when a run is cancelled GitHub sends SIGINT, then SIGTERM about 7.5 s later,
 * then kills the process. The first signal aborts the run (the controller restores the model
 * in `finally`, the pipeline publishes what was measured); later ones are only logged, so the
 * restore is not cut short by Node's default handler. Never `process.exit` (docs/architecture.md#pure-cores-and-io-edges).
 */
import type { Logger } from '../logger.js';

/** The abort signal and the way to remove the handlers. */
export interface CancelHandle {
  readonly signal: AbortSignal;
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Installs the SIGINT/SIGTERM handlers on `emitter` (process). */
export function abortOnCancel(log: Logger, emitter: Pick<NodeJS.Process, 'on' | 'removeListener'> = process): CancelHandle {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log.info(`${name}: still restoring the model config and publishing the partial result`);
      return;
    }
    log.warn(`${name}: the run was cancelled; stopping after the current requests and restoring the model config`);
    controller.abort(new Error(`cancelled by ${name}`));
  };
  for (const name of SIGNALS) emitter.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of SIGNALS) emitter.removeListener(name, onSignal);
    },
  };
}
