/**
 * Bad CLI flags through the CLI's `main` (in process, output captured): each exits 2 with one
 * message naming the flag or input, the value and what was expected, before any connection
 * to the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';
import { verdictLineOf } from './bad-input-case.js';
import { startConnectionCounter, type ConnectionCounter } from '../support/connection-counter.js';
import { expectRejected, expectWellFormed } from './bad-input-case.js';
import { CLI_CASES, type CliCase } from './cli-cases.js';

let counter: ConnectionCounter;

beforeAll(async () => {
  counter = await startConnectionCounter();
});

afterAll(async () => {
  await counter.close();
});

/** The case's argv with `--server-url` pointing at the counter, right after the command. */
function argvOf(testCase: CliCase): string[] {
  const [command = '', ...rest] = testCase.argv;
  return rest.includes('--server-url') ? [...testCase.argv] : [command, '--server-url', counter.address, ...rest];
}

describe('bad CLI flags exit 2 before any connection', () => {
  it.for(CLI_CASES)('$name', async (testCase) => {
    expectWellFormed(testCase);
    const outcome = await runCliInProcess(argvOf(testCase));
    expectRejected(testCase, { exitCode: outcome.exitCode, text: `${outcome.stderr}${outcome.stdout}` });
    // One error, on stderr; stdout (tables, JSON) stays empty; no line ends on a dangling ':'
    // (the yaml library's messages end so, before a code excerpt we do not show).
    expect(outcome.stderr).toMatch(/^(ConfigError|UsageError): /);
    expect(outcome.stderr.split('\n').filter((line) => line.endsWith(':'))).toEqual([]);
    // The verdict is the last line of run, merge and compare on every path, bad input included.
    expect(outcome.stdout).toBe(verdictLineOf(argvOf(testCase)));
    expect(counter.connections()).toBe(0);
  });
});

describe('the table of CLI cases', () => {
  it('has distinct names', () => {
    expect(new Set(CLI_CASES.map((c) => c.name)).size).toBe(CLI_CASES.length);
  });
});
