/**
 * Runs our two entry points as separate processes, from source through tsx's loader (`node
 * --import <tsx> src/cli.ts ...`): node itself is the child, so a signal sent to `child.pid`
 * reaches the CLI (an `npx` wrapper would swallow it), and no build step can go stale or race
 * with test/integration/e2e-action.test.ts, which rebuilds dist/ (`rm -rf dist` first) in its
 * beforeAll. The bundle itself is what that e2e test runs.
 *
 * The Action is started as the runner starts it (inputs as `INPUT_<NAME>` with dashes kept,
 * event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), with nothing of the test process's
 * environment but PATH and HOME.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseOutputFile } from '../e2e/run-bundled-action.js';

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** How a child process ended and what it printed. */
export interface ProcessResult {
  /** null when killed by a signal (then `signal` says which). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the safety timeout had to SIGKILL it. */
  readonly isTimedOut: boolean;
}

/** A started child process and its outcome. */
export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (grows while it runs). */
  readonly output: () => { readonly stdout: string; readonly stderr: string };
  readonly done: Promise<ProcessResult>;
}

/** Options of {@link startEntry}. */
export interface StartOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** SIGKILL after this long, so a hang fails the test with its output instead of timing it out. */
  readonly timeoutMs: number;
}

/** Starts `node --import tsx <script> ...args`; the caller must await `done` (or kill it). */
export function startEntry(script: string, args: readonly string[], options: StartOptions): RunningProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(REPO_ROOT, script), ...args], {
    env: { ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<ProcessResult>((resolvePromise, reject) => {
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code, signal, stdout, stderr, isTimedOut });
    });
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** PATH and HOME only: what every child gets from us. */
export function baseEnv(): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' };
}

/** Runs the CLI (`src/cli.ts`) to the end. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<ProcessResult> {
  return startEntry('src/cli.ts', args, {
    cwd: options.cwd,
    env: { ...baseEnv(), ...options.env },
    timeoutMs: options.timeoutMs ?? 60_000,
  }).done;
}

/** One Action step. */
export interface ActionStepOptions {
  /** Scratch directory; the step gets its own subdirectory (the workspace). */
  readonly workDir: string;
  /** `with:` inputs by their action.yml names. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly eventName?: string;
  readonly payload?: object;
  /** GITHUB_* variables beyond the event. */
  readonly env?: Readonly<Record<string, string>>;
  /** Files to write into the workspace first (config files), by relative path. */
  readonly files?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** What a step left behind. */
export interface ActionStepResult extends ProcessResult {
  readonly workspace: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly outputFile: string;
  readonly summary: string;
}

/** A step's files and environment, written and built by {@link prepareActionStep}. */
export interface PreparedStep {
  /** The workspace: the step's working directory. */
  readonly workspace: string;
  /** What the runner sets: PATH and HOME, `GITHUB_*`, `RUNNER_TEMP`, the inputs as `INPUT_<NAME>`. */
  readonly env: Readonly<Record<string, string>>;
  /** Reads `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` once the step ended. */
  readonly collect: (result: ProcessResult) => ActionStepResult;
}

/**
 * Writes the step's workspace (event file, empty output and summary files, config files) and
 * builds its environment as the runner does. `summaryPath` replaces the step's own summary file
 * (the in-process runner keeps one: @actions/core remembers the first path it was given).
 */
export function prepareActionStep(step: ActionStepOptions, summaryPath?: string): PreparedStep {
  mkdirSync(step.workDir, { recursive: true });
  const workspace = mkdtempSync(join(step.workDir, 'step-'));
  const eventPath = join(workspace, '.event.json');
  const outputPath = join(workspace, '.github-output');
  const summary = summaryPath ?? join(workspace, '.step-summary.md');
  const runnerTemp = join(workspace, '.runner-temp');
  mkdirSync(runnerTemp);
  writeFileSync(eventPath, JSON.stringify(step.payload ?? {}));
  writeFileSync(outputPath, '');
  writeFileSync(summary, '');
  for (const [path, text] of Object.entries(step.files ?? {})) writeFileSync(join(workspace, path), text);
  const env: Record<string, string> = {
    ...baseEnv(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: step.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    ...step.env,
  };
  // The runner's naming: upper-cased, spaces to underscores, dashes kept (`INPUT_MAX-BATCH`).
  for (const [name, value] of Object.entries(step.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return {
    workspace,
    env,
    collect: (result) => {
      const outputFile = readFileSync(outputPath, 'utf8');
      return {
        ...result,
        workspace,
        outputs: parseOutputFile(outputFile),
        outputFile,
        summary: readFileSync(summary, 'utf8'),
      };
    },
  };
}

/** Runs `src/main.ts` as one step of a job, in its own process. */
export async function runActionStep(step: ActionStepOptions): Promise<ActionStepResult> {
  const prepared = prepareActionStep(step);
  const result = await startEntry('src/main.ts', [], {
    env: prepared.env,
    cwd: prepared.workspace,
    timeoutMs: step.timeoutMs ?? 120_000,
  }).done;
  return prepared.collect(result);
}

/**
 * The text of `::error::` / `::warning::` workflow commands in `stdout`, decoded as the runner
 * decodes them (`%0A` newline, `%0D` carriage return, `%25` percent).
 */
export function workflowCommands(stdout: string, kind: 'error' | 'warning'): string[] {
  const prefix = `::${kind}::`;
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}
