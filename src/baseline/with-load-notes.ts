/**
 * A store whose loads carry extra notes: how main.ts puts what happened before the load (e.g.
 * `resolvePreferredShas` could not find the merge-base) into the report, next to the store's
 * own notes, without another channel through the pipeline.
 */
import type { BaselineStore } from '../model/baseline-store.js';

/** `store` with `notes` appended to every load's notes (saves are unchanged). */
export function withLoadNotes(store: BaselineStore, notes: readonly string[]): BaselineStore {
  if (notes.length === 0) return store;
  return {
    load: async (query) => {
      const load = await store.load(query);
      return { ...load, notes: [...load.notes, ...notes] };
    },
    save: (run) => store.save(run),
  };
}
