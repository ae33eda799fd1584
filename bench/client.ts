/**
 * `npm run bench:client` (docs/client-efficiency.md): our load generator
 * side by side with perf_analyzer against the same real CPU Triton, in one run.
 *
 * 1. identity model (near-zero server work) at users 1, 4, 16, 64: requests/s and client CPU
 *    per request — ours from `process.cpuUsage` around the closed loop (h2 and grpc-js
 *    transports), perf_analyzer's from the kernel's accounting of its process (bash `times`)
 *    divided by the requests Triton counted for it (ModelStatistics delta).
 * 2. demo_onnx at a few users: our dps vs perf_analyzer's infer/sec (its stable windows).
 * Prints ratios; asserts nothing (speed is measured here, never in tests).
 * Flags: --server-url host:port (use a running server instead of starting one), --requests N,
 * --rounds N (median of N rounds per figure), --pin (server and its model processes on CPU 1,
 * this process and perf_analyzer on CPU 0, so a heavier client cannot slow the server it
 * measures: on 2 shared cores the client's own CPU use otherwise shows up as server speed).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { median } from 'simple-statistics';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../scripts/triton/triton-server.js';
import { projectRoot } from '../scripts/triton/triton-install.js';
import { buildInferRequest } from '../src/load/build-infer-request.js';
import { runClosedLoop } from '../src/load/closed-loop.js';
import { TritonClient, type InferTransportKind } from '../src/triton/triton-client.js';

const run = promisify(execFile);
const { values: flags } = parseArgs({
  options: {
    'server-url': { type: 'string' },
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    users: { type: 'string', default: '1,4,16,64' },
    pin: { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(flags.requests);
const ROUNDS = Number(flags.rounds);
const USERS = flags.users.split(',').map(Number);
/** perf_analyzer's measurement window; its CPU is divided by every request it sent. */
const WINDOW_MS = 2000;
const PERF_ANALYZER = join(projectRoot, '.triton', 'bin', 'perf_analyzer');

interface Figure { readonly rps: number; readonly cpuUsPerRequest: number }

async function requestFor(client: TritonClient, model: string): Promise<Buffer> {
  const config = await client.modelConfig(model);
  return buildInferRequest({ model, modelVersion: '', config, maxBatch: config.maxBatchSize, itemsPerRequest: 1, overrides: [], defaultData: 'random', seed: 1, files: new Map() }).bytes;
}

async function ours(address: string, kind: InferTransportKind, model: string, users: number, requests: number): Promise<Figure> {
  const client = new TritonClient({ address, isTls: false, transport: kind, inferChannels: 1 });
  try {
    const request = await requestFor(client, model);
    const transport = client.inferTransport();
    await runClosedLoop(transport, { users, requests: Math.max(500, users * 10), request, timeoutMs: 30_000 });
    const cpu0 = process.cpuUsage();
    const result = await runClosedLoop(transport, { users, requests, request, timeoutMs: 30_000 });
    const cpu = process.cpuUsage(cpu0);
    if (result.failed > 0) throw new Error(`ours (${kind}) had ${result.failed} errors: ${result.firstError ?? ''}`);
    return { rps: result.ok / (result.durationMs / 1000), cpuUsPerRequest: (cpu.user + cpu.system) / result.sent };
  } finally {
    client.close();
  }
}

async function successCount(client: TritonClient, model: string): Promise<number> {
  const stats = await client.modelStatistics(model);
  return stats.reduce((sum, s) => sum + Number(s.inferenceStats?.success?.count ?? 0n), 0);
}

