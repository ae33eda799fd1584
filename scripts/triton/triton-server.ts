// Starts a real CPU tritonserver (Triton 2.51 from the nvidia-pytriton wheel, docs/architecture.md) for
// integration tests, benchmarks and `npm run triton:start`. Node built-ins only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readTritonRuntime, tritonEnvironment, tritonStateDir } from './triton-install.js';
import {
  assertRunDirFree,
  buildTritonArgs,
  checkHost,
  answersOk,
  findExecutable,
  httpGet,
  readLogTail,
  removeShmRegions,
  resolvePorts,
  writeServerRepo,
  type TritonPorts,
} from './triton-server-support.js';

export { ensureTritonInstalled } from './triton-install.js';
export { stopTritonPid } from './triton-server-support.js';

/** Options of {@link startTriton}; every field is optional. */
export interface StartTritonOptions {
  /** Address every endpoint binds to. Default '127.0.0.1'; wildcard addresses are refused. */
  host?: string;
  /** 0 = pick a free port. Defaults: TRITON_GRPC_PORT / TRITON_HTTP_PORT / TRITON_METRICS_PORT, else 8001/8000/8002. */
  grpcPort?: number;
  httpPort?: number;
  metricsPort?: number;
  /** Models loaded at startup (explicit mode). Default ['demo_onnx', 'identity']. */
  models?: readonly string[];
  /** Config `parameters` per model, written into this server's own repository copy. */
  modelParameters?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Spawn to all models READY. Default 120000. */
  startTimeoutMs?: number;
  /** Holds this server's repo copy, log and pid. Default .triton/run/<grpcPort>. */
  runDir?: string;
  /**
   * true: the server outlives this process (for `triton:start`). Default false: it gets SIGTERM
   * when this process exits or dies (even by SIGKILL), so a crashed test run leaves no server.
   */
  detached?: boolean;
}

