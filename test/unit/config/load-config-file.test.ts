import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mergeRawInputs,
  parseConfigFile,
  readConfigFile,
  resolveConfigFile,
} from '../../../src/config/load-config-file.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { configErrorOf } from './issues-of.js';

const FILE = 'perf/throughput.yml';

describe('parseConfigFile converts YAML values to raw strings', () => {
  it.each([
    ['model: resnet', { model: 'resnet' }],
    ['requests: 480', { requests: '480' }],
    ['requests: "480"', { requests: '480' }],
    ["max-cv: '10%'", { 'max-cv': '10%' }],
    ['max-cv: 10%', { 'max-cv': '10%' }],
    ['confirm: false', { confirm: 'false' }],
    // Plain scalars keep their source text so parseConfig stays strict (0x20 is not silently 32).
    ['requests: 0x20', { requests: '0x20' }],
    ['requests: 1e3', { requests: '1e3' }],
    ['confirm: True', { confirm: 'True' }],
    ['alpha: 0.050', { alpha: '0.050' }],
    ['model:', { model: '' }],
    ['model: ~', { model: '' }],
    ['max-batch: [8, 16, 32]', { 'max-batch': '8,16,32' }],
    ['max-batch:\n  - 64\n  - 8', { 'max-batch': '64,8' }],
    ['users: [1-4, 8]', { users: '1-4,8' }],
    ['users: 1-10', { users: '1-10' }],
    ['shape:\n  - "TEXT:4"\n  - "MASK:4,8"', { shape: 'TEXT:4 MASK:4,8' }],
    [
      'server-headers:\n  - "authorization: Bearer a,b"\n  - "x-team: ml"',
      { 'server-headers': 'authorization: Bearer a,b\nx-team: ml' },
    ],
    ['batch-command: |\n  ./set-mb.sh\n  echo done\n', { 'batch-command': './set-mb.sh\necho done\n' }],
    ['inputs: \'[{"name": "a"}]\'', { inputs: '[{"name": "a"}]' }],
    ['', {}],
    ['# only a comment\n', {}],
  ])('%j', (text, expected) => {
    expect(parseConfigFile(text, FILE)).toEqual(expected);
  });

  it('turns an inputs list of objects into JSON text that parseConfig accepts', () => {
    const raw = parseConfigFile(
      'model: bert\ninputs:\n  - name: ids\n    datatype: INT64\n    shape: [128]\n    data: {file: ids.json}\n  - name: mask\n    data: zeros\n',
      FILE,
    );
    expect(JSON.parse(raw.inputs ?? '')).toEqual([
      { name: 'ids', datatype: 'INT64', shape: [128], data: { file: 'ids.json' } },
      { name: 'mask', data: 'zeros' },
    ]);
    expect(parseConfig(raw).matrix.inputs).toHaveLength(2);
  });

  it('resolves aliases', () => {
    expect(parseConfigFile('max-batch: &mb 8,16\nusers: *mb\n', FILE)).toEqual({ 'max-batch': '8,16', users: '8,16' });
  });

  it('keeps the strictness of parseConfig end to end', () => {
    const error = configErrorOf(() => parseConfig(parseConfigFile('model: resnet\nrequests: 0x20\n', FILE)));
    expect(error.issues).toEqual([expect.objectContaining({ input: 'requests', value: '0x20' })]);
  });
});

describe('parseConfigFile refuses malformed files', () => {
  it.each([
    ['model: resnet\n  users: [1,\n', 'valid YAML', 'line 1'],
    ['model: resnet\nmodel: bert\n', 'valid YAML', 'Map keys must be unique at line 2, column 1'],
    ['model: a\n---\nmodel: b\n', 'valid YAML', 'multiple documents'],
    ['users: [1, 2\n', 'valid YAML', 'line'],
    ['- model: resnet\n', 'a YAML mapping of input names to values', 'the file is not a mapping'],
    ['resnet\n', 'a YAML mapping of input names to values', 'the file is not a mapping'],
    [
      'model: resnet\nmax_batch: 8\n',
      'input names as keys',
      "line 2: unknown key 'max_batch', did you mean 'max-batch'?",
    ],
    ['user: 1-4\n', 'input names as keys', "line 1: unknown key 'user', did you mean 'users'?"],
    ['maxBatch: 8\n', 'input names as keys', "unknown key 'maxBatch', did you mean 'max-batch'?"],
    ['gpu: a100\n', 'input names as keys', "line 1: unknown key 'gpu'"],
    ['github-token: ghp_x\n', 'input names as keys', 'github-token is an action input only'],
    ['config-file: other.yml\n', 'input names as keys', 'a config file cannot name another config file'],
    ['users: *missing\n', 'valid YAML', 'Unresolved alias'],
  ])('%j', (text, expected, hint) => {
    const error = configErrorOf(() => parseConfigFile(text, FILE));
    const [issue] = error.issues;
    expect(issue).toMatchObject({ input: 'config-file', value: FILE, expected });
    expect(issue?.hint).toContain(hint);
  });

  it('has no suggestion for a key far from every input name', () => {
    const error = configErrorOf(() => parseConfigFile('gpu: a100\n', FILE));
    expect(error.issues[0]?.hint).toBe("line 1: unknown key 'gpu'");
  });

  it.each([
    ['users:\n  from: 1\n  to: 4\n', 'users', 'a single value or a list of values', 'in perf/throughput.yml line 2'],
    ['model:\n  name: resnet\n', 'model', 'a single value', 'line 2'],
    ['model: [resnet, bert]\n', 'model', 'a single value', 'line 1'],
    ['requests: [480]\n', 'requests', 'a single value', 'line 1'],
    ['users: []\n', 'users', 'a list of single values', 'the list is empty'],
    ['users: [[1, 2], 3]\n', 'users', 'a list of single values', 'line 1'],
    ['max-batch: [8, ~]\n', 'max-batch', 'a list of single values', 'line 1'],
    ['inputs: {name: a}\n', 'inputs', 'a list of {name, datatype?, shape?, data?} or JSON text', 'line 1'],
  ])('%j: wrong shape for %s', (text, input, expected, hint) => {
    const [issue] = configErrorOf(() => parseConfigFile(text, FILE)).issues;
    expect(issue).toMatchObject({ input, expected });
    expect(issue?.hint).toContain(hint);
  });

  it('reports every bad key and value at once', () => {
    const error = configErrorOf(() => parseConfigFile('max_batch: 8\nmodel: [a]\nuser: 2\ntrials: 3\n', FILE));
    expect(error.issues.map((issue) => issue.input)).toEqual(['config-file', 'model', 'config-file']);
  });

  it('masks server-headers values of the wrong shape', () => {
    const error = configErrorOf(() => parseConfigFile('server-headers:\n  authorization: Bearer s3cr3t\n', FILE));
    expect(error.issues[0]).toMatchObject({ input: 'server-headers', value: '***' });
    expect(error.message).not.toContain('s3cr3t');
  });
});

