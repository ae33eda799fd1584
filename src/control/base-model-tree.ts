/**
 * Pure: which files of a model directory at the base commit the zero-config base loads
 * (docs/paired.md, "Zero-config base"), from `git ls-tree -r -z --long` output. Everything in
 * `<model>/` is sent as a `file:` override except `config.pbtxt`, which becomes the `config`
 * parameter; what Triton could not be given that way is refused with the reason.
 */

/** One line of `git ls-tree --long`. */
export interface TreeEntry {
  /** `100644`, `100755` (files), `120000` (a symlink), `160000` (a submodule). */
  readonly mode: string;
  readonly type: string;
  readonly object: string;
  /** Bytes; `undefined` for a submodule ('-'). */
  readonly size: number | undefined;
  /** From the repository's root, '/'-separated. */
  readonly path: string;
}

/**
 * Largest total of file bytes the base may send. One RepositoryModelLoad carries every file,
 * and Triton's gRPC message limit is INT32_MAX (2 GiB − 1, docs/paired.md "Limits and errors"); half of it
 * leaves room for the encoding's copy and keeps the runner's memory bounded.
 */
export const MAX_BASE_FILES_BYTES = 1024 ** 3;

/** A file to read from git and send. */
export interface PlannedFile {
  /** Relative to the model directory (the `file:` key). */
  readonly path: string;
  readonly object: string;
  readonly size: number;
}

/** The files to send, or why there are none. */
export type BaseFilesPlan =
  | {
      readonly ok: true;
      readonly config: PlannedFile;
      readonly files: readonly PlannedFile[];
      readonly totalBytes: number;
    }
  | { readonly ok: false; readonly problem: string };

/** Parses `git ls-tree -r -z --long` output (NUL-terminated records). */
export function parseLsTree(output: string): TreeEntry[] {
  return output
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const match = /^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t([\s\S]+)$/.exec(record);
      if (match === null) throw new Error(`unexpected git ls-tree record: ${JSON.stringify(record)}`);
      const [, mode = '', type = '', object = '', size = '-', path = ''] = match;
      return { mode, type, object, size: size === '-' ? undefined : Number(size), path };
    });
}

/**
 * Plans the load of `modelDir` (from the repository's root, no trailing '/') out of its
 * entries; `capBytes` bounds the files' total.
 */
export function planBaseFiles(
  entries: readonly TreeEntry[],
  modelDir: string,
  capBytes = MAX_BASE_FILES_BYTES,
): BaseFilesPlan {
  const prefix = `${modelDir}/`;
  const inside = entries.filter((entry) => entry.path.startsWith(prefix));
  if (inside.length === 0) return { ok: false, problem: `there is no directory '${modelDir}'` };
  const planned: PlannedFile[] = [];
  for (const entry of inside) {
    const path = entry.path.slice(prefix.length);
    if (entry.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755') || entry.size === undefined) {
      const what = entry.mode === '120000' ? 'a symlink' : entry.mode === '160000' ? 'a submodule' : `a ${entry.type}`;
      return { ok: false, problem: `'${entry.path}' is ${what}; only regular files can be sent to Triton` };
    }
    planned.push({ path, object: entry.object, size: entry.size });
  }
  const config = planned.find((file) => file.path === 'config.pbtxt');
  if (config === undefined) {
    return {
      ok: false,
      problem: `'${modelDir}' has no config.pbtxt, and a load with file overrides needs the model config`,
    };
  }
  const files = planned.filter((file) => file !== config);
  if (!files.some((file) => /^\d+\//.test(file.path))) {
    return { ok: false, problem: `'${modelDir}' has no version directory (such as '1/') with files` };
  }
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  if (totalBytes > capBytes) {
    return {
      ok: false,
      problem: `its files total ${totalBytes} bytes, more than the ${capBytes} bytes one load request may carry`,
    };
  }
  return { ok: true, config, files, totalBytes };
}

const LFS_POINTER_START = 'version https://git-lfs';

/** True for a Git LFS pointer file (git holds the pointer, not the model's bytes). */
export function isLfsPointer(bytes: Uint8Array): boolean {
  if (bytes.byteLength > 1024) return false;
  return new TextDecoder().decode(bytes.subarray(0, LFS_POINTER_START.length)) === LFS_POINTER_START;
}

/** What a Git LFS pointer says of the file it stands for. */
export interface LfsPointer {
  /** `sha256:<hex>`. */
  readonly oid: string;
  /** Bytes of the real file. */
  readonly size: number;
}

/**
 * The `oid` and `size` lines of a Git LFS pointer (the spec's `key value` lines); `undefined`
 * when `bytes` is not a pointer or lacks either line.
 */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (!isLfsPointer(bytes)) return undefined;
  const text = new TextDecoder().decode(bytes);
  const oid = /^oid (\S+)$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return oid === undefined || size === undefined ? undefined : { oid, size: Number(size) };
}
