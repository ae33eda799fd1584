/**
 * Reads the zero-config base (docs/paired.md, "Zero-config base"): the model's directory of
 * `model-repository` at the base commit, with git, into what one RepositoryModelLoad with file
 * overrides sends. Git is behind a one-method interface so tests can run it on a scratch
 * repository. Whatever the checkout or the ref cannot give is a ConfigError naming the input,
 * before any request reaches the server.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { errorMessage } from '../error-message.js';
import { Input } from '../config/inputs.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { ModelFile } from '../triton/file-overrides.js';
import { ModelConfigTextError, parseBaseConfig } from './base-model-config.js';
import {
  isLfsPointer,
  MAX_BASE_FILES_BYTES,
  parseLfsPointer,
  parseLsTree,
  planBaseFiles,
  type PlannedFile,
} from './base-model-tree.js';
import type { GitRunner } from './git-runner.js';
import { gitLfsMissing, readLfsFile } from './read-lfs-file.js';

export type { GitRunner } from './git-runner.js';

/** The base side's model as read from git, ready to load. */
export interface BaseModelSnapshot {
  /** The name it is loaded under, `<model>__base`. */
  readonly name: string;
  /** For messages: `'<dir>' at <ref> (<short sha>)`. */
  readonly source: string;
  /** config.pbtxt at the base commit, renamed to `name`. */
  readonly config: ModelConfig;
  readonly files: readonly ModelFile[];
}

/** What to read. */
export interface ReadBaseModelOptions {
  readonly git: GitRunner;
  /** The checkout's working directory (where `model-repository` is relative to). */
  readonly cwd: string;
  /** `model-repository` as given. */
  readonly repository: string;
  readonly model: string;
  /** The commit-ish to read at (given, or the resolved merge-base). */
  readonly ref: string;
  /** The name to load it under. */
  readonly name: string;
  /** Largest total of file bytes (default base-model-tree.ts's). */
  readonly capBytes?: number;
}

/** Reads `<repository>/<model>/` at `ref`; throws ConfigError naming the input at fault. */
export async function readBaseModel(options: ReadBaseModelOptions): Promise<BaseModelSnapshot> {
  const { git, repository, ref } = options;
  const toplevel = await gitText(git, ['rev-parse', '--show-toplevel']).catch((err: unknown) => {
    throw repositoryError(
      options,
      'a directory inside a git checkout',
      `${options.cwd} is not in one (${errorMessage(err)})`,
      err,
    );
  });
  const commit = await gitText(git, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]).catch(
    (err: unknown) => {
      const hint = `it does not resolve to a commit in ${toplevel} (${errorMessage(err)}); actions/checkout fetches one commit by default: set fetch-depth: 0`;
      throw new ConfigError(
        [{ input: Input.baselineRef, value: ref, expected: 'a commit-ish of the checkout', hint }],
        { cause: err },
      );
    },
  );
  const repositoryDir = relative(toplevel, resolve(options.cwd, repository)).split('\\').join('/');
  if (repositoryDir.startsWith('..') || isAbsolute(repositoryDir)) {
    throw repositoryError(options, 'a path inside the checkout', `the checkout is ${toplevel}`);
  }
  const modelDir = repositoryDir === '' ? options.model : `${repositoryDir}/${options.model}`;
  const source = `'${modelDir}' at ${ref} (${commit.slice(0, 7)})`;
  const listing = await git.run(['ls-tree', '-r', '-z', '--long', '--full-tree', commit, '--', `${modelDir}/`]);
  const plan = planBaseFiles(parseLsTree(listing.toString('utf8')), modelDir, options.capBytes);
  if (!plan.ok)
    throw repositoryError(options, `the model's directory at ${ref}`, `${plan.problem} (commit ${commit.slice(0, 7)})`);
  const configText = (await readBlob(git, plan.config)).toString('utf8');
  let config: ModelConfig;
  try {
    config = parseBaseConfig(configText, options.name);
  } catch (err: unknown) {
    if (!(err instanceof ModelConfigTextError)) throw err;
    throw repositoryError(options, `a valid config.pbtxt in ${source}`, err.detail, err);
  }
  const files: ModelFile[] = [];
  for (const file of plan.files) files.push({ path: file.path, bytes: await readBlob(git, file) });
  return { name: options.name, source, config, files: await withLfsFiles(files, { ...options, modelDir, source }) };
}

interface LfsContext extends ReadBaseModelOptions {
  readonly modelDir: string;
  readonly source: string;
}

/**
 * Replaces Git LFS pointers by their files (read-lfs-file.ts). The cap applies to the real
 * sizes, checked from the pointers before anything is fetched.
 */
async function withLfsFiles(files: readonly ModelFile[], context: LfsContext): Promise<ModelFile[]> {
  const pointers = files.filter((file) => isLfsPointer(file.bytes));
  if (pointers.length === 0) return [...files];
  const first = pointers[0]?.path ?? '';
  const expected = `model files git or git-lfs can give in ${context.source}`;
  const missing = await gitLfsMissing(context.git);
  if (missing !== undefined) {
    const hint = `'${first}' is a Git LFS pointer at that commit and git-lfs is not installed here (${missing}): add a step before this one that installs it (e.g. \`sudo apt-get install -y git-lfs\`), or serve the base version yourself and set baseline-model`;
    throw repositoryError(context, expected, hint);
  }
  const cap = context.capBytes ?? MAX_BASE_FILES_BYTES;
  const totalBytes = files.reduce((sum, file) => sum + (parseLfsPointer(file.bytes)?.size ?? file.bytes.byteLength), 0);
  if (totalBytes > cap) {
    const hint = `its files total ${totalBytes} bytes with the Git LFS files' real sizes, more than the ${cap} bytes one load request may carry`;
    throw repositoryError(context, `the model's directory at ${context.ref}`, hint);
  }
  const result: ModelFile[] = [];
  for (const file of files) {
    if (!isLfsPointer(file.bytes)) {
      result.push(file);
      continue;
    }
    const read = await readLfsFile(context.git, file.bytes, `${context.modelDir}/${file.path}`);
    if (!read.ok) {
      const hint = `'${file.path}' is a Git LFS pointer at that commit and ${read.problem}: fetch the base commit's LFS objects in a step before this one (\`git lfs fetch origin <base sha>\`, with the checkout's credentials), or serve the base version yourself and set baseline-model`;
      throw repositoryError(context, expected, hint);
    }
    result.push({ path: file.path, bytes: read.bytes });
  }
  return result;
}

async function gitText(git: GitRunner, args: readonly string[]): Promise<string> {
  return (await git.run(args)).toString('utf8').trim();
}

async function readBlob(git: GitRunner, file: PlannedFile): Promise<Buffer> {
  return git.run(['cat-file', 'blob', file.object]);
}

function repositoryError(options: ReadBaseModelOptions, expected: string, hint: string, cause?: unknown): ConfigError {
  const issue = { input: Input.modelRepository, value: options.repository, expected, hint };
  return new ConfigError([issue], cause === undefined ? undefined : { cause });
}
