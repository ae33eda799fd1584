/**
 * Bad action inputs through the Action's entry (src/main.ts, with the environment and files the
 * runner gives a step): each fails the step with one `::error::` naming the input, the value and
 * what was expected, before any connection to the server, and writes no outputs. Every case runs
 * the entry in this process (test/support/action-in-process.ts); two of them also run it as its
 * own process, as the runner does, to prove the two agree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectionCounter, type ConnectionCounter } from '../support/connection-counter.js';
import { runActionInProcess } from '../support/action-in-process.js';
import {
  runActionStep,
  workflowCommands,
  type ActionStepOptions,
  type ActionStepResult,
} from '../support/run-entry.js';
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

function stepOf(testCase: ActionCase): ActionStepOptions {
  return {
    workDir,
    inputs: {
      ...(testCase.isModelUnset === true ? {} : { model: 'demo_onnx' }),
      'server-url': counter.address,
      ...testCase.inputs,
    },
    ...(testCase.files === undefined ? {} : { files: testCase.files }),
    timeoutMs: 60_000,
  };
}

function expectFailedBeforeAnyConnection(testCase: ActionCase, result: ActionStepResult): void {
  expect(result.isTimedOut).toBe(false);
  const errors = workflowCommands(result.stdout, 'error');
  expect(errors, result.stdout).toHaveLength(1);
  expect(errors[0]).toMatch(/^ConfigError: /);
  expectRejected(testCase, { exitCode: result.exitCode, text: shownText(result) });
  // Fails fast: nothing reached the server, and no output claims a pass.
  expect(counter.connections()).toBe(0);
  expect(result.outputs['verdict']).not.toBe('pass');
}

describe('bad action inputs fail the step before any connection', () => {
  it.for(ACTION_CASES)('$name', async (testCase) => {
    expectWellFormed(testCase);
    expectFailedBeforeAnyConnection(testCase, await runActionInProcess(stepOf(testCase)));
  });
});

describe('as the runner starts it, in a process of its own', () => {
  // An input value and a config file in the workspace: the two ways a step gets its inputs.
  const spawned = [ACTION_CASES[0], ACTION_CASES.find((c) => c.files !== undefined)];
  it.for(spawned.filter((c) => c !== undefined))('$name', async (testCase) => {
    expectFailedBeforeAnyConnection(testCase, await runActionStep(stepOf(testCase)));
  });
});

describe('the table of action cases', () => {
  it('has distinct names', () => {
    expect(new Set(ACTION_CASES.map((c) => c.name)).size).toBe(ACTION_CASES.length);
  });
});
