/**
 * `bench:client`'s agreement section (docs/client-efficiency.md): at given (max_batch, users)
 * cells of demo_onnx, our dps and perf_analyzer's infer/sec, each next to the rate Triton itself
 * served during the span the figure covers. Ours comes from the product's own trial
 * (`measureTrial`, steady window, server rate from snapshots at the window's edges);
 * perf_analyzer's server rate from polling while it runs (bench/server-rate.ts).
 */
import { median } from 'simple-statistics';
import { configOverrideJson, overrideConfig } from '../src/control/override-config.js';
import { buildInferRequest } from '../src/load/build-infer-request.js';
import { measureTrial } from '../src/matrix/measure-trial.js';
import { countersOf } from '../src/matrix/server-stats.js';
import { waitForModelReady } from '../src/triton/inspect-model.js';
import { TritonClient } from '../src/triton/triton-client.js';
import { runPerfAnalyzerStable } from './perf-analyzer.js';
import { pollDuring, rateOverLastSpan } from './server-rate.js';

const MODEL = 'demo_onnx';

/** A tool's figure and the server's rate over the same span (items/s; 1 item per request). */
export interface RatePair {
  readonly tool: number;
  readonly server: number;
}

/** Settings of the section. */
export interface AgreementOptions {
  readonly cells: readonly (readonly [maxBatch: number, users: number])[];
  readonly rounds: number;
  /** perf_analyzer's window (ms); it reports the mean of its last 3 stable windows. */
  readonly windowMs: number;
}

async function setMaxBatch(client: TritonClient, maxBatch: number): Promise<Uint8Array> {
  const original = await client.modelConfig(MODEL);
  const next = overrideConfig(original, { maxBatch, originalMaxBatch: original.maxBatchSize });
  await client.repositoryModelUnload(MODEL, { timeoutMs: 60_000 });
  await client.repositoryModelLoad(MODEL, configOverrideJson(next), { timeoutMs: 120_000 });
  await waitForModelReady(client, MODEL, { timeoutMs: 60_000 });
  const config = await client.modelConfig(MODEL);
  if (config.maxBatchSize !== maxBatch)
    throw new Error(`${MODEL} reports max_batch_size ${String(config.maxBatchSize)}, expected ${String(maxBatch)}`);
  return buildInferRequest({
    model: MODEL,
    modelVersion: '',
    config,
    maxBatch,
    itemsPerRequest: 1,
    overrides: [],
    defaultData: 'random',
    seed: 1,
    files: new Map(),
  }).bytes;
}

/** Ours: one trial as the matrix measures a cell, with a window as long as perf_analyzer's 3. */
async function ours(client: TritonClient, request: Uint8Array, users: number, windowMs: number): Promise<RatePair> {
  const { trial } = await measureTrial(
    client.inferTransport(),
    {
      users,
      requests: 0,
      windowSeconds: (3 * windowMs) / 1000,
      warmupRequests: 50 * users,
      itemsPerRequest: 1,
      request,
      timeoutMs: 30_000,
      order: 0,
    },
    { readStats: async () => countersOf(await client.modelStatistics(MODEL)), signal: new AbortController().signal },
  );
  if (trial.errors > 0 || trial.serverDps === undefined)
    throw new Error(
      `ours at ${String(users)} users: ${String(trial.errors)} errors, server rate ${String(trial.serverDps)}`,
    );
  return { tool: trial.dps, server: trial.serverDps };
}

async function perfAnalyzer(
  client: TritonClient,
  address: string,
  users: number,
  isAsync: boolean,
  windowMs: number,
): Promise<RatePair> {
  const args = [
    '--concurrency-range',
    String(users),
    '--measurement-interval',
    String(windowMs),
    ...(isAsync ? ['--async'] : []),
  ];
  const run = runPerfAnalyzerStable(address, MODEL, args, `${String(users)} users on ${MODEL}`);
  const { result, samples } = await pollDuring(client, MODEL, run);
  const server = rateOverLastSpan(samples, 3 * windowMs);
  if (server === undefined) throw new Error('perf_analyzer ran too briefly to measure the server over its windows');
  return { tool: result.inferPerSec, server };
}

const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const medianPair = (pairs: readonly RatePair[]): RatePair => ({
  tool: median(pairs.map((p) => p.tool)),
  server: median(pairs.map((p) => p.server)),
});
/** Median of the per-round ratios tool/server (each round's pair shares its span). */
const medianRatio = (pairs: readonly RatePair[]): number => median(pairs.map((p) => p.tool / p.server));

/** Prints the agreement table; contenders interleaved per round so the VM's drift hits all alike. */
export async function agreementAtCells(address: string, options: AgreementOptions): Promise<void> {
  const client = new TritonClient({ address, isTls: false });
  try {
    process.stdout.write(
      `\nAgreement on ${MODEL}: each figure next to Triton's own rate over the same span (1 item per request, ${String((3 * options.windowMs) / 1000)} s spans, median of ${String(options.rounds)} interleaved rounds)\n`,
    );
    process.stdout.write(
      'max_batch | users | ours dps | server | ours/server | PA sync | server | PA/server | PA async | server | PA/server | ours/PA sync | ours/PA async\n',
    );
    for (const [maxBatch, users] of options.cells) {
      const request = await setMaxBatch(client, maxBatch);
      const rounds: RatePair[][] = [[], [], []];
      for (let round = 0; round < options.rounds; round++) {
        rounds[0]?.push(await ours(client, request, users, options.windowMs));
        rounds[1]?.push(await perfAnalyzer(client, address, users, false, options.windowMs));
        rounds[2]?.push(await perfAnalyzer(client, address, users, true, options.windowMs));
      }
      const [mine, sync, async] = rounds.map(medianPair) as [RatePair, RatePair, RatePair];
      const [rMine, rSync, rAsync] = rounds.map(medianRatio) as [number, number, number];
      process.stdout.write(
        `${String(maxBatch).padStart(9)} | ${String(users).padStart(5)} | ${fmt(mine.tool).padStart(8)} | ${fmt(mine.server).padStart(6)} | ${fmt(rMine, 4).padStart(11)} | ` +
          `${fmt(sync.tool).padStart(7)} | ${fmt(sync.server).padStart(6)} | ${fmt(rSync, 4).padStart(9)} | ${fmt(async.tool).padStart(8)} | ${fmt(async.server).padStart(6)} | ${fmt(rAsync, 4).padStart(9)} | ` +
          `${fmt(mine.tool / sync.tool, 3).padStart(12)} | ${fmt(mine.tool / async.tool, 3).padStart(13)}\n`,
      );
    }
  } finally {
    client.close();
  }
}
