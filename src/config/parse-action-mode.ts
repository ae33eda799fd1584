/**
 * The Action's `mode` and `shard-results` inputs (README "Sharded runs"), parsed purely like
 * every other input: `run` measures the matrix; `merge` merges the shard jobs' result files
 * named by `shard-results` and publishes them as one run. Not part of `Config`: main.ts picks
 * the composition root with it.
 */
import { ConfigError, type ConfigIssue } from './config-error.js';
import { ActionInput } from './inputs.js';

/** What the Action job does. */
export type ActionMode =
  { readonly kind: 'run' } | { readonly kind: 'merge'; readonly shardResults: readonly string[] };

/** The two inputs as read (undefined when empty). */
export interface RawActionMode {
  readonly mode?: string | undefined;
  readonly shardResults?: string | undefined;
}

/** Paths of a list given one per line or comma-separated; blanks dropped. */
function pathsOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((path) => path.trim())
    .filter((path) => path !== '');
}

/**
 * Parses `mode` (run or merge, default run) and `shard-results` (required by merge, refused
 * otherwise so a job meant to merge never measures by mistake, nor the reverse).
 *
 * @throws ConfigError listing every issue
 */
export function parseActionMode(raw: RawActionMode): ActionMode {
  const mode = raw.mode ?? 'run';
  const paths = pathsOf(raw.shardResults ?? '');
  const issues: ConfigIssue[] = [];
  if (mode !== 'run' && mode !== 'merge') {
    issues.push({ input: ActionInput.mode, value: mode, expected: 'run or merge' });
  } else if (mode === 'merge' && paths.length === 0) {
    issues.push({
      input: ActionInput.shardResults,
      value: raw.shardResults ?? '',
      expected: "the shard jobs' result files or their directory with mode merge",
      hint: "download the shards' artifacts (actions/download-artifact) and name the directory",
    });
  } else if (mode === 'run' && paths.length > 0) {
    issues.push({
      input: ActionInput.shardResults,
      value: raw.shardResults ?? '',
      expected: 'no shard-results with mode run',
      hint: 'set mode: merge to merge shard results',
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return mode === 'merge' ? { kind: 'merge', shardResults: paths } : { kind: 'run' };
}
