/**
 * The moving parts of `npm run bench:faults` (bench/faults.ts): an entry point (the CLI or the
 * Action, from source through tsx) as its own process, a watcher that timestamps the phases of
 * its run on the server (each unload of the head model, the first measured requests after it),
 * and the models' served state before and after a case, compared field by field.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { isSameConfig, readServedState, type ServedState } from '../src/control/served-state.js';
import { leaseOf } from '../src/control/model-lease.js';
import type { TritonClient } from '../src/triton/triton-client.js';
import { parseOutputFile } from '../test/e2e/run-bundled-action.js';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Which entry runs, and how. */
export type EntryKind = 'cli' | 'action';

/** A started run and what it left. */
export interface RunningEntry {
  readonly child: ChildProcess;
  readonly startedAt: number;
  /** When the process ended (performance.now) and how. */
  readonly done: Promise<{
    readonly exitCode: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly at: number;
  }>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** The Action's `verdict` output (its last value), or the CLI's last `verdict:` line. */
  readonly verdict: () => string | undefined;
}

/** Starts the CLI (`run` with `--<input>` flags) or the Action (`INPUT_<NAME>`) with `inputs`. */
export function startEntry(
  kind: EntryKind,
  inputs: Readonly<Record<string, string>>,
  cwd: string,
  extraEnv: Readonly<Record<string, string>> = {},
): RunningEntry {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    ...extraEnv,
  };
  let outputFile: string | undefined;
  let args: string[];
  if (kind === 'cli') {
    args = [join(REPO_ROOT, 'src/cli.ts'), 'run', ...Object.entries(inputs).flatMap(([k, v]) => [`--${k}`, v])];
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'ttg-faults-action-'));
    outputFile = join(dir, 'output');
    writeFileSync(outputFile, '');
    writeFileSync(join(dir, 'event.json'), '{}');
    writeFileSync(join(dir, 'summary.md'), '');
    Object.assign(env, {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      RUNNER_TEMP: dir,
    });
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    args = [join(REPO_ROOT, 'src/main.ts')];
  }
  const child = spawn(process.execPath, ['--import', TSX_LOADER, ...args], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; at: number }>((resolveDone) => {
    child.on('close', (exitCode, signal) => {
      resolveDone({ exitCode, signal, at: performance.now() });
    });
  });
  const verdict = (): string | undefined => {
    if (outputFile !== undefined) return parseOutputFile(readFileSync(outputFile, 'utf8'))['verdict'];
    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    return /^verdict: (\w+)$/.exec(last)?.[1];
  };
  return { child, startedAt: performance.now(), done, stdout: () => stdout, stderr: () => stderr, verdict };
}

/** When each phase of a run was first seen on the server (performance.now), keyed by name. */
export interface Timeline {
  /** `unload-1` (the first row's load begins), `unload-2`, `unload-3` (…), `measure-1`, `measure-2`. */
  readonly seen: Map<string, number>;
  stop(): void;
}

/**
 * Polls the head model every 20 ms: each time it stops being served is an `unload-N`; the first
 * successful inferences after `unload-N` are `measure-N`.
 */
export function watchPhases(client: TritonClient, model: string): Timeline {
  const seen = new Map<string, number>();
  const state = { isStopped: false };
  const isStopped = (): boolean => state.isStopped;
  void (async () => {
    let wasServed = true;
    let unloads = 0;
    let successes: number | undefined;
    while (!isStopped()) {
      const isServed = await client.modelReady(model, '', { timeoutMs: 1000 }).catch(() => false);
      if (wasServed && !isServed) seen.set(`unload-${++unloads}`, performance.now());
      wasServed = isServed;
      if (isServed && unloads > 0 && !seen.has(`measure-${unloads}`)) {
        const count = await successCount(client, model).catch(() => undefined);
        if (count !== undefined && successes !== undefined && count > successes)
          seen.set(`measure-${unloads}`, performance.now());
        successes = count;
      } else if (!isServed) successes = undefined;
      await sleep(20);
    }
  })();
  return {
    seen,
    stop: () => {
      state.isStopped = true;
    },
  };
}

async function successCount(client: TritonClient, model: string): Promise<number> {
  const stats = await client.modelStatistics(model, '', { timeoutMs: 1000 });
  return stats.reduce((sum, s) => sum + Number(s.inferenceStats?.success?.count ?? 0n), 0);
}

/** A model whose state a case must leave as it found it. */
export interface WatchedModel {
  readonly name: string;
  /** False for the zero-config base: loaded from files, not in the index. */
  readonly isInIndex: boolean;
}

/** The served state of each model, read after any load or unload in flight has settled. */
export async function snapshot(
  client: TritonClient,
  models: readonly WatchedModel[],
): Promise<Map<string, ServedState>> {
  const states = new Map<string, ServedState>();
  for (const model of models) {
    const target = { client, model: model.name, loadTimeoutMs: 30_000, isInIndex: model.isInIndex };
    states.set(model.name, await readServedState(target, AbortSignal.timeout(60_000)));
  }
  return states;
}

/** What differs between two snapshots, in words; empty when every model is exactly as before. */
export function differences(before: Map<string, ServedState>, after: Map<string, ServedState>): string[] {
  const problems: string[] = [];
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now === undefined) continue;
    if (was.kind !== now.kind) problems.push(`${name}: ${was.kind} before, ${now.kind} after`);
    else if (was.kind === 'served' && now.kind === 'served') {
      if (leaseOf(now.config) !== undefined) problems.push(`${name}: still carries a lease`);
      else if (!isSameConfig(was.config, now.config))
        problems.push(
          `${name}: config differs (max_batch_size ${was.config.maxBatchSize} → ${now.config.maxBatchSize})`,
        );
    }
  }
  return problems;
}

/** Puts every model back as the snapshot says (after a wrong case), so the next case starts clean. */
export async function reset(client: TritonClient, before: Map<string, ServedState>): Promise<void> {
  for (const [name, was] of before) {
    await client.repositoryModelUnload(name, { timeoutMs: 10_000 }).catch(() => undefined);
    await sleep(1500);
    if (was.kind === 'served')
      await client.repositoryModelLoad(name, undefined, { timeoutMs: 120_000 }).catch(() => undefined);
  }
}

/** One entry point's setup in the sweep. */
export interface Entry {
  readonly name: string;
  readonly kind: EntryKind;
  readonly inputs: Readonly<Record<string, string>>;
  readonly models: readonly WatchedModel[];
  readonly isRepoBase: boolean;
}

/** How one case ended. */
export interface CaseResult {
  readonly group: string;
  readonly name: string;
  readonly status: 'ok' | 'wrong' | 'hang' | 'not reached';
  readonly isRestored: boolean | undefined;
  readonly isDocumented: boolean;
  readonly exitMs: number | undefined;
  readonly detail: string;
}

/** A function that says whether the process of `done` still runs (a function: never narrowed). */
export function runningFlag(done: Promise<unknown>): () => boolean {
  let isRunning = true;
  void done.then(() => {
    isRunning = false;
  });
  return () => isRunning;
}

/** Waits until `anchor` is seen (or the run ends): its time, or undefined. */
export async function anchorTime(
  anchor: string,
  seen: Map<string, number>,
  isRunning: () => boolean,
  spawnedAt: number,
): Promise<number | undefined> {
  if (anchor === 'spawn') return spawnedAt;
  while (isRunning()) {
    const at = seen.get(anchor);
    if (at !== undefined) return at;
    await sleep(5);
  }
  return undefined;
}
