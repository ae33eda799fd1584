/**
 * Runs the bundled Action (`node dist/index.js`) the way the Actions runner does: inputs as
 * `INPUT_<NAME>` environment variables (upper-cased, dashes kept: `INPUT_SERVER-URL`), the
 * event payload in a file named by `GITHUB_EVENT_PATH`, outputs and summary in the files of
 * `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`, scratch space in `RUNNER_TEMP`. Nothing of the
 * test process's environment leaks in but `PATH` and `HOME`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (dist/ lives there). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** One Action step to run. */
export interface ActionStep {
  /** Scratch directory; each step gets its own subdirectory. */
  readonly workDir: string;
  /** `with:` inputs by their action.yml names. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly eventName: string;
  readonly payload: object;
  /** GITHUB_* variables beyond the event: GITHUB_SHA, GITHUB_REF, GITHUB_API_URL, ... */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /**
   * The job's checkout: the step's working directory and GITHUB_WORKSPACE, as actions/checkout
   * leaves them. Default: the step's own scratch directory.
   */
  readonly checkoutDir?: string;
}

/** What the step left behind. */
export interface StepResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Parsed `GITHUB_OUTPUT`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Raw `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` text. */
  readonly outputFile: string;
  readonly summary: string;
  readonly runnerTemp: string;
}

/** Runs one step of the bundled action; resolves when the process exits. */
export async function runBundledAction(step: ActionStep): Promise<StepResult> {
  mkdirSync(step.workDir, { recursive: true });
  const dir = mkdtempSync(join(step.workDir, 'step-'));
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'github-output');
  const summaryPath = join(dir, 'step-summary.md');
  const runnerTemp = join(dir, 'runner-temp');
  mkdirSync(runnerTemp);
  writeFileSync(eventPath, JSON.stringify(step.payload, null, 2));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: step.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: step.checkoutDir ?? dir,
    RUNNER_TEMP: runnerTemp,
    ...step.env,
  };
  for (const [name, value] of Object.entries(step.inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const { exitCode, stdout, stderr } = await spawnNode(
    join(REPO_ROOT, 'dist', 'index.js'),
    env,
    step.checkoutDir ?? dir,
    step.timeoutMs ?? 150_000,
  );
  const outputFile = readFileSync(outputPath, 'utf8');
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(outputFile),
    outputFile,
    summary: readFileSync(summaryPath, 'utf8'),
    runnerTemp,
  };
}

/**
 * `GITHUB_OUTPUT` as @actions/core writes it: `name<<delimiter`, the value's lines, then the
 * delimiter (the runner's own format for multi-line values).
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const header = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (header === null) continue;
    const [, name = '', delimiter] = header;
    const end = lines.indexOf(delimiter ?? '', i + 1);
    if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing delimiter for ${name}`);
    outputs[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

function spawnNode(script: string, env: Record<string, string>, cwd: string, timeoutMs: number) {
  return new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // A hung action must fail the test with its output, not time the whole file out.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code, stdout, stderr });
    });
  });
}
