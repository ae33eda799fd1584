// Git LFS model files of the zero-config base (docs/paired.md, "Git LFS model files") with the
// real git and git-lfs (Debian's, installed by `npm test`'s pretest) and no network: the remote
// is a bare repository reached by file://, whose LFS objects git-lfs's standalone file transfer
// stores and serves. The checkout is a clone made without LFS objects, so the base's file can
// only come from the remote, as on a runner whose checkout fetched the head's objects alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { readBaseModel, type ReadBaseModelOptions } from '../../../src/control/read-base-model.js';
import { createGitRunner } from '../../../src/control/run-git.js';

let root: string;
let clone: string;
let remote: string;
let baseOid: string;
/** The base's weights: bytes no pointer could be mistaken for. */
const BASE_WEIGHTS = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));

function git(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env } },
  ).trim();
}

async function put(dir: string, path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), content);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ttg-lfs-'));
  remote = join(root, 'remote.git');
  const work = join(root, 'work');
  clone = join(root, 'clone');
  git(root, ['init', '-q', '--bare', '-b', 'main', remote]);
  git(root, ['init', '-q', '-b', 'main', work]);
  git(work, ['lfs', 'install', '--local']); // the pre-push hook that uploads LFS objects
  git(work, ['remote', 'add', 'origin', `file://${remote}`]);
  git(work, ['lfs', 'track', '*.onnx']);
  await put(work, 'models/m/config.pbtxt', 'name: "m"\nbackend: "onnxruntime"\nmax_batch_size: 8\n');
  await put(work, 'models/m/1/model.onnx', BASE_WEIGHTS);
  git(work, ['add', '-A']);
  git(work, ['commit', '-q', '-m', 'base']);
  baseOid = /^oid sha256:(\w+)$/m.exec(git(work, ['cat-file', 'blob', 'HEAD:models/m/1/model.onnx']))?.[1] ?? '';
  await put(work, 'models/m/1/model.onnx', Buffer.from('head weights'));
  git(work, ['commit', '-q', '-am', 'head']);
  git(work, ['push', '-q', 'origin', 'main']);
  // Pointers only in the clone's tree and no object in its store, whatever filters git has.
  git(root, ['clone', '-q', `file://${remote}`, clone], { GIT_LFS_SKIP_SMUDGE: '1' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const storedInClone = (oid: string): boolean =>
  existsSync(join(clone, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid));

const read = (overrides: Partial<ReadBaseModelOptions> = {}) =>
  readBaseModel({
    git: createGitRunner(clone),
    cwd: clone,
    repository: 'models',
    model: 'm',
    ref: 'HEAD~1',
    name: 'm__base',
    ...overrides,
  });

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
  return err;
}

describe('readBaseModel with Git LFS files', () => {
  it('fetches the base commit’s LFS object from the remote and sends its bytes', async () => {
    expect(baseOid).toMatch(/^[0-9a-f]{64}$/);
    expect(storedInClone(baseOid)).toBe(false);
    const snapshot = await read();
    const file = snapshot.files.find((f) => f.path === '1/model.onnx');
    expect(Buffer.from(file?.bytes ?? []).equals(BASE_WEIGHTS)).toBe(true);
    expect(storedInClone(baseOid)).toBe(true);
  });

  it('applies the size cap to the real sizes the pointers give, before fetching', async () => {
    const err = await configError(read({ capBytes: 4000 }));
    expect(err.issues[0]?.input).toBe('model-repository');
    expect(err.message).toMatch(
      /its files total 5000 bytes with the Git LFS files' real sizes, more than the 4000 bytes/,
    );
  });

  it('an object git-lfs cannot fetch names the file, git-lfs’s error and the fetch step', async () => {
    // The remote lost its LFS objects (and the clone has none): nothing can give the file.
    await rm(join(clone, '.git', 'lfs', 'objects'), { recursive: true, force: true });
    await rm(join(remote, 'lfs'), { recursive: true, force: true });
    const err = await configError(read());
    expect(err.issues[0]?.input).toBe('model-repository');
    expect(err.message).toMatch(
      /'1\/model.onnx' is a Git LFS pointer at that commit and git lfs smudge could not fetch it \(.*error/i,
    );
    expect(err.message).toContain('git lfs fetch origin <base sha>');
  });

  it('git without git-lfs names the step to add', async () => {
    // git finds its `lfs` subcommand on PATH: a PATH holding git alone is a runner without git-lfs.
    const gitOnly = join(root, 'git-only');
    await mkdir(gitOnly);
    await symlink(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(gitOnly, 'git'));
    const err = await configError(read({ git: createGitRunner(clone, { ...process.env, PATH: gitOnly }) }));
    expect(err.issues[0]?.input).toBe('model-repository');
    expect(err.message).toMatch(
      /'1\/model.onnx' is a Git LFS pointer at that commit and git-lfs is not installed here/,
    );
    expect(err.message).toContain('add a step before this one that installs it');
  });
});
