/**
 * Bad stored data through `compare` / `report` (stored-data-cases.ts), CLI `main` in process:
 * exit 2, the flag, the path and the reason named, and every file left byte for byte as it was.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedRunText } from '../../src/baseline/stored-run.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { verdictLineOf } from './bad-input-case.js';
import { makeRun } from '../support/baseline-runs.js';
import { makeShardRun, type ShardSpec } from '../support/shard-runs.js';
import { expectRejected, expectWellFormed, fillPlaceholders } from './bad-input-case.js';
import { STORED_DATA_CASES } from './stored-data-cases.js';

let dir: string;

/** The files every case reads from, derived from one valid run. */
function storedFiles(): Record<string, string> {
  const valid = storedRunText(makeRun({ isComplete: true }));
  const json = JSON.parse(valid) as Record<string, unknown> & { cells: Record<string, unknown>[] };
  const firstCell = json.cells[0] ?? {};
  const shards: ShardSpec = { maxBatch: [8, 16], users: [1], count: 2 };
  const shard2 = makeShardRun(shards, 2);
  return {
    'shard-1.json': storedRunText(makeShardRun(shards, 1)),
    'shard-2.json': storedRunText(shard2),
    'shard-2-triton.json': storedRunText({
      ...shard2,
      environment: { ...shard2.environment, tritonVersion: '2.52.0' },
    }),
    'valid.json': valid,
    'future.json': JSON.stringify({ ...json, schemaVersion: 99 }),
    'truncated.json': valid.slice(0, Math.floor(valid.length / 2)),
    'wrong-types.json': JSON.stringify({ ...json, cells: [{ ...firstCell, users: '4' }, ...json.cells.slice(1)] }),
    'not-a-run.json': '{"hello": 1}\n',
    'incomplete-flag.json': JSON.stringify({ ...json, isComplete: 'yes' }),
  };
}

async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name), 'utf8');
  return files;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ttg-bad-stored-'));
  for (const [name, text] of Object.entries(storedFiles())) await writeFile(join(dir, name), text);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bad stored data exits 2 and is never rewritten', () => {
  it('starts from a valid run that compare accepts', async () => {
    const valid = join(dir, 'valid.json');
    const outcome = await runCliInProcess(['compare', '--current', valid, '--baseline', valid]);
    expect(outcome.exitCode, outcome.stderr).toBe(0);
  });

  it('starts from two shards that merge accepts', async () => {
    const outcome = await runCliInProcess(['merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json')]);
    expect(outcome.exitCode, outcome.stderr).toBe(0);
  });

  it.for(STORED_DATA_CASES)('$name', async (testCase) => {
    // A missing flag has no value to quote.
    expectWellFormed(testCase, { isValueQuoted: testCase.value !== '(not given)' });
    const before = await snapshot();
    const outcome = await runCliInProcess(testCase.argv.map((arg) => fillPlaceholders(arg, { dir })));
    expectRejected(testCase, { exitCode: outcome.exitCode, text: outcome.stderr }, { dir });
    expect(outcome.stdout).toBe(verdictLineOf(testCase.argv));
    expect(await snapshot()).toEqual(before);
  });
});