/** Runs perf_analyzer through bash so `times` reports its children's CPU seconds. */
async function perfAnalyzerOnce(client: TritonClient, address: string, model: string, args: readonly string[]): Promise<Figure & { inferPerSec: number }> {
  const before = await successCount(client, model);
  const script = `"${PERF_ANALYZER}" ${['-m', model, '-i', 'grpc', '-u', address, ...args].map((a) => `'${a}'`).join(' ')}; status=$?; times; exit $status`;
  const { stdout } = await run('bash', ['-c', script], { maxBuffer: 16 * 1024 * 1024 });
  const sent = (await successCount(client, model)) - before;
  // bash `times` prints the shell's, then its children's, user and system time: the last line.
  const timesLine = stdout.trim().split('\n').slice(-1)[0] ?? '';
  const seconds = [...timesLine.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  const cpuSeconds = (seconds[0] ?? 0) + (seconds[1] ?? 0);
  const throughput = /Throughput: ([\d.]+) infer\/sec/.exec(stdout);
  if (throughput === null) throw new Error(`perf_analyzer printed no throughput:\n${stdout.slice(-2000)}`);
  const inferPerSec = Number(throughput[1]);
  return { rps: inferPerSec, inferPerSec, cpuUsPerRequest: (cpuSeconds * 1e6) / sent };
}

/** perf_analyzer at `users`, its CPU per request from the kernel's accounting of its process. */
async function perfAnalyzer(address: string, model: string, users: number, isAsync: boolean): Promise<Figure & { inferPerSec: number }> {
  const client = new TritonClient({ address, isTls: false });
  // perf_analyzer's own method (time windows until 3 are stable) gives the infer/sec users
  // know; `--request-count` clamps its window and misreports throughput, so it is not used.
  const args = ['--concurrency-range', String(users), '--measurement-interval', String(WINDOW_MS), ...(isAsync ? ['--async'] : [])];
  try {
    try {
      return await perfAnalyzerOnce(client, address, model, args);
    } catch {
      // On a shared 2-core box perf_analyzer's default ±10% stability can fail; say so and relax it.
      process.stderr.write(`perf_analyzer not stable within ±10% at ${users} users on ${model}: re-run with --stability-percentage 50\n`);
      return await perfAnalyzerOnce(client, address, model, [...args, '--stability-percentage', '50']);
    }
  } finally {
    client.close();
  }
}

/**
 * Medians of each contender over ROUNDS rounds, measured interleaved (A B C D, A B C D, ...):
 * this VM's speed drifts by tens of percent over minutes, and back-to-back blocks per
 * contender would turn that drift into a difference between them.
 */
async function interleavedMedians(contenders: readonly (() => Promise<Figure>)[]): Promise<Figure[]> {
  const figures: Figure[][] = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, measure] of contenders.entries()) figures[i]?.push(await measure());
  }
  return figures.map((list) => ({ rps: median(list.map((f) => f.rps)), cpuUsPerRequest: median(list.map((f) => f.cpuUsPerRequest)) }));
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function efficiency(address: string): Promise<void> {
  process.stdout.write(`\nClient efficiency on identity (${REQUESTS} requests per figure, median of ${ROUNDS} interleaved rounds)\n`);
  process.stdout.write('users | ours h2 req/s  CPU µs/req | ours grpc-js req/s  CPU µs/req | perf_analyzer sync req/s  CPU µs/req | perf_analyzer async req/s  CPU µs/req | CPU ratio h2/best PA | req/s ratio h2/best PA\n');
  for (const users of USERS) {
    const [h2, grpcJs, paSync, paAsync] = (await interleavedMedians([
      () => ours(address, 'h2', 'identity', users, REQUESTS),
      () => ours(address, 'grpc-js', 'identity', users, REQUESTS),
      () => perfAnalyzer(address, 'identity', users, false),
      () => perfAnalyzer(address, 'identity', users, true),
    ])) as [Figure, Figure, Figure, Figure];
    const bestCpu = Math.min(paSync.cpuUsPerRequest, paAsync.cpuUsPerRequest);
    const bestRps = Math.max(paSync.rps, paAsync.rps);
    process.stdout.write(
      `${String(users).padStart(5)} | ${fmt(h2.rps).padStart(13)}  ${fmt(h2.cpuUsPerRequest, 1).padStart(10)} | ${fmt(grpcJs.rps).padStart(18)}  ${fmt(grpcJs.cpuUsPerRequest, 1).padStart(10)} | ` +
        `${fmt(paSync.rps).padStart(24)}  ${fmt(paSync.cpuUsPerRequest, 1).padStart(10)} | ${fmt(paAsync.rps).padStart(25)}  ${fmt(paAsync.cpuUsPerRequest, 1).padStart(10)} | ` +
        `${fmt(h2.cpuUsPerRequest / bestCpu, 2).padStart(20)} | ${fmt(h2.rps / bestRps, 2).padStart(22)}\n`,
    );
  }
}

async function agreement(address: string): Promise<void> {
  const requests = Math.max(2000, Math.round(REQUESTS / 5));
  process.stdout.write(`\nAgreement on demo_onnx (max_batch 64, ${requests} requests per figure, median of ${ROUNDS} interleaved rounds)\n`);
  process.stdout.write('users | ours dps | perf_analyzer sync infer/sec | ratio | perf_analyzer async infer/sec | ratio\n');
  for (const users of [1, 4, 8]) {
    const [mine, sync, async] = (await interleavedMedians([
      () => ours(address, 'h2', 'demo_onnx', users, requests),
      () => perfAnalyzer(address, 'demo_onnx', users, false),
      () => perfAnalyzer(address, 'demo_onnx', users, true),
    ])) as [Figure, Figure, Figure];
    process.stdout.write(
      `${String(users).padStart(5)} | ${fmt(mine.rps).padStart(8)} | ${fmt(sync.rps).padStart(28)} | ${fmt(mine.rps / sync.rps, 3)} | ${fmt(async.rps).padStart(29)} | ${fmt(mine.rps / async.rps, 3)}\n`,
    );
  }
}

/** Pins tritonserver (all threads) and its model processes to CPU 1, and this process to CPU 0. */
async function pinCpus(serverPid: number): Promise<void> {
  const { stdout } = await run('pgrep', ['-P', String(serverPid)]).catch(() => ({ stdout: '' }));
  const children = stdout.split('\n').filter((pid) => pid.trim() !== '');
  for (const pid of [String(serverPid), ...children]) await run('taskset', ['-a', '-p', '2', pid]);
  // perf_analyzer, spawned later, inherits this process's CPU.
  await run('taskset', ['-a', '-p', '1', String(process.pid)]);
}

async function main(): Promise<void> {
  if (!existsSync(PERF_ANALYZER)) {
    process.stderr.write('installing perf_analyzer (npm run triton:perf-analyzer) ...\n');
    await run('bash', [join(projectRoot, 'scripts', 'triton', 'setup-perf-analyzer.sh')]);
  }
  let triton: TritonProcess | undefined;
  let address = flags['server-url'];
  if (address === undefined) {
    await ensureTritonInstalled();
    triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0 });
    address = triton.grpcUrl;
    if (flags.pin) await pinCpus(triton.pid);
  }
  try {
    const cores = (await import('node:os')).cpus().length;
    process.stdout.write(`Triton on ${address}; machine: ${cores} cores, ${flags.pin ? 'server pinned to CPU 1, clients to CPU 0' : 'client and server share them'}\n`);
    await efficiency(address);
    await agreement(address);
  } finally {
    await triton?.stop();
  }
}

await main();
