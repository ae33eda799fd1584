/**
 * The model-state journal (docs/reliability.md, "Model-state journal"): every model a run
 * changes is recorded before its first change, and every way the run ends (done, failed,
 * errored, a signal, a second signal, an unhandled rejection) restores it through this one
 * path: single flight per model, bounded by a budget, abandoned early when the server stops
 * answering ServerLive, and always ending in a report: restored, or NOT restored with what is
 * left and how to fix it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { ModelStateReport } from '../model/run-result.js';
import type { TritonClient } from '../triton/triton-client.js';
import type { ReturnOutcome } from './served-state.js';

/** One model the run changes, recorded before its first change. */
export interface JournalEntry {
  readonly model: string;
  /** The server's address (`host:port`): the same model name on two servers is two entries. */
  readonly server: string;
  /** ServerLive, for the liveness guard. */
  readonly client: Pick<TritonClient, 'serverLive'>;
  /** Its state before the run, in words (`served at max_batch_size 64`). */
  readonly before: string;
  /** Brings it back and verifies it; rejects naming the RPC or the difference. */
  restore(signal: AbortSignal): Promise<ReturnOutcome>;
  /** Its state now, in words, for a model that could not be restored; never rejects. */
  describeNow(): Promise<string>;
  /** What to do by hand when it could not be restored. */
  readonly fix: string;
}

/** How one recorded model ended (the RunResult's `modelState` entries). */
export type RestoreReport = ModelStateReport;

/** The run's journal; see the file comment. */
export interface ModelJournal {
  /** Records `entry` unless its model on its server is recorded already (the first state wins). */
  record(entry: JournalEntry): void;
  /** Marks the model as about to change: call right before every unload, load or command. */
  willChange(server: string, model: string): void;
  /** Restores one recorded model (joins a restore already running); resolves its report. */
  restore(server: string, model: string): Promise<RestoreReport | undefined>;
  /** Restores every recorded model; never rejects. */
  restoreAll(): Promise<readonly RestoreReport[]>;
  /** The last report of every recorded model, or a NOT restored line for one whose restore has not ended. */
  summary(unfinished: string): readonly RestoreReport[];
}

/** How the journal restores. */
export interface JournalOptions {
  readonly log: Logger;
  /** Longest time one restore of all models may take (the loads it needs). */
  readonly budgetMs: number;
  /** ServerLive probes: at most this long each (default 3 s), every `probeEveryMs` (default 2 s). */
  readonly probeTimeoutMs?: number;
  readonly probeEveryMs?: number;
}

interface Slot {
  readonly entry: JournalEntry;
  isDirty: boolean;
  hasChanged: boolean;
  running: Promise<RestoreReport> | undefined;
  last: RestoreReport | undefined;
}

/** Creates an empty journal. */
export function createModelJournal(options: JournalOptions): ModelJournal {
  const slots = new Map<string, Slot>();
  const keyOf = (server: string, model: string): string => `${server}\u0000${model}`;

  const restoreSlot = (slot: Slot): Promise<RestoreReport> => {
    if (slot.running !== undefined) return slot.running;
    if (!slot.isDirty && slot.last !== undefined) return Promise.resolve(slot.last);
    // One attempt per change: a restore that failed is reported as such, not tried again by a later
    // caller, so the report and the log say the same; a new change marks the model dirty again.
    const running = runRestore(slot, options).then((report) => {
      slot.last = report;
      slot.running = undefined;
      slot.isDirty = false;
      return report;
    });
    slot.running = running;
    return running;
  };

  return {
    record(entry) {
      const key = keyOf(entry.server, entry.model);
      if (!slots.has(key))
        slots.set(key, { entry, isDirty: false, hasChanged: false, running: undefined, last: undefined });
    },
    willChange(server, model) {
      const slot = slots.get(keyOf(server, model));
      if (slot === undefined) throw new Error(`model '${model}' on ${server} changes before it was recorded (a bug)`);
      slot.isDirty = true;
      slot.hasChanged = true;
    },
    async restore(server, model) {
      const slot = slots.get(keyOf(server, model));
      return slot === undefined ? undefined : await restoreSlot(slot);
    },
    async restoreAll() {
      const reports: RestoreReport[] = [];
      // One after another: two models on one server would otherwise load at the same time.
      for (const slot of slots.values()) reports.push(await restoreSlot(slot));
      return reports;
    },
    summary(unfinished) {
      return [...slots.values()].map(
        (slot) =>
          (slot.running === undefined ? slot.last : undefined) ?? {
            model: slot.entry.model,
            server: slot.entry.server,
            status: 'not-restored',
            text: `${where(slot.entry)}: NOT restored: ${unfinished}; to fix: ${slot.entry.fix}`,
          },
      );
    },
  };
}

