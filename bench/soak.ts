/**
 * `npm run bench:soak` (issue 6, "load"): the closed-loop generator (src/load/closed-loop.ts)
 * with the default h2 transport holds 256 users against the real CPU Triton's `identity` model
 * for 60 s, as trials of N requests back to back, and shows whether it leaks and whether its
 * error accounting is exact:
 *
 * - heap used after a forced GC (`--expose-gc`) before and after, sampled after every trial,
 *   and RSS: a leak shows as heap growing with the number of trials;
 * - requests/s over the soak;
 * - per trial `sent === ok + failed`, and Triton's own success count (ModelStatistics delta)
 *   equal to our total `ok`.
 *
 * Prints figures; exits 1 only when the accounting is wrong (timings are never judged).
 * Flags: --server-url host:port (a running server instead of starting one), --duration-s 60,
 * --users 256, --requests-per-trial (default 40 per user), --model identity.
 * Run: node --expose-gc --import tsx bench/soak.ts
 */
import { cpus, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../scripts/triton/triton-server.js';
import { buildInferRequest } from '../src/load/build-infer-request.js';
import { runClosedLoop, type ClosedLoopResult } from '../src/load/closed-loop.js';
import { TritonClient } from '../src/triton/triton-client.js';

const { values: flags } = parseArgs({
  options: {
    'server-url': { type: 'string' },
    'duration-s': { type: 'string', default: '60' },
    users: { type: 'string', default: '256' },
    'requests-per-trial': { type: 'string' },
    model: { type: 'string', default: 'identity' },
  },
});
const DURATION_MS = Number(flags['duration-s']) * 1000;
const USERS = Number(flags.users);
const REQUESTS_PER_TRIAL = Number(flags['requests-per-trial'] ?? String(USERS * 40));
const MODEL = flags.model;
const TIMEOUT_MS = 30_000;

const gc = (globalThis as { gc?: () => void }).gc;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Heap used after a full GC, in bytes (the only heap figure that says anything about leaks). */
function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function successCount(client: TritonClient): Promise<number> {
  const stats = await client.modelStatistics(MODEL);
  return stats.reduce((sum, s) => sum + Number(s.inferenceStats?.success?.count ?? 0n), 0);
}

/** Triton records a request's statistics just after its reply: wait until the count settles. */
async function settledSuccessCount(client: TritonClient, expected: number): Promise<number> {
  let count = await successCount(client);
  for (let i = 0; i < 50 && count !== expected; i++) {
    await sleep(100);
    count = await successCount(client);
  }
  return count;
}

interface Totals {
  trials: number;
  sent: number;
  ok: number;
  failed: number;
  badTrials: string[];
  errors: Record<string, number>;
}

function account(totals: Totals, result: ClosedLoopResult, trial: number): void {
  totals.trials++;
  totals.sent += result.sent;
  totals.ok += result.ok;
  totals.failed += result.failed;
  for (const [status, n] of Object.entries(result.errorsByStatus))
    totals.errors[status] = (totals.errors[status] ?? 0) + n;
  const byStatus = Object.values(result.errorsByStatus).reduce((a, b) => a + b, 0);
  if (result.sent !== result.ok + result.failed || byStatus !== result.failed || result.histogram.count !== result.ok) {
    totals.badTrials.push(
      `trial ${trial}: sent ${result.sent}, ok ${result.ok}, failed ${result.failed}, by status ${byStatus}, histogram ${result.histogram.count}`,
    );
  }
}

async function soak(address: string): Promise<boolean> {
  const client = new TritonClient({ address, isTls: false });
  try {
    const config = await client.modelConfig(MODEL);
    const request = buildInferRequest({
      model: MODEL,
      modelVersion: '',
      config,
      maxBatch: config.maxBatchSize,
      itemsPerRequest: 1,
      overrides: [],
      defaultData: 'random',
      seed: 1,
      files: new Map(),
    }).bytes;
    const transport = client.inferTransport();
    // Warm-up: connections, JIT and the server's instance, so "before" is the steady state.
    await runClosedLoop(transport, { users: USERS, requests: USERS * 8, request, timeoutMs: TIMEOUT_MS });
    const heapBefore = heapAfterGc();
    const rssBefore = process.memoryUsage().rss;
    const serverBefore = await successCount(client);
    const totals: Totals = { trials: 0, sent: 0, ok: 0, failed: 0, badTrials: [], errors: {} };
    const heapSamples: number[] = [];
    let measuredMs = 0;
    const startMs = performance.now();
    while (performance.now() - startMs < DURATION_MS) {
      const result = await runClosedLoop(transport, {
        users: USERS,
        requests: REQUESTS_PER_TRIAL,
        request,
        timeoutMs: TIMEOUT_MS,
      });
      measuredMs += result.durationMs;
      account(totals, result, totals.trials + 1);
      heapSamples.push(heapAfterGc());
    }
    const wallMs = performance.now() - startMs;
    const heapAfter = heapAfterGc();
    const rssAfter = process.memoryUsage().rss;
    const serverDelta = (await settledSuccessCount(client, serverBefore + totals.ok)) - serverBefore;

    const out = (line: string): void => void process.stdout.write(`${line}\n`);
    out(
      `soak: ${USERS} users on ${MODEL} at ${address}, ${totals.trials} trials of ${REQUESTS_PER_TRIAL} requests in ${(wallMs / 1000).toFixed(1)} s`,
    );
    out(
      `machine: ${cpus().length} cores, ${mib(totalmem())} RAM, node ${process.version} (client and server share the cores)`,
    );
    out(
      `requests/s: ${(totals.sent / (measuredMs / 1000)).toFixed(0)} (inside trials), ${(totals.sent / (wallMs / 1000)).toFixed(0)} (wall clock)`,
    );
    out(
      `heap used after GC: before ${mib(heapBefore)}, after ${mib(heapAfter)}, change ${mib(heapAfter - heapBefore)}${gc === undefined ? ' (no --expose-gc: not meaningful)' : ''}`,
    );
    const firstHalf = heapSamples.slice(0, Math.ceil(heapSamples.length / 2));
    const secondHalf = heapSamples.slice(Math.ceil(heapSamples.length / 2));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    out(
      `heap after GC per trial: min ${mib(Math.min(...heapSamples))}, max ${mib(Math.max(...heapSamples))}, mean of first half ${mib(mean(firstHalf))}, of second half ${mib(mean(secondHalf))}`,
    );
    out(`rss: before ${mib(rssBefore)}, after ${mib(rssAfter)}`);
    out(
      `accounting: sent ${totals.sent} = ok ${totals.ok} + failed ${totals.failed}; errors by status ${JSON.stringify(totals.errors)}`,
    );
    out(`server: ModelStatistics success delta ${serverDelta} vs our ok ${totals.ok}`);
    const isExact =
      totals.badTrials.length === 0 && totals.sent === totals.ok + totals.failed && serverDelta === totals.ok;
    for (const bad of totals.badTrials) out(`MISMATCH ${bad}`);
    out(
      isExact
        ? 'accounting: EXACT (every trial sent === ok + failed; server successes === our ok)'
        : 'accounting: MISMATCH',
    );
    return isExact;
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  if (gc === undefined)
    process.stderr.write(
      'warning: run with --expose-gc (node --expose-gc --import tsx bench/soak.ts) for heap figures\n',
    );
  let triton: TritonProcess | undefined;
  let address = flags['server-url'];
  if (address === undefined) {
    await ensureTritonInstalled();
    triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: [MODEL] });
    address = triton.grpcUrl;
  }
  try {
    if (!(await soak(address))) process.exitCode = 1;
  } finally {
    await triton?.stop();
  }
}

await main();
