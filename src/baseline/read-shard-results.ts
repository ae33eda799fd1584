/**
 * Reads the shard jobs' RunResult files for `merge` (README "Sharded runs"): each path is a
 * result file, a glob of them (`*`, `?`), or a directory such as `actions/download-artifact`'s,
 * whose `*.json` files and those of its direct subdirectories are read (the layout of
 * read-loose-runs.ts). Every file is
 * validated with the RunResult schema; an unreadable or invalid one is a ConfigError naming the
 * input, the file and why (exit 2), never skipped: a merge without one shard is not the run.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { errorMessage } from '../error-message.js';
import type { ShardFile } from '../model/merge-shards.js';
import { looseFiles } from './read-loose-runs.js';
import { parseStoredRun } from './stored-run.js';

/** `*` (any run of characters but `/`) and `?` (one) in one path segment, as a RegExp. */
function segmentPattern(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * The paths a glob matches, sorted (`results/shard-?.json`, or a `*` segment per artifact folder): each
 * segment holding `*` or `?` is matched against the directory's entries (dot-entries only when
 * the pattern starts with a dot). Node 20 has no `fs.glob`; this is the small part `merge` needs.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const segments = pattern.split('/');
  let paths = [segments[0] === '' ? '/' : ''];
  for (const segment of segments[0] === '' ? segments.slice(1) : segments) {
    if (!/[*?]/.test(segment)) {
      paths = paths.map((path) => (path === '' ? segment : join(path, segment)));
      continue;
    }
    const regex = segmentPattern(segment);
    const next: string[] = [];
    for (const path of paths) {
      const entries = await readdir(path === '' ? '.' : path).catch(() => [] as string[]);
      for (const name of entries.sort()) {
        if (regex.test(name) && (!name.startsWith('.') || segment.startsWith('.')))
          next.push(path === '' ? name : join(path, name));
      }
    }
    paths = next;
  }
  return paths;
}

/** The files a path stands for: the matches of a glob, itself, or the result files of the directory it names. */
async function filesOf(path: string, input: string): Promise<string[]> {
  if (/[*?]/.test(path)) {
    const matches = await expandGlob(path);
    if (matches.length === 0)
      throw new ConfigError([
        { input, value: path, expected: "a pattern matching the shard jobs' result files", hint: 'it matches no file' },
      ]);
    const nested = await Promise.all(matches.map((match) => filesOf(match, input)));
    return nested.flat();
  }
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (err: unknown) {
    throw new ConfigError(
      [{ input, value: path, expected: 'a shard result JSON file or a directory of them', hint: errorMessage(err) }],
      { cause: err },
    );
  }
  if (!isDirectory) return [path];
  const files = (await looseFiles(path)).map((file) => join(path, file));
  if (files.length === 0) {
    throw new ConfigError([
      {
        input,
        value: path,
        expected: "a directory holding the shard jobs' result JSON files",
        hint: 'it holds no *.json file (nor do its direct subdirectories)',
      },
    ]);
  }
  return files;
}

/**
 * Reads and validates every result file under `paths`, in the order given (directories
 * sorted). `input` names the input or flag in errors (`shard-results`, `merge`).
 *
 * @throws ConfigError listing every file that cannot be read or is not a RunResult
 */
export async function readShardResults(paths: readonly string[], input: string): Promise<ShardFile[]> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await filesOf(path, input)));
  const shards: ShardFile[] = [];
  const issues: ConfigIssue[] = [];
  for (const path of [...new Set(files)]) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err: unknown) {
      issues.push({ input, value: path, expected: 'a readable shard result JSON file', hint: errorMessage(err) });
      continue;
    }
    const stored = parseStoredRun(text);
    if ('skipped' in stored)
      issues.push({ input, value: path, expected: 'a triton-throughput-gate result JSON', hint: stored.skipped });
    else shards.push({ path, run: stored.run });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return shards;
}