describe('mergeRawInputs', () => {
  it.each([
    ['explicit wins', { users: '1-4' }, { users: '1,2' }, { users: '1,2' }],
    [
      'file fills what is not given',
      { users: '1-4', model: 'resnet' },
      { trials: '3' },
      { users: '1-4', model: 'resnet', trials: '3' },
    ],
    ['an empty explicit value does not shadow the file', { users: '1-4' }, { users: '' }, { users: '1-4' }],
    ['an empty file value is not given', { users: '' }, {}, {}],
    ['both empty', {}, {}, {}],
  ])('%s', (_case, fileRaw, explicitRaw, expected) => {
    expect(mergeRawInputs(fileRaw, explicitRaw)).toEqual(expected);
  });
});

describe('readConfigFile and resolveConfigFile (file I/O)', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  async function writeTemp(text: string): Promise<string> {
    directory = await mkdtemp(join(tmpdir(), 'ttg-config-'));
    const path = join(directory, 'throughput.yml');
    await writeFile(path, text);
    return path;
  }

  it('names config-file and the path when the file does not exist', async () => {
    const missing = join(tmpdir(), 'ttg-no-such-dir', 'throughput.yml');
    const error = await readConfigFile(missing).then(
      () => expect.fail('expected a ConfigError'),
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: 'ConfigError',
      issues: [
        { input: 'config-file', value: missing, expected: 'a readable YAML file', hint: 'the file does not exist' },
      ],
    });
  });

  it('names a directory given as the file', async () => {
    const path = await writeTemp('model: resnet\n');
    const folder = join(path, '..');
    await expect(readConfigFile(folder)).rejects.toMatchObject({
      issues: [{ input: 'config-file', value: folder, hint: 'it is a directory' }],
    });
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const path = await writeTemp('');
    await rm(path);
    execFileSync('mkfifo', [path]);
    await expect(readConfigFile(path)).rejects.toMatchObject({
      issues: [{ input: 'config-file', value: path, hint: 'it is not a regular file (a FIFO, device or socket)' }],
    });
  });

  it('refuses a device such as /dev/zero instead of reading it forever', async () => {
    await expect(readConfigFile('/dev/zero')).rejects.toMatchObject({
      issues: [
        { input: 'config-file', value: '/dev/zero', hint: 'it is not a regular file (a FIFO, device or socket)' },
      ],
    });
  });

  it('refuses a file over 1 MiB', async () => {
    const path = await writeTemp(`# ${'x'.repeat(1024 * 1024)}\nmodel: resnet\n`);
    await expect(readConfigFile(path)).rejects.toMatchObject({
      issues: [{ input: 'config-file', value: path, hint: 'it is larger than 1024 KiB' }],
    });
  });

  it('reads, converts and merges under explicit inputs', async () => {
    const path = await writeTemp('model: resnet\nusers: [1, 2, 4]\ntrials: 3\n');
    const raw = await resolveConfigFile({ 'config-file': path, trials: '7', users: '' });
    expect(raw).toEqual({ 'config-file': path, model: 'resnet', users: '1,2,4', trials: '7' });
    expect(parseConfig(raw).matrix).toMatchObject({ users: [1, 2, 4], trials: 7 });
  });

  it('leaves inputs unchanged without config-file', async () => {
    expect(await resolveConfigFile({ model: 'resnet' })).toEqual({ model: 'resnet' });
  });
});
