/**
 * Runs the Action's entry (src/main.ts) inside the test process, with the environment, event and
 * files the runner gives a step (run-entry.ts's prepareActionStep): the same code path as
 * `runActionStep` without a process start per step (about a second each), for the tens of
 * bad-input cases. Each call evaluates main.ts anew (its own import URL; the modules it imports
 * stay loaded) with the step's environment, working directory, `process.exitCode` and
 * stdout/stderr swapped in for the call's duration, so calls must not overlap. The environment
 * is the test process's own with every variable the action reads (`INPUT_*`, `GITHUB_*`,
 * `RUNNER_*`, `TTG_*`) replaced by the step's: the test runner itself needs the rest.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareActionStep, type ActionStepOptions, type ActionStepResult } from './run-entry.js';

const MAIN_URL = pathToFileURL(resolve(import.meta.dirname, '../../src/main.ts')).href;

type Write = typeof process.stdout.write;

let steps = 0;
let isRunning = false;
/**
 * One summary file for every call: @actions/core keeps the first GITHUB_STEP_SUMMARY path it
 * reads, and its module is loaded once. Cleared before each step.
 */
let summaryPath: string | undefined;

/** Runs one step; resolves with what `runActionStep` would return (never timed out or signalled). */
export async function runActionInProcess(step: ActionStepOptions): Promise<ActionStepResult> {
  if (isRunning) throw new Error('runActionInProcess: calls must not overlap (the process is shared)');
  isRunning = true;
  summaryPath ??= join(step.workDir, '.step-summary.md');
  const prepared = prepareActionStep(step, summaryPath);
  const saved = { env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode };
  const output = { stdout: [] as string[], stderr: [] as string[] };
  // Reflect.get: the very function objects, to put back unchanged (not bound copies).
  const writes = {
    stdout: Reflect.get<typeof process.stdout, 'write'>(process.stdout, 'write'),
    stderr: Reflect.get<typeof process.stderr, 'write'>(process.stderr, 'write'),
  };
  const capture =
    (into: string[]): Write =>
    (chunk: string | Uint8Array) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  replaceEnv({ ...withoutActionVariables(saved.env), ...prepared.env });
  process.chdir(prepared.workspace);
  process.exitCode = undefined;
  process.stdout.write = capture(output.stdout);
  process.stderr.write = capture(output.stderr);
  try {
    steps += 1;
    // Resolves once main.ts's top-level `await run()` has finished: the step is over.
    await import(`${MAIN_URL}?step=${String(steps)}`);
    return prepared.collect({
      exitCode: exitCodeSet(),
      signal: null,
      stdout: output.stdout.join(''),
      stderr: output.stderr.join(''),
      isTimedOut: false,
    });
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    replaceEnv(saved.env);
    isRunning = false;
  }
}

/** What `core.setFailed` left (a function: the step's assignment is out of TypeScript's sight). */
function exitCodeSet(): number {
  const code = process.exitCode;
  return code === undefined ? 0 : Number(code);
}

const ACTION_VARIABLE = /^(INPUT_|GITHUB_|RUNNER_|TTG_)/;

function withoutActionVariables(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !ACTION_VARIABLE.test(name)));
}

/** Makes `process.env` hold exactly `env` (in place: the object itself is special in Node). */
function replaceEnv(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(process.env)) if (!(name in env)) Reflect.deleteProperty(process.env, name);
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
}
