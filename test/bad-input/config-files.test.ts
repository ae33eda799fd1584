/**
 * Bad YAML config files through the CLI's `main` (`run --config-file <dir>/perf.yml`): each
 * exits 2 naming the file (or the input and the file's line), before any connection.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';
import { startConnectionCounter, type ConnectionCounter } from '../support/connection-counter.js';
import { excerptOf, expectRejected, expectWellFormed } from './bad-input-case.js';
import { CONFIG_FILE_CASES } from './config-file-cases.js';

let counter: ConnectionCounter;

beforeAll(async () => {
  counter = await startConnectionCounter();
});

afterAll(async () => {
  await counter.close();
});

describe('bad config files exit 2 before any connection', () => {
  it.for(CONFIG_FILE_CASES)('$name', async (testCase) => {
    const dir = await mkdtemp(join(tmpdir(), 'ttg-bad-yaml-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'perf.yml');
    if (testCase.yaml !== undefined) await writeFile(path, testCase.yaml);
    // The value column of a file problem is the offending line, not the quoted path.
    expectWellFormed(testCase, { isValueQuoted: testCase.input !== 'config-file' });
    expect(excerptOf(testCase)).toContain(testCase.input);
    const outcome = await runCliInProcess(['run', '--server-url', counter.address, '--config-file', path]);
    expectRejected(testCase, { exitCode: outcome.exitCode, text: outcome.stderr }, { dir });
    // The verdict is the last line of run on every path, bad input included.
    expect(outcome.stdout).toBe('verdict: failure\n');
    expect(counter.connections()).toBe(0);
  });
});

describe('the table of config-file cases', () => {
  it('has distinct names', () => {
    expect(new Set(CONFIG_FILE_CASES.map((c) => c.name)).size).toBe(CONFIG_FILE_CASES.length);
  });
});