/** A running tritonserver. */
export interface TritonProcess {
  /** 'host:port' of the gRPC endpoint. */
  readonly grpcUrl: string;
  /** 'http://host:port' of the HTTP endpoint. */
  readonly httpUrl: string;
  /** 'http://host:port' of the Prometheus metrics endpoint. */
  readonly metricsUrl: string;
  readonly pid: number;
  /** Directory holding this server's repo copy, log and pid file. */
  readonly runDir: string;
  /** This server's copy of the model repository (safe to edit, e.g. for a reload test); removed by stop(). */
  readonly repoDir: string;
  readonly logFile: string;
  /** Server version from HTTP `GET v2`, e.g. '2.51.0'. */
  readonly version: string;
  /** Prefix of this server's python-backend shared-memory regions in /dev/shm. */
  readonly shmRegionPrefix: string;
  /** Measured wall time from spawn to every startup model READY, in milliseconds. */
  readonly startMs: number;
  /** SIGINT, up to 30 s for a clean exit, then SIGKILL. Idempotent. */
  stop(): Promise<void>;
  /** Last `lines` (default 40) lines of the server log. */
  logTail(lines?: number): string;
  /** How the server ended if it has (a crash while in use shows here), else `undefined`. */
  exitStatus(): { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined;
}

interface ExitState {
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  spawnError: Error | undefined;
  readonly exited: Promise<void>;
}

const defaultModels: readonly string[] = ['demo_onnx', 'identity'];
const defaultStartTimeoutMs = 120_000;
const stopGraceMs = 30_000;
const pollIntervalMs = 100;

/** Where one server keeps its files, and how to reach it. */
interface ServerLayout {
  readonly runDir: string;
  readonly repoDir: string;
  readonly logFile: string;
  readonly pidFile: string;
  readonly shmRegionPrefix: string;
  readonly ports: TritonPorts;
  readonly grpcUrl: string;
  readonly httpUrl: string;
}

/**
 * Starts tritonserver on `host` with its own repository copy and waits until HTTP
 * `v2/health/live` and `v2/models/<m>/ready` answer 200 for every startup model.
 * On early exit, timeout or any other failure the process is killed and the Error carries the
 * last 40 log lines.
 */
export async function startTriton(options: StartTritonOptions = {}): Promise<TritonProcess> {
  const host = checkHost(options.host ?? '127.0.0.1');
  const runtime = readTritonRuntime();
  const models = options.models ?? defaultModels;
  const layout = await prepareLayout(host, models, options);
  const isDetached = options.detached ?? false;
  const args = buildTritonArgs({ runtime, host, models, ...layout });

  const spawnedAtMs = performance.now();
  const child = spawnServer(runtime.tritonserver, args, { ...layout, isDetached, env: tritonEnvironment(runtime) });
  const state = watchExit(child);
  const onParentExit = (): void => {
    child.kill('SIGTERM');
  };
  let version: string;
  let pid: number;
  try {
    if (child.pid === undefined) {
      await state.exited;
      throw new Error(
        `could not be spawned from ${runtime.tritonserver}: ${state.spawnError?.message ?? 'unknown error'}`,
      );
    }
    pid = child.pid;
    writeFileSync(layout.pidFile, `${String(pid)}\n`);
    if (!isDetached) process.on('exit', onParentExit);
    version = await waitUntilReady({
      httpUrl: layout.httpUrl,
      models,
      state,
      startedMs: spawnedAtMs,
      timeoutMs: options.startTimeoutMs ?? defaultStartTimeoutMs,
    });
  } catch (err: unknown) {
    process.off('exit', onParentExit);
    await killNow(child, state);
    cleanUp(layout);
    throw startFailure(layout, err instanceof Error ? err.message : String(err), state.spawnError);
  }
  const startMs = performance.now() - spawnedAtMs;
  // Never keeps the event loop alive: a script that forgets stop() still ends, and then the
  // 'exit' handler (or, if this process is killed, PDEATHSIG) takes the server down with it.
  child.unref();

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    try {
      await stopChild(child, state);
    } finally {
      process.off('exit', onParentExit);
      cleanUp(layout);
    }
  };
  return {
    grpcUrl: layout.grpcUrl,
    httpUrl: layout.httpUrl,
    metricsUrl: `http://${host}:${String(layout.ports.metrics)}`,
    pid,
    runDir: layout.runDir,
    repoDir: layout.repoDir,
    logFile: layout.logFile,
    version,
    shmRegionPrefix: layout.shmRegionPrefix,
    startMs,
    stop: () => (stopping ??= stop()),
    logTail: (lines = 40) => readLogTail(layout.logFile, lines),
    exitStatus: () => state.exit,
  };
}

async function prepareLayout(
  host: string,
  models: readonly string[],
  options: StartTritonOptions,
): Promise<ServerLayout> {
  const ports = await resolvePorts(host, options);
  const runDir = path.resolve(options.runDir ?? path.join(tritonStateDir, 'run', String(ports.grpc)));
  assertRunDirFree(runDir);
  return {
    runDir,
    repoDir: writeServerRepo(runDir, models, options.modelParameters ?? {}),
    logFile: path.join(runDir, 'tritonserver.log'),
    pidFile: path.join(runDir, 'tritonserver.pid'),
    // Unique per server: two servers never share regions, and a SIGKILLed one can be cleaned up.
    shmRegionPrefix: `ttg_${String(ports.grpc)}_${randomBytes(4).toString('hex')}_`,
    ports,
    grpcUrl: `${host}:${String(ports.grpc)}`,
    httpUrl: `http://${host}:${String(ports.http)}`,
  };
}

// The log stays for post-mortems; the repo copy (about 1 MB) goes, as ports picked with 0
// would otherwise leave one per test run under .triton/run.
function cleanUp(layout: ServerLayout): void {
  removeShmRegions(layout.shmRegionPrefix);
  rmSync(layout.pidFile, { force: true });
  rmSync(layout.repoDir, { recursive: true, force: true });
}

function startFailure(layout: ServerLayout, reason: string, cause: Error | undefined): Error {
  const tail = readLogTail(layout.logFile, 40);
  const busy =
    /Socket '([^']+)' already in use/.exec(tail)?.[1] ?? (/Address already in use/.test(tail) ? 'a port' : undefined);
  const { grpc, http, metrics } = layout.ports;
  const hint =
    busy === undefined
      ? ''
      : `\n${busy} is already in use (gRPC ${String(grpc)}, HTTP ${String(http)}, metrics ${String(metrics)}): stop whatever listens there, or pass other ports (0 picks free ones)`;
  return new Error(
    `tritonserver (gRPC ${layout.grpcUrl}, HTTP ${layout.httpUrl}) ${reason}${hint}\nlast 40 lines of ${layout.logFile}:\n${tail}`,
    { cause },
  );
}

