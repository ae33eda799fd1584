/**
 * The last step of every store's `load`: choose among the indexed runs (`selectBaseline`),
 * read the chosen run files, and put the BaselineLoad together with every warning.
 */
import type { RunResult } from '../model/run-result.js';
import type { BaselineLoad, BaselineQuery } from '../model/baseline-store.js';
import type { IndexEntry } from './run-index.js';
import { selectBaseline, type SelectionOptions } from './select-baseline.js';

/** What a store found for a key. */
export interface BaselineSources {
  readonly runs: readonly IndexEntry[];
  readonly archived: readonly IndexEntry[];
  /** Runs already read (while reconciling, or loose files), by entry path. */
  readonly known: ReadonlyMap<string, RunResult>;
  /** Warnings gathered so far (skipped files, unusable index). */
  readonly warnings: readonly string[];
}

/**
 * Selects and reads the baseline. `readRun` reads one chosen entry's file and resolves
 * undefined (after adding a warning to `warnings`) when it cannot be used.
 */
export async function assembleBaseline(
  sources: BaselineSources,
  query: BaselineQuery,
  options: SelectionOptions,
  readRun: (entry: IndexEntry, warnings: string[]) => Promise<RunResult | undefined>,
): Promise<BaselineLoad> {
  const selection = selectBaseline(sources, query, options);
  const warnings = [...sources.warnings];
  const runs: RunResult[] = [];
  for (const entry of selection.chosen) {
    const run = sources.known.get(entry.path) ?? (await readRun(entry, warnings));
    if (run !== undefined) runs.push(run);
  }
  return {
    runs,
    selectedBy: runs.length === 0 ? 'none' : selection.selectedBy,
    history: selection.history,
    notes: [...warnings, ...selection.notes],
  };
}

/** Entries of `extra` whose run id is not among `indexed` (the same run found twice counts once). */
export function withoutDuplicateIds(indexed: readonly IndexEntry[], extra: readonly IndexEntry[]): IndexEntry[] {
  const ids = new Set(indexed.map((entry) => entry.id));
  return extra.filter((entry) => !ids.has(entry.id));
}
