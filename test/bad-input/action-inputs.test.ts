/**
 * Bad action inputs through the Action's entry (src/main.ts, started as the runner starts it):
 * each fails the step with one `::error::` naming the input, the value and what was expected,
 * before any connection to the server, and writes no outputs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectionCounter, type ConnectionCounter } from '../support/connection-counter.js';
import { runActionStep, workflowCommands, type ActionStepResult } from '../support/run-entry.js';
import { ACTION_CASES, type ActionCase } from './action-cases.js';
import { expectRejected, expectWellFormed } from './bad-input-case.js';

let counter: ConnectionCounter;
let workDir: string;

beforeAll(async () => {
  counter = await startConnectionCounter();
  workDir = mkdtempSync(join(tmpdir(), 'ttg-bad-action-'));
});

afterAll(async () => {
  await counter.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** What a user sees of a step: stdout but the mask commands the runner consumes, stderr, files. */
function shownText(result: ActionStepResult): string {
  const stdout = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [stdout, ...workflowCommands(result.stdout, 'error'), result.stderr, result.summary, result.outputFile].join(
    '\n',
  );
}

function stepOf(testCase: ActionCase): Promise<ActionStepResult> {
  return runActionStep({
    workDir,
    inputs: {
      ...(testCase.isModelUnset === true ? {} : { model: 'demo_onnx' }),
      'server-url': counter.address,
      ...testCase.inputs,
    },
    ...(testCase.files === undefined ? {} : { files: testCase.files }),
    timeoutMs: 60_000,
  });
}

describe('bad action inputs fail the step before any connection', () => {
  // Each case is its own process (~1 s of startup), so they run a few at a time.
  it.concurrent.for(ACTION_CASES)('$name', async (testCase, { expect: expectHere }) => {
    expectWellFormed(testCase);
    const result = await stepOf(testCase);
    expectHere(result.isTimedOut).toBe(false);
    const errors = workflowCommands(result.stdout, 'error');
    expectHere(errors, result.stdout).toHaveLength(1);
    expectHere(errors[0]).toMatch(/^ConfigError: /);
    expectRejected(testCase, { exitCode: result.exitCode, text: shownText(result) });
    // Fails fast: nothing reached the server, and no output claims a pass.
    expectHere(counter.connections()).toBe(0);
    expectHere(result.outputs['verdict']).not.toBe('pass');
  });
});

describe('the table of action cases', () => {
  it('has distinct names', () => {
    expect(new Set(ACTION_CASES.map((c) => c.name)).size).toBe(ACTION_CASES.length);
  });
});
