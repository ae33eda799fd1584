/**
 * `npm run bench:client` (docs/client-efficiency.md): our load generator
 * side by side with perf_analyzer against the same real CPU Triton, in one run.
 *
 * 1. identity model (near-zero server work) at users 1, 4, 16, 64: requests/s and client CPU
 *    per request — ours from `process.cpuUsage` around the closed loop (h2 and grpc-js
 *    transports), perf_analyzer's from the kernel's accounting of its process (bash `times`)
 *    divided by the requests Triton counted for it (ModelStatistics delta).
 * 2. demo_onnx at (max_batch, users) cells: our dps and perf_analyzer's infer/sec, each next to
 *    the rate Triton itself served over the same span (bench/agreement.ts).
 * 3. the decoupled stream_tokens model (COUNT responses per request): client CPU per response and
 *    responses/s of our streaming loop next to perf_analyzer --streaming (bench/streaming.ts).
 * Prints ratios; asserts nothing (speed is measured here, never in tests).
 * Flags: --server-url host:port (use a running server instead of starting one), --requests N,
 * --sections efficiency,agreement,streaming (which tables), --cells 8x4,32x8 (agreement cells),
 * --stream-count N (responses per streamed request, default 8), --stream-requests N,
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
import { agreementAtCells } from './agreement.js';
import { PERF_ANALYZER, runPerfAnalyzerStable } from './perf-analyzer.js';
import { streamingEfficiency } from './streaming.js';

const run = promisify(execFile);
const { values: flags } = parseArgs({
  options: {
    'server-url': { type: 'string' },
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    users: { type: 'string', default: '1,4,16,64' },
    pin: { type: 'boolean', default: false },
    sections: { type: 'string', default: 'efficiency,agreement,streaming' },
    cells: { type: 'string', default: '8x4,32x8' },
    'stream-count': { type: 'string', default: '8' },
    'stream-requests': { type: 'string', default: '2500' },
  },
});
const REQUESTS = Number(flags.requests);
const ROUNDS = Number(flags.rounds);
const USERS = flags.users.split(',').map(Number);
const SECTIONS = new Set(flags.sections.split(','));
/** Agreement cells as max_batch x users (the (8, 4) and (32, 8) by default). */
const CELLS = flags.cells.split(',').map((cell) => cell.split('x').map(Number) as [number, number]);
/** perf_analyzer's measurement window; its CPU is divided by every request it sent. */
const WINDOW_MS = 2000;

interface Figure {
  readonly rps: number;
  readonly cpuUsPerRequest: number;
}

async function requestFor(client: TritonClient, model: string): Promise<Buffer> {
  const config = await client.modelConfig(model);
  return buildInferRequest({
    model,
    modelVersion: '',
    config,
    maxBatch: config.maxBatchSize,
    itemsPerRequest: 1,
    overrides: [],
    defaultData: 'random',
    seed: 1,
    files: new Map(),
  }).bytes;
}

async function ours(
  address: string,
  kind: InferTransportKind,
  model: string,
  users: number,
  requests: number,
): Promise<Figure> {
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

/** perf_analyzer at `users`, its CPU per request from the kernel's accounting of its process. */
async function perfAnalyzer(
  address: string,
  model: string,
  users: number,
  isAsync: boolean,
): Promise<Figure & { inferPerSec: number }> {
  const client = new TritonClient({ address, isTls: false });
  // perf_analyzer's own method (time windows until 3 are stable) gives the infer/sec users
  // know; `--request-count` clamps its window and misreports throughput, so it is not used.
  const args = [
    '--concurrency-range',
    String(users),
    '--measurement-interval',
    String(WINDOW_MS),
    ...(isAsync ? ['--async'] : []),
  ];
  try {
    const before = await successCount(client, model);
    const figure = await runPerfAnalyzerStable(address, model, args, `${String(users)} users on ${model}`);
    // Its CPU is divided by every request it sent (warm-up and unstable windows included).
    const sent = (await successCount(client, model)) - before;
    return {
      rps: figure.inferPerSec,
      inferPerSec: figure.inferPerSec,
      cpuUsPerRequest: (figure.cpuSeconds * 1e6) / sent,
    };
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
  return figures.map((list) => ({
    rps: median(list.map((f) => f.rps)),
    cpuUsPerRequest: median(list.map((f) => f.cpuUsPerRequest)),
  }));
}

const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function efficiency(address: string): Promise<void> {
  process.stdout.write(
    `\nClient efficiency on identity (${REQUESTS} requests per figure, median of ${ROUNDS} interleaved rounds)\n`,
  );
  process.stdout.write(
    'users | ours h2 req/s  CPU µs/req | ours grpc-js req/s  CPU µs/req | perf_analyzer sync req/s  CPU µs/req | perf_analyzer async req/s  CPU µs/req | CPU ratio h2/best PA | req/s ratio h2/best PA\n',
  );
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
    process.stdout.write(
      `Triton on ${address}; machine: ${cores} cores, ${flags.pin ? 'server pinned to CPU 1, clients to CPU 0' : 'client and server share them'}\n`,
    );
    if (SECTIONS.has('efficiency')) await efficiency(address);
    if (SECTIONS.has('agreement'))
      await agreementAtCells(address, { cells: CELLS, rounds: ROUNDS, windowMs: WINDOW_MS });
    if (SECTIONS.has('streaming')) {
      await streamingEfficiency(address, {
        users: USERS,
        rounds: ROUNDS,
        count: Number(flags['stream-count']),
        requests: Number(flags['stream-requests']),
        windowMs: WINDOW_MS,
      });
    }
  } finally {
    await triton?.stop();
  }
}

await main();
