/**
 * Everything a run will write is checked before it measures (docs/errors.md): `out` must be a
 * file path (not a directory) whose nearest existing parent is a writable directory, the file
 * store's directory must not be a file, and neither may lie under /proc, /sys or /dev, where
 * Node's recursive mkdir never returns. A bad path fails with ConfigError (exit 2) instead of
 * after minutes of measuring, or never.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Config } from '../config/config.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';

const PSEUDO_FILESYSTEMS: readonly string[] = ['/proc', '/sys', '/dev'];

type Kind = 'file' | 'directory';

async function statOrUndefined(path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/** Why `path` cannot be written as a `kind`, or `undefined` when it can. */
export async function outputPathProblem(path: string, kind: Kind): Promise<string | undefined> {
  const absolute = resolve(path);
  const pseudo = PSEUDO_FILESYSTEMS.find((root) => absolute === root || absolute.startsWith(`${root}${sep}`));
  if (pseudo !== undefined) return `a path outside ${pseudo} (a kernel file system, not storage)`;
  const existing = await statOrUndefined(absolute);
  if (existing !== undefined) {
    if (kind === 'file' && existing.isDirectory()) return 'a file path, not a directory';
    if (kind === 'directory' && !existing.isDirectory()) return 'a directory, not a file';
    if (kind === 'file' && !existing.isFile()) return 'a regular file path';
  }
  let parent = existing === undefined || kind === 'file' ? dirname(absolute) : absolute;
  for (let info = await statOrUndefined(parent); info === undefined; info = await statOrUndefined(parent)) {
    if (dirname(parent) === parent) return 'a path under an existing directory';
    parent = dirname(parent);
  }
  if (!(await statOrUndefined(parent))?.isDirectory())
    return `a path whose parent is a directory (${parent} is a file)`;
  try {
    await access(parent, constants.W_OK);
  } catch {
    return `a path in a writable directory (${parent} is not writable)`;
  }
  return undefined;
}

/** Rejects the run's output paths that cannot be written (ConfigError naming each). */
export async function checkOutputPaths(config: Config): Promise<void> {
  const issues: ConfigIssue[] = [];
  const out = config.report.outPath;
  if (out !== undefined) {
    const problem = await outputPathProblem(out, 'file');
    if (problem !== undefined) issues.push({ input: 'out', value: out, expected: problem });
  }
  const dir = config.store.kind === 'file' ? config.store.path : undefined;
  if (dir !== undefined) {
    const problem = await outputPathProblem(dir, 'directory');
    if (problem !== undefined)
      issues.push({
        input: 'baseline-path',
        value: dir,
        expected: problem,
        hint: 'the CLI sets it with --baseline-dir',
      });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
