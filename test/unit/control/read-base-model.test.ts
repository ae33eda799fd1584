// Reading the zero-config base from git (docs/paired.md, "Zero-config base") on a scratch
// repository with the real git: the base commit's files and config, and a ConfigError naming
// the input for every way the checkout or the ref cannot give them. Also the default ref
// (compose/read-zero-config-base.ts): the PR's merge-base, required outside a PR.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZeroConfigBase } from '../../../src/compose/read-zero-config-base.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { readBaseModel, type ReadBaseModelOptions } from '../../../src/control/read-base-model.js';
import { createGitRunner } from '../../../src/control/run-git.js';
import { silentLogger } from '../../../src/logger.js';

let checkout: string;
const shas: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd: checkout, encoding: 'utf8' },
  ).trim();
}

async function put(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(join(checkout, path, '..'), { recursive: true });
  await writeFile(join(checkout, path), content);
}

beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), 'ttg-read-base-'));
  git('init', '-q', '-b', 'main');
  await put('repo/m/config.pbtxt', 'name: "m"\nbackend: "python"\nmax_batch_size: 8\n');
  await put('repo/m/1/model.py', 'print("base")\n');
  await put('repo/m/1/weights.bin', new Uint8Array([0, 255, 1, 254]));
  await put('repo/m/labels.txt', 'a\nb\n');
  await put('repo/broken/config.pbtxt', 'max_batch: 8\n');
  await put('repo/broken/1/model.py', '');
  await put('repo/lfs/config.pbtxt', 'name: "lfs"\n');
  await put('repo/lfs/1/model.onnx', 'version https://git-lfs.example/spec/v1\noid sha256:00\nsize 1000\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  shas['base'] = git('rev-parse', 'HEAD');
  await put('repo/m/1/model.py', 'print("head")\n');
  git('commit', '-q', '-am', 'head');
  shas['head'] = git('rev-parse', 'HEAD');
});

afterAll(async () => {
  await rm(checkout, { recursive: true, force: true });
});

const read = (overrides: Partial<ReadBaseModelOptions> = {}) =>
  readBaseModel({
    git: createGitRunner(checkout),
    cwd: checkout,
    repository: 'repo',
    model: 'm',
    ref: 'HEAD~1',
    name: 'm__base',
    ...overrides,
  });

async function configIssue(promise: Promise<unknown>): Promise<{ input: string; value: string; text: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
  const issue = err.issues[0];
  return { input: issue?.input ?? '', value: issue?.value ?? '', text: err.message };
}

describe('readBaseModel', () => {
  it('reads the model directory at the ref: config renamed, every other file with its bytes', async () => {
    const snapshot = await read();
    expect(snapshot.name).toBe('m__base');
    expect(snapshot.source).toBe(`'repo/m' at HEAD~1 (${shas['base']?.slice(0, 7) ?? ''})`);
    expect(snapshot.config).toMatchObject({ name: 'm__base', backend: 'python', maxBatchSize: 8 });
    const files = Object.fromEntries(snapshot.files.map((f) => [f.path, Buffer.from(f.bytes).toString('hex')]));
    expect(files).toEqual({
      '1/model.py': Buffer.from('print("base")\n').toString('hex'),
      '1/weights.bin': '00ff01fe',
      'labels.txt': Buffer.from('a\nb\n').toString('hex'),
    });
  });

  it('takes model-repository relative to the working directory, not the checkout root', async () => {
    const snapshot = await read({ cwd: join(checkout, 'repo'), repository: '.', ref: 'main' });
    const modelPy = snapshot.files.find((f) => f.path === '1/model.py');
    expect(Buffer.from(modelPy?.bytes ?? []).toString('utf8')).toBe('print("head")\n');
  });

  it('a ref that does not resolve names baseline-ref and the fetch-depth fix', async () => {
    const issue = await configIssue(read({ ref: 'no-such-branch' }));
    expect(issue).toMatchObject({ input: 'baseline-ref', value: 'no-such-branch' });
    expect(issue.text).toMatch(
      /expected a commit-ish of the checkout; it does not resolve to a commit in .*fetch-depth: 0/,
    );
  });

  it.each([
    [
      'a model missing at the ref',
      { model: 'nope' },
      /expected the model's directory at HEAD~1; there is no directory 'repo\/nope' \(commit [0-9a-f]{7}\)/,
    ],
    [
      'a path outside the checkout',
      { repository: '../elsewhere' },
      /expected a path inside the checkout; the checkout is /,
    ],
    [
      'files above the cap',
      { capBytes: 10 },
      /its files total 22 bytes, more than the 10 bytes one load request may carry/,
    ],
    [
      'a config.pbtxt that does not parse',
      { model: 'broken' },
      /expected a valid config.pbtxt in 'repo\/broken' at HEAD~1 .*; /,
    ],
    ['a Git LFS pointer', { model: 'lfs' }, /'1\/model.onnx' is a Git LFS pointer at that commit/],
  ])('%s names model-repository', async (_name, overrides, text) => {
    const issue = await configIssue(read(overrides));
    expect(issue.input).toBe('model-repository');
    expect(issue.text).toMatch(text);
  });

  it('a working directory outside any git checkout names model-repository', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'ttg-no-git-'));
    try {
      const issue = await configIssue(read({ git: createGitRunner(outside), cwd: outside }));
      expect(issue.text).toMatch(/expected a directory inside a git checkout; .* is not in one/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('readZeroConfigBase: which commit', () => {
  const config = (raw: Record<string, string> = {}) => parseConfig({ model: 'm', 'model-repository': 'repo', ...raw });
  const env = (extra: object = {}) => ({
    git: createGitRunner(checkout),
    cwd: checkout,
    log: silentLogger,
    preferredShas: [],
    ...extra,
  });

  it('is nothing to read without model-repository', async () => {
    expect(await readZeroConfigBase(parseConfig({ model: 'm' }), env())).toBeUndefined();
  });

  it('outside a pull request baseline-ref is required', async () => {
    const issue = await configIssue(readZeroConfigBase(config(), env()));
    expect(issue).toMatchObject({ input: 'baseline-ref', value: '' });
    expect(issue.text).toMatch(/required with model-repository outside a pull request/);
  });

  it("in a pull request: the store's merge-base, else git merge-base of the PR's base and head", async () => {
    const pullRequest = { baseSha: shas['base'] ?? '', headSha: shas['head'] ?? '' };
    const fromStore = await readZeroConfigBase(config(), env({ pullRequest, preferredShas: [shas['head']] }));
    expect(fromStore?.source).toContain(`at ${shas['head'] ?? ''}`);
    const fromGit = await readZeroConfigBase(config(), env({ pullRequest }));
    expect(fromGit?.source).toContain(`at ${shas['base'] ?? ''}`);
    expect(fromGit?.name).toBe('m__base');
  });

  it('baseline-ref wins over the merge-base', async () => {
    const pullRequest = { baseSha: shas['base'] ?? '', headSha: shas['head'] ?? '' };
    const snapshot = await readZeroConfigBase(config({ 'baseline-ref': 'main' }), env({ pullRequest }));
    expect(snapshot?.source).toContain('at main');
  });

  it('a merge-base git cannot find (a shallow checkout) names baseline-ref', async () => {
    const pullRequest = { baseSha: 'f'.repeat(40), headSha: shas['head'] ?? '' };
    const issue = await configIssue(readZeroConfigBase(config(), env({ pullRequest })));
    expect(issue.text).toMatch(/input 'baseline-ref'.*git merge-base fffffff .*fetch-depth: 0/);
  });
});
