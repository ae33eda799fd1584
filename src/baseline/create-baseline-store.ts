/**
 * The CLI's store factory (DESIGN §4 `baseline-store`): `file` → a directory, `none` → nothing.
 * The `branch` store needs a GitHub token and repository, which only the Action has: main.ts
 * builds it with `createDataBranchStore`.
 */
import type { StoreConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { Input } from '../config/inputs.js';
import type { Logger } from '../logger.js';
import type { BaselineStore } from '../model/baseline-store.js';
import { createFileStore } from './file-store.js';

/** What the factory needs besides the config. */
export interface BaselineStoreDeps {
  readonly log: Logger;
}

/** A store that loads nothing and saves nothing, saying why (`baseline-store: none`). */
export const noBaselineStore: BaselineStore = {
  load: () => Promise.resolve({ runs: [], selectedBy: 'none', history: [], notes: [] }),
  save: () =>
    Promise.resolve({
      isSaved: false,
      detail: "baseline-store is 'none': the run is not stored (use --baseline-dir <dir> to keep baselines)",
    }),
};

/**
 * Builds the CLI's store. Throws `ConfigError` for `branch` (it needs the Action) and for
 * `file` without a path (parseConfig already rejects that; this keeps the factory total).
 */
export function createBaselineStore(store: StoreConfig, deps: BaselineStoreDeps): BaselineStore {
  switch (store.kind) {
    case 'none':
      return noBaselineStore;
    case 'file':
      if (store.path === undefined) {
        throw new ConfigError([
          { input: Input.baselinePath, value: '', expected: "a directory (required by baseline-store 'file')" },
        ]);
      }
      return createFileStore({ dir: store.path, history: store.history, log: deps.log });
    case 'branch':
      throw new ConfigError([
        {
          input: Input.baselineStore,
          value: store.kind,
          expected: "'file' or 'none' on the CLI",
          hint:
            'the branch store writes through the GitHub API with the Action\'s token, so it only works in the ' +
            'Action; on the CLI use --baseline-dir <dir> (a file store with the same layout)',
        },
      ]);
  }
}
