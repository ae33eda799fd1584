/**
 * SIGINT/SIGTERM for the CLI and the Action alike (docs/reliability.md, "Signals"): the first
 * signal aborts the run, which stops its current requests and restores the model config
 * (bounded by the controller's own deadline). Later signals are reported with what is really
 * happening and ignored, so a second Ctrl-C (or GitHub's SIGTERM after its SIGINT) cannot leave
 * the model unloaded mid-restore. Once `deadlineMs` after the first signal has passed, a later
 * signal is no longer ignored: the handlers are removed and the signal is sent again, so a hung
 * run can still be stopped. Never `process.exit`: the default action of the signal ends it.
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
  dispose(): void;
}

/** How the handlers behave. */
export interface InterruptOptions {
  /** After the first signal, how long later signals are ignored (covers stopping and the restore). */
  readonly deadlineMs: number;
  /** `interrupted` (CLI) or `cancelled` (a cancelled workflow run). */
  readonly verb: 'interrupted' | 'cancelled';
  readonly emitter?: Pick<NodeJS.Process, 'on' | 'removeListener'>;
  readonly now?: () => number;
  /** Called for a signal after the deadline, once the handlers are removed. Default: re-send it. */
  readonly onDeadlinePassed?: (name: NodeJS.Signals) => void;
}

/**
 * How long later signals are ignored: the restore's own bound (two model loads, as the reload
 * controller allows) plus time to stop the current requests and publish. A zero-config base
 * (docs/paired.md) adds two more: a base load in flight is waited for, then the base unloaded.
 */
export function restoreDeadlineMs(config: {
  readonly server: { readonly loadTimeoutMs: number };
  readonly paired?: { readonly base?: { readonly fromRepository?: unknown } | undefined };
}): number {
  const loads = config.paired?.base?.fromRepository === undefined ? 2 : 4;
  return loads * config.server.loadTimeoutMs + PUBLISH_MARGIN_MS;
}

const PUBLISH_MARGIN_MS = 30_000;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Installs the handlers; the first SIGINT/SIGTERM aborts `signal`. */
export function interruptOnSignals(log: Logger, options: InterruptOptions): InterruptHandle {
  const emitter = options.emitter ?? process;
  const now = options.now ?? Date.now;
  const onDeadlinePassed = options.onDeadlinePassed ?? ((name: NodeJS.Signals) => process.kill(process.pid, name));
  const controller = new AbortController();
  let phase: Phase = { kind: 'stopping' };
  let firstAt = 0;
  const dispose = (): void => {
    for (const name of SIGNALS) emitter.removeListener(name, onSignal);
  };
  function onSignal(name: NodeJS.Signals): void {
    if (!controller.signal.aborted) {
      firstAt = now();
      const seconds = Math.ceil(options.deadlineMs / 1000);
      log.warn(
        `${name}: the run was ${options.verb}; stopping after the current requests, then restoring the model config (further signals are ignored for up to ${seconds} s)`,
      );
      controller.abort(new Error(`${options.verb} by ${name}`));
      return;
    }
    const leftMs = firstAt + options.deadlineMs - now();
    if (leftMs <= 0) {
      log.warn(
        `${name} again: ${Math.ceil(options.deadlineMs / 1000)} s have passed since the first signal; stopping now`,
      );
      dispose();
      onDeadlinePassed(name);
      return;
    }
    log.warn(`${name} again: ${describePhase(phase, Math.ceil(leftMs / 1000))}; ignored`);
  }
  for (const name of SIGNALS) emitter.on(name, onSignal);
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
    dispose,
  };
}

function describePhase(phase: Phase, leftSeconds: number): string {
  switch (phase.kind) {
    case 'stopping':
      return `still stopping the current requests; the model config is restored next (up to ${leftSeconds} s)`;
    case 'restoring':
      return `restoring the config of model '${phase.model}' (up to ${leftSeconds} s left), so that it is not left unloaded`;
    case 'restored':
      return 'the model config is back as before the run; publishing what was measured';
    case 'restore-failed':
      return `the restore failed (${phase.detail}); publishing what was measured`;
  }
}
