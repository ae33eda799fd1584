/**
 * How controllers use the model-state journal (model-journal.ts): the run's journal when the
 * composition root gives one, else a journal of the controller's own (tests, benchmarks), and
 * `restore()` as the journal's restore of that model.
 */
import { createModelJournal, type ModelJournal } from './model-journal.js';
import type { ControllerDeps } from './model-controller.js';

/** Loads a restore may need before the budget runs out (a settle, an unload, a file load, an override load). */
const LOADS_PER_RESTORE = 2;

/** The run's journal, or a new one for this controller alone. */
export function journalOf(deps: ControllerDeps): ModelJournal {
  return (
    deps.journal ??
    createModelJournal({ log: deps.log, budgetMs: LOADS_PER_RESTORE * deps.config.server.loadTimeoutMs })
  );
}

/** Restores `model` through the journal; rejects with the journal's NOT restored line. */
export async function restoreThroughJournal(journal: ModelJournal, server: string, model: string): Promise<void> {
  const report = await journal.restore(server, model);
  if (report?.status === 'not-restored') throw new Error(report.text);
}

/** The fix for a model that should be served again from its repository file. */
export function loadAgainFix(model: string, server: string): string {
  return `load '${model}' again on ${server} (RepositoryModelLoad without a config loads its file config; HTTP: POST /v2/repository/models/${model}/load), or restart the server; a model that ran with a runtime config override needs that override again`;
}

/** The fix for a model the run loaded and should have unloaded. */
export function unloadFix(model: string, server: string): string {
  return `unload '${model}' on ${server} (RepositoryModelUnload; HTTP: POST /v2/repository/models/${model}/unload)`;
}
