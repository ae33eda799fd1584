// Helpers of triton-server.ts that touch files, ports and pids but not the child process object.
import {
  accessSync,
  closeSync,
  constants,
  cpSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { masterRepoDir, type TritonRuntime } from './triton-install.js';

/** Ports of one server. */
export interface TritonPorts {
  readonly grpc: number;
  readonly http: number;
  readonly metrics: number;
}

const wildcardHosts = new Set(['0.0.0.0', '::', '[::]', '']);
const shmDir = '/dev/shm';
const probeTimeoutMs = 2_000;

/** Refuses wildcard addresses: the test server must never be reachable from outside. */
export function checkHost(host: string): string {
  if (wildcardHosts.has(host.trim())) {
    throw new Error(`host '${host}': expected a loopback or specific address such as 127.0.0.1, never a wildcard`);
  }
  return host;
}

function requestedPort(value: number | undefined, envName: string, fallback: number): number {
  const raw =
    value ?? (process.env[envName] === undefined || process.env[envName] === '' ? fallback : process.env[envName]);
  const port = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (typeof raw === 'string' && !/^\d+$/.test(raw))) {
    const source = value === undefined ? `${envName}='${String(raw)}'` : `port ${String(raw)}`;
    throw new Error(`${source}: expected an integer from 0 (pick a free port) to 65535`);
  }
  return port;
}

/** Options ports, else env, else 8001/8000/8002; each 0 becomes a distinct free port on `host`. */
export async function resolvePorts(
  host: string,
  options: { grpcPort?: number; httpPort?: number; metricsPort?: number },
): Promise<TritonPorts> {
  const wanted = [
    requestedPort(options.grpcPort, 'TRITON_GRPC_PORT', 8001),
    requestedPort(options.httpPort, 'TRITON_HTTP_PORT', 8000),
    requestedPort(options.metricsPort, 'TRITON_METRICS_PORT', 8002),
  ];
  const free = await pickFreePorts(host, wanted.filter((p) => p === 0).length);
  const [grpc, http, metrics] = wanted.map((p) => (p === 0 ? (free.shift() ?? 0) : p));
  if (grpc === undefined || http === undefined || metrics === undefined) throw new Error('resolvePorts: lost a port');
  return { grpc, http, metrics };
}

// All listeners stay open until every port is known, so the ports are distinct. Another process
// may still grab one before tritonserver binds it; startTriton then reports an early exit.
async function pickFreePorts(host: string, count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, resolve);
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error(`could not pick a free port on ${host}`);
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) =>
            s.close(() => {
              resolve();
            }),
          ),
      ),
    );
  }
}

/** True when `pid` is alive and is a tritonserver (guards against pid reuse). */
export function isTritonPid(pid: number): boolean {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes('tritonserver');
  } catch {
    return false;
  }
}

/** Throws when a server started from `runDir` still runs: its repository copy must not be replaced. */
export function assertRunDirFree(runDir: string): void {
  const pidFile = path.join(runDir, 'tritonserver.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isTritonPid(pid)) {
    throw new Error(
      `${runDir} belongs to tritonserver pid ${String(pid)}, still running: stop it or pass another runDir or port`,
    );
  }
}

const parameterName = /^[A-Za-z0-9_.-]+$/;

/** `config.pbtxt` with `parameters` set; relies on make_repo.py writing one parameter per line. */
export function withParameters(config: string, parameters: Readonly<Record<string, string>>): string {
  let lines = config.trimEnd().split('\n');
  for (const [key, value] of Object.entries(parameters)) {
    if (!parameterName.test(key)) throw new Error(`model parameter name '${key}': expected [A-Za-z0-9_.-]+`);
    const line = `parameters { key: "${key}" value: { string_value: ${JSON.stringify(value)} } }`;
    const prefix = `parameters { key: "${key}" `;
    lines = lines.some((l) => l.startsWith(prefix))
      ? lines.map((l) => (l.startsWith(prefix) ? line : l))
      : [...lines, line];
  }
  return `${lines.join('\n')}\n`;
}

