import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandGlob, readShardResults } from '../../../src/baseline/read-shard-results.js';
import { storedRunText } from '../../../src/baseline/stored-run.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { makeShardRuns } from '../../support/shard-runs.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ttg-shard-files-'));
  const runs = makeShardRuns({ maxBatch: [8, 16], users: [1], count: 2 });
  // actions/download-artifact's layout: one folder per artifact.
  for (const [i, run] of runs.entries()) {
    await mkdir(join(dir, 'shards', `shard-${i + 1}`), { recursive: true });
    await writeFile(join(dir, 'shards', `shard-${i + 1}`, 'result.json'), storedRunText(run));
  }
  await mkdir(join(dir, 'shards', '.hidden'));
  await writeFile(join(dir, 'shards', '.hidden', 'result.json'), '{}');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readShardResults', () => {
  it('reads a directory of artifact folders, skipping dot-folders', async () => {
    const files = await readShardResults([join(dir, 'shards')], 'shard-results');
    expect(files.map((file) => file.path)).toEqual([
      join(dir, 'shards', 'shard-1', 'result.json'),
      join(dir, 'shards', 'shard-2', 'result.json'),
    ]);
    expect(files.map((file) => file.run.shard?.index)).toEqual([1, 2]);
  });

  it('expands globs, and reads a file named twice once', async () => {
    expect(await expandGlob(join(dir, 'shards', '*', 'result.json'))).toEqual([
      join(dir, 'shards', 'shard-1', 'result.json'),
      join(dir, 'shards', 'shard-2', 'result.json'),
    ]);
    expect(await expandGlob(join(dir, 'shards', 'shard-?'))).toHaveLength(2);
    const files = await readShardResults(
      [join(dir, 'shards', '*', 'result.json'), join(dir, 'shards', 'shard-1', 'result.json')],
      'merge',
    );
    expect(files).toHaveLength(2);
  });

  it('names the input, the path and why for a glob matching nothing, a missing path or an empty folder', async () => {
    expect(await messageOf(readShardResults([join(dir, 'nope-*.json')], 'shard-results'))).toBe(
      `input 'shard-results': got '${join(dir, 'nope-*.json')}', expected a pattern matching the shard jobs' result files; it matches no file`,
    );
    expect(await messageOf(readShardResults([join(dir, 'gone')], 'merge'))).toContain(
      `input 'merge': got '${join(dir, 'gone')}', expected a shard result JSON file or a directory of them; ENOENT`,
    );
    await mkdir(join(dir, 'empty'));
    expect(await messageOf(readShardResults([join(dir, 'empty')], 'merge'))).toContain('it holds no *.json file');
  });

  it('refuses a file that is not a RunResult, naming it', async () => {
    await writeFile(join(dir, 'shards', 'notes.json'), '{"hello": 1}');
    expect(await messageOf(readShardResults([join(dir, 'shards')], 'merge'))).toBe(
      `input 'merge': got '${join(dir, 'shards', 'notes.json')}', expected a triton-throughput-gate result JSON; not a triton-throughput-gate result: no integer \`schemaVersion\``,
    );
  });
});
