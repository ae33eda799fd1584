/**
 * Signals and crashes for the CLI and the Action alike (docs/reliability.md, "Signals"): the
 * first SIGINT, SIGTERM or SIGHUP aborts the run, which stops its current requests and restores
 * every model it changed through the model-state journal (model-journal.ts), then publishes.
 * Later signals are reported with what is really happening and ignored, so a second Ctrl-C (or
 * GitHub's SIGTERM after its SIGINT, or a closed terminal's SIGHUP) cannot cut the restore short.
 * The process never outlives `deadlineMs` after the first signal: then `onDeadline` says what is
 * left and ends it. An unhandled rejection or uncaught exception goes to `onCrash`, which
 * restores through the same journal before the process ends.
 */
import type { Logger } from '../logger.js';

/** What the run is doing after the first signal (what later signals report). */
type Phase =
  | { readonly kind: 'stopping' }
  | { readonly kind: 'restoring'; readonly model: string }
  | { readonly kind: 'restored' }
  | { readonly kind: 'restore-failed'; readonly detail: string };

/** Told by the matrix around `controller.restore()` so later signals say the truth. */
export interface RestoreTracker {
  begin(model: string): void;
  /** `failure` is the restore's error text, `undefined` when it succeeded. */
  end(failure: string | undefined): void;
}

/** The abort signal, the restore tracker and the way to remove the handlers. */
export interface InterruptHandle {
  readonly signal: AbortSignal;
  readonly restore: RestoreTracker;
  /** Aborts the run as a signal would (an internal error), without a signal's message. */
  abort(reason: Error): void;
  dispose(): void;
}

/** The part of `process` the handlers use (a fake in tests). */
export type SignalEmitter = Pick<NodeJS.Process, 'on' | 'removeListener'>;

/** How the handlers behave. */
export interface InterruptOptions {
  /** After the first signal, how long the run may take to stop, restore and publish. */
  readonly deadlineMs: number;
  /** `interrupted` (CLI) or `cancelled` (a cancelled workflow run). */
  readonly verb: 'interrupted' | 'cancelled';
  readonly emitter?: SignalEmitter;
  /**
   * Called once when `deadlineMs` after the first signal have passed and the process is still
   * there: say what is left and end the process. Default: the signal's default action.
   */
  readonly onDeadline?: (name: NodeJS.Signals) => void;
  /** Called once for an unhandled rejection or an uncaught exception. Absent: Node's default (exit). */
  readonly onCrash?: (err: unknown) => void;
}

/**
 * The restore's own bound: the loads it may need (two; four with a zero-config base, which is
 * waited for and unloaded too, docs/paired.md).
 */
export function restoreBudgetMs(config: {
  readonly server: { readonly loadTimeoutMs: number };
  readonly paired?: { readonly base?: { readonly fromRepository?: unknown } | undefined };
}): number {
  const loads = config.paired?.base?.fromRepository === undefined ? 2 : 4;
  return loads * config.server.loadTimeoutMs;
}

/** How long after the first signal the process may live: the restore's bound plus time to publish. */
export function restoreDeadlineMs(config: Parameters<typeof restoreBudgetMs>[0]): number {
  return restoreBudgetMs(config) + PUBLISH_MARGIN_MS;
}

const PUBLISH_MARGIN_MS = 30_000;

/** SIGHUP: a closed terminal or ssh session; it must restore like Ctrl-C. */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const CRASHES = ['unhandledRejection', 'uncaughtException'] as const;

/** Installs the handlers; the first SIGINT/SIGTERM/SIGHUP aborts `signal`. */
export function interruptOnSignals(log: Logger, options: InterruptOptions): InterruptHandle {
  const emitter = options.emitter ?? process;
  const controller = new AbortController();
  let phase: Phase = { kind: 'stopping' };
  let firstAt = 0;
  let deadline: NodeJS.Timeout | undefined;
  let hasCrashed = false;
  const seconds = Math.ceil(options.deadlineMs / 1000);

  function onSignal(name: NodeJS.Signals): void {
    if (!controller.signal.aborted) {
      firstAt = Date.now();
      log.warn(
        `${name}: the run was ${options.verb}; stopping after the current requests, then restoring the model config (further signals are ignored; the process ends within ${seconds} s)`,
      );
      controller.abort(new Error(`${options.verb} by ${name}`));
      // Unref'd: a run that ends sooner ends the process as usual.
      deadline = setTimeout(() => {
        log.warn(`${seconds} s have passed since ${name}; stopping now`);
        if (options.onDeadline !== undefined) options.onDeadline(name);
        else {
          // The signal's default action: handlers removed, the signal sent again.
          dispose();
          process.kill(process.pid, name);
        }
      }, options.deadlineMs).unref();
      return;
    }
    const leftSeconds = Math.max(0, Math.ceil((firstAt + options.deadlineMs - Date.now()) / 1000));
    log.warn(`${name} again: ${describePhase(phase, leftSeconds)}; ignored`);
  }
  function onCrashEvent(err: unknown): void {
    if (hasCrashed) return;
    hasCrashed = true;
    if (!controller.signal.aborted) controller.abort(new Error('stopped by an internal error'));
    options.onCrash?.(err);
  }
  for (const name of SIGNALS) emitter.on(name, onSignal);
  if (options.onCrash !== undefined) for (const name of CRASHES) emitter.on(name, onCrashEvent);
  return {
    signal: controller.signal,
    restore: {
      begin: (model) => {
        phase = { kind: 'restoring', model };
      },
      end: (failure) => {
        phase = failure === undefined ? { kind: 'restored' } : { kind: 'restore-failed', detail: failure };
      },
    },
    abort: (reason) => {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    dispose,
  };
  function dispose(): void {
    clearTimeout(deadline);
    for (const name of SIGNALS) emitter.removeListener(name, onSignal);
    if (options.onCrash !== undefined) for (const name of CRASHES) emitter.removeListener(name, onCrashEvent);
  }
}

function describePhase(phase: Phase, leftSeconds: number): string {
  switch (phase.kind) {
    case 'stopping':
      return `still stopping the current requests; the model config is restored next (the process ends within ${leftSeconds} s)`;
    case 'restoring':
      return `restoring the config of model '${phase.model}' (the process ends within ${leftSeconds} s), so that it is not left unloaded`;
    case 'restored':
      return 'the model config is back as before the run; publishing what was measured';
    case 'restore-failed':
      return `the restore failed (${phase.detail}); publishing what was measured`;
  }
}
