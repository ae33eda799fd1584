/**
 * Git LFS model files of the zero-config base (docs/paired.md, "Git LFS model files"): at the
 * base commit git holds a pointer (oid and size), not the file. git-lfs turns it into the
 * file the way a checkout does, with `git lfs smudge`: from the checkout's LFS store when the
 * object is there, else fetched from the remote's LFS endpoint with the checkout's credentials.
 * Nothing is written to the working tree. What git-lfs cannot give is a problem string the
 * caller turns into the input's error.
 */
import { errorMessage } from '../error-message.js';
import { parseLfsPointer, type LfsPointer } from './base-model-tree.js';
import type { GitRunner } from './git-runner.js';

/** The file's bytes, or why git-lfs could not give them. */
export type LfsRead = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly problem: string };

/** `undefined` when git-lfs runs here; else what running it said (git: 'lfs' is not a git command…). */
export async function gitLfsMissing(git: GitRunner): Promise<string | undefined> {
  try {
    await git.run(['lfs', 'version']);
    return undefined;
  } catch (err: unknown) {
    return firstErrorLine(errorMessage(err));
  }
}

/**
 * The file a pointer stands for, by `git lfs smudge` (`path` from the repository's root, for
 * git-lfs's messages and its `.gitattributes` lookups). The result is checked against the
 * pointer's size: git-lfs passes input it cannot read as a pointer through unchanged.
 */
export async function readLfsFile(git: GitRunner, pointerBytes: Uint8Array, path: string): Promise<LfsRead> {
  const pointer = parseLfsPointer(pointerBytes);
  if (pointer === undefined) return { ok: false, problem: 'it has no oid and size lines git-lfs could read' };
  let bytes: Buffer;
  try {
    bytes = await git.run(['lfs', 'smudge', '--', path], pointerBytes);
  } catch (err: unknown) {
    return { ok: false, problem: `git lfs smudge could not fetch it (${firstErrorLine(errorMessage(err))})` };
  }
  return bytes.byteLength === pointer.size && parseLfsPointer(bytes) === undefined
    ? { ok: true, bytes }
    : { ok: false, problem: unexpectedOutput(pointer, bytes) };
}

function unexpectedOutput(pointer: LfsPointer, bytes: Buffer): string {
  if (parseLfsPointer(bytes) !== undefined) return 'git lfs smudge gave the pointer back instead of the file';
  return `git lfs smudge gave ${bytes.byteLength} bytes, the pointer says ${pointer.size} (${pointer.oid})`;
}

/**
 * git-lfs prints progress (`Downloading 1/model.onnx (5.0 KB)`) and where its log is around
 * the one line that says what failed; that line is the message.
 */
function firstErrorLine(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.find((line) => /error|not a git command/i.test(line)) ?? lines.join('; ');
}