/** Copies .triton/repo to `<runDir>/repo` and applies `modelParameters`; returns the copy's path. */
export function writeServerRepo(
  runDir: string,
  models: readonly string[],
  modelParameters: Readonly<Record<string, Readonly<Record<string, string>>>>,
): string {
  if (!existsSync(masterRepoDir)) {
    throw new Error(`${masterRepoDir} is missing: run 'npm run triton:setup' (bash scripts/triton/setup.sh) first`);
  }
  const available = readdirSync(masterRepoDir).sort();
  for (const model of [...models, ...Object.keys(modelParameters)]) {
    if (!available.includes(model)) {
      throw new Error(`model '${model}' is not in ${masterRepoDir}; available: ${available.join(', ')}`);
    }
  }
  const repoDir = path.join(runDir, 'repo');
  rmSync(repoDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  cpSync(masterRepoDir, repoDir, { recursive: true });
  for (const [model, parameters] of Object.entries(modelParameters)) {
    const configFile = path.join(repoDir, model, 'config.pbtxt');
    writeFileSync(configFile, withParameters(readFileSync(configFile, 'utf8'), parameters));
  }
  return repoDir;
}

/** The tritonserver command line: explicit model control, every endpoint on `host`. */
export function buildTritonArgs(opts: {
  readonly runtime: TritonRuntime;
  readonly host: string;
  readonly ports: TritonPorts;
  readonly models: readonly string[];
  readonly repoDir: string;
  readonly shmRegionPrefix: string;
}): string[] {
  return [
    `--model-repository=${opts.repoDir}`,
    `--backend-directory=${opts.runtime.backendDirectory}`,
    `--cache-directory=${opts.runtime.cacheDirectory}`,
    '--model-control-mode=explicit',
    ...opts.models.map((m) => `--load-model=${m}`),
    `--grpc-address=${opts.host}`,
    `--grpc-port=${String(opts.ports.grpc)}`,
    `--http-address=${opts.host}`,
    `--http-port=${String(opts.ports.http)}`,
    `--metrics-address=${opts.host}`,
    `--metrics-port=${String(opts.ports.metrics)}`,
    // No GPU here: skip the DCGM/NVML probe and the pinned (GPU-transfer) host memory pool,
    // whose failed allocation only prints warnings.
    '--allow-gpu-metrics=false',
    '--pinned-memory-pool-byte-size=0',
    `--backend-config=python,shm-region-prefix-name=${opts.shmRegionPrefix}`,
    // Triton 2.51 counts a version whose reload failed as live until the exit timeout expires,
    // so after a refused load (max_batch_limit) every shutdown would take the default 30 s.
    '--exit-timeout-secs=5',
  ];
}

/** First executable `name` on `searchPath`, if any. */
export function findExecutable(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** Last `lines` lines of `file` (reads at most its last 256 KiB); '' when it does not exist. */
export function readLogTail(file: string, lines: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}

/** Deletes /dev/shm regions a killed server's python stubs could not unlink. */
export function removeShmRegions(prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(shmDir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(prefix))) rmSync(path.join(shmDir, name), { force: true });
}

/** What {@link stopTritonPid} did. */
export type StopOutcome = 'not-running' | 'stopped' | 'killed';

/**
 * Stops a tritonserver known only by pid (a detached one from `triton:start`): SIGINT, up to
 * `graceMs` (default 30 s) for a clean exit, then SIGKILL.
 */
export async function stopTritonPid(pid: number, graceMs = 30_000): Promise<StopOutcome> {
  if (!isTritonPid(pid)) return 'not-running';
  process.kill(pid, 'SIGINT');
  const deadlineMs = performance.now() + graceMs;
  while (performance.now() < deadlineMs) {
    if (!isTritonPid(pid)) return 'stopped';
    await sleep(100);
  }
  if (!isTritonPid(pid)) return 'stopped';
  process.kill(pid, 'SIGKILL');
  while (isTritonPid(pid)) await sleep(50);
  return 'killed';
}

/** Status and body of a GET. */
export interface HttpReply {
  readonly status: number;
  readonly body: string;
}

/**
 * GET without keep-alive: node:http without an agent sends `Connection: close`. fetch() would
 * keep idle connections open, and tritonserver's SIGINT shutdown waits for open HTTP
 * connections (about 4 s per stop).
 */
export function httpGet(url: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: probeTimeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out after ${String(probeTimeoutMs)} ms`)));
    request.on('error', reject);
  });
}

/** True when GET `url` answers 200; false on any error (the server may still be starting). */
export async function answersOk(url: string): Promise<boolean> {
  try {
    return (await httpGet(url)).status === 200;
  } catch {
    // Connection refused while tritonserver is still loading models: keep polling.
    return false;
  }
}