function where(entry: JournalEntry): string {
  return `model '${entry.model}' on ${entry.server}`;
}

/** One restore: probe, restore under the watch, report. Never rejects. */
async function runRestore(slot: Slot, options: JournalOptions): Promise<RestoreReport> {
  const { entry } = slot;
  const budget = AbortSignal.timeout(options.budgetMs);
  const watch = new AbortController();
  const probeTimeoutMs = options.probeTimeoutMs ?? 3000;
  let isDone = false;
  let isAnswering = false;
  try {
    await probe(entry, probeTimeoutMs);
    isAnswering = true;
    void watchServer(entry, watch, {
      probeTimeoutMs,
      everyMs: options.probeEveryMs ?? 2000,
      isDone: () => isDone,
    });
    const outcome = await entry.restore(AbortSignal.any([budget, watch.signal]));
    const status = outcome === 'unchanged' && !slot.hasChanged ? 'unchanged' : 'restored';
    const text = `${where(entry)}: ${status} (${entry.before}, as before the run)`;
    if (status === 'restored') options.log.info(text);
    return { model: entry.model, server: entry.server, status, text };
  } catch (err: unknown) {
    const reason = watch.signal.aborted
      ? errorMessage(watch.signal.reason)
      : budget.aborted
        ? `the restore did not finish within ${Math.round(options.budgetMs / 1000)} s (${errorMessage(err)})`
        : errorMessage(err);
    // A server that does not answer cannot say its state either: asking would only wait again.
    const now =
      isAnswering && !watch.signal.aborted
        ? await entry.describeNow()
        : `its state is unknown while the server does not answer`;
    const text = `${where(entry)}: NOT restored: ${reason}; ${now}; before the run it was ${entry.before}; to fix: ${entry.fix}`;
    options.log.warn(text);
    return { model: entry.model, server: entry.server, status: 'not-restored', text };
  } finally {
    isDone = true;
  }
}

/** Fails at once, naming the server, when it does not answer ServerLive. */
async function probe(entry: JournalEntry, timeoutMs: number): Promise<void> {
  let isLive: boolean;
  try {
    isLive = await entry.client.serverLive({ timeoutMs });
  } catch (err: unknown) {
    throw new Error(`the server at ${entry.server} does not answer (${errorMessage(err)})`, { cause: err });
  }
  if (!isLive) throw new Error(`the server at ${entry.server} reports it is not live`);
}

/**
 * Aborts the restore when two ServerLive probes in a row fail: a stalled server (SIGSTOP, a
 * hung host) would otherwise hold the restore for the whole load timeout.
 */
async function watchServer(
  entry: JournalEntry,
  watch: AbortController,
  options: { readonly probeTimeoutMs: number; readonly everyMs: number; readonly isDone: () => boolean },
): Promise<void> {
  let misses = 0;
  while (!options.isDone()) {
    await sleep(options.everyMs, undefined, { ref: false });
    if (options.isDone()) return;
    try {
      await probe(entry, options.probeTimeoutMs);
      misses = 0;
    } catch (err: unknown) {
      if (++misses < 2 || options.isDone()) continue;
      watch.abort(new Error(`the server stopped answering during the restore (${errorMessage(err)})`));
      return;
    }
  }
}