function spawnServer(
  command: string,
  args: readonly string[],
  opts: { readonly runDir: string; readonly logFile: string; isDetached: boolean; env: NodeJS.ProcessEnv },
): ChildProcess {
  const logFd = openSync(opts.logFile, 'w');
  try {
    if (opts.isDetached) {
      return spawn(command, args, { cwd: opts.runDir, env: opts.env, stdio: ['ignore', logFd, logFd], detached: true });
    }
    // PR_SET_PDEATHSIG (as PyTriton does): if this process is killed, even by SIGKILL, the kernel
    // sends tritonserver SIGTERM; setpriv execs, so the pid stays tritonserver's.
    const setpriv = findExecutable('setpriv', opts.env.PATH);
    const [file, fileArgs] =
      setpriv === undefined ? [command, args] : [setpriv, ['--pdeathsig', 'TERM', command, ...args]];
    return spawn(file, fileArgs, { cwd: opts.runDir, env: opts.env, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
}

function watchExit(child: ChildProcess): ExitState {
  let settle: () => void = () => undefined;
  const state: ExitState = {
    exit: undefined,
    spawnError: undefined,
    exited: new Promise<void>((resolve) => {
      settle = resolve;
    }),
  };
  child.on('exit', (code, signal) => {
    state.exit = { code, signal };
    settle();
  });
  child.on('error', (err) => {
    state.spawnError = err;
    if (child.pid === undefined) settle();
  });
  return state;
}

async function waitUntilReady(ctx: {
  httpUrl: string;
  models: readonly string[];
  state: ExitState;
  startedMs: number;
  timeoutMs: number;
}): Promise<string> {
  const pending = [
    `${ctx.httpUrl}/v2/health/live`,
    ...ctx.models.map((m) => `${ctx.httpUrl}/v2/models/${encodeURIComponent(m)}/ready`),
  ];
  while (pending.length > 0) {
    const exit = ctx.state.exit;
    if (exit !== undefined) {
      const how = exit.signal === null ? `code ${String(exit.code)}` : `signal ${exit.signal}`;
      throw new Error(`exited early with ${how} before ${pending[0] ?? ''} answered 200`);
    }
    if (performance.now() > ctx.startedMs + ctx.timeoutMs) {
      throw new Error(
        `was not ready within ${String(ctx.timeoutMs)} ms: ${pending[0] ?? ''} still does not answer 200`,
      );
    }
    const next = pending[0];
    if (next !== undefined && (await answersOk(next))) {
      pending.shift();
      continue;
    }
    await sleep(pollIntervalMs);
  }
  const metadata = JSON.parse((await httpGet(`${ctx.httpUrl}/v2`)).body) as { version?: unknown };
  return typeof metadata.version === 'string' ? metadata.version : 'unknown';
}

// A function, not an inline check: the exit listener changes `state` behind TypeScript's back.
function hasExited(state: ExitState): boolean {
  return state.exit !== undefined;
}

async function killNow(child: ChildProcess, state: ExitState): Promise<void> {
  if (child.pid === undefined || hasExited(state)) return;
  // The handle is unref'd; without ref() node may end before it reaps the child (exit code 13).
  child.ref();
  child.kill('SIGKILL');
  await state.exited;
}

async function stopChild(child: ChildProcess, state: ExitState): Promise<void> {
  if (child.pid === undefined || hasExited(state)) return;
  child.ref();
  child.kill('SIGINT');
  const timer = new AbortController();
  try {
    await Promise.race([state.exited, sleep(stopGraceMs, undefined, { signal: timer.signal }).catch(() => undefined)]);
  } finally {
    timer.abort();
  }
  if (!hasExited(state)) {
    child.kill('SIGKILL');
    await state.exited;
  }
}
