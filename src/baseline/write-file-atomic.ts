/**
 * Atomic file writes for the file store: readers see the old file or the whole new one, never
 * half of it (a crash mid-write leaves only a stray temp file), and run files are created with
 * no-clobber semantics so an existing run is never replaced (docs/baseline-store.md).
 */
import { randomBytes } from 'node:crypto';
import { link, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to `path` through a temp file and a rename (replaces an existing file). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = tempPathOf(path);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Creates `path` with `text` unless it exists: the temp file is hard-linked to its final name,
 * which fails when the name is taken, so two writers can never both win. Resolves `exists`
 * (and writes nothing) when the file was already there.
 */
export async function writeNewFileAtomic(path: string, text: string): Promise<'written' | 'exists'> {
  const temp = tempPathOf(path);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    try {
      await link(temp, path);
      return 'written';
    } catch (err: unknown) {
      if (errorCode(err) === 'EEXIST') return 'exists';
      if (!isLinkUnsupported(err)) throw err;
    }
    // No hard links here (some network or FAT file systems): check, then rename. A writer
    // racing between the two calls could still be replaced; the docs say so.
    if (await isPresent(path)) return 'exists';
    await rename(temp, path);
    return 'written';
  } finally {
    await rm(temp, { force: true });
  }
}

/** True when something exists at `path`. */
async function isPresent(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err: unknown) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return false;
    throw err;
  }
}

/** The `code` of a Node.js system error (`ENOENT`, `EEXIST`, ...), if any. */
export function errorCode(err: unknown): string | undefined {
  if (!(err instanceof Error) || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

function isLinkUnsupported(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV';
}

// Same directory as the target: a rename or link never crosses file systems.
function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}
