/**
 * `bench:client`'s streaming section (docs/client-efficiency.md#streaming): on the decoupled
 * `stream_tokens` model answering every request with COUNT responses (a token stream) and an
 * empty final, client CPU per response and responses/s of our streaming loop (h2 and grpc-js
 * transports) next to perf_analyzer `--streaming --async` at the same concurrency. Ours:
 * `process.cpuUsage` around the loop over the responses it received; perf_analyzer's: its
 * process's CPU (bash `times`) over COUNT × the requests Triton counted for it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { buildInferRequest } from '../src/load/build-infer-request.js';
import { EMPTY_FINAL_OPT_IN } from '../src/load/request-tail.js';
import { runStreamLoop } from '../src/load/stream-loop.js';
import { waitForModelReady } from '../src/triton/inspect-model.js';
import { TritonClient, type InferTransportKind } from '../src/triton/triton-client.js';
import { runPerfAnalyzerStable } from './perf-analyzer.js';

const MODEL = 'stream_tokens';

/** Settings of the section. */
export interface StreamingOptions {
  readonly users: readonly number[];
  readonly rounds: number;
  /** Responses per request (the model's COUNT input). */
  readonly count: number;
  /** Requests per figure of ours. */
  readonly requests: number;
  /** perf_analyzer's window (ms). */
  readonly windowMs: number;
}

interface Figure {
  readonly responsesPerSec: number;
  readonly cpuUsPerResponse: number;
}

async function successCount(client: TritonClient): Promise<number> {
  const stats = await client.modelStatistics(MODEL);
  return stats.reduce((sum, s) => sum + Number(s.inferenceStats?.success?.count ?? 0n), 0);
}

/** The request our engine sends: COUNT from a data file, as a user's `inputs` would give it. */
async function tokensRequest(client: TritonClient, count: number): Promise<Buffer> {
  const config = await client.modelConfig(MODEL);
  const built = buildInferRequest({
    model: MODEL,
    modelVersion: '',
    config,
    maxBatch: config.maxBatchSize,
    itemsPerRequest: 1,
    overrides: [{ name: 'COUNT', data: { file: 'count.json' } }],
    defaultData: 'random',
    seed: 1,
    files: new Map([['count.json', [count]]]),
  });
  return Buffer.concat([built.bytes, EMPTY_FINAL_OPT_IN]);
}

async function ours(
  address: string,
  kind: InferTransportKind,
  users: number,
  options: StreamingOptions,
): Promise<Figure> {
  const client = new TritonClient({ address, isTls: false, transport: kind });
  try {
    const steps = [await tokensRequest(client, options.count)];
    const transport = client.streamTransport();
    await runStreamLoop(transport, { users, requests: Math.max(200, users * 10), steps, timeoutMs: 30_000 });
    const cpu0 = process.cpuUsage();
    const result = await runStreamLoop(transport, { users, requests: options.requests, steps, timeoutMs: 30_000 });
    const cpu = process.cpuUsage(cpu0);
    if (result.failed > 0) throw new Error(`ours (${kind}) had ${result.failed} errors: ${result.firstError ?? ''}`);
    return {
      responsesPerSec: result.responses / (result.durationMs / 1000),
      cpuUsPerResponse: (cpu.user + cpu.system) / result.responses,
    };
  } finally {
    client.close();
  }
}

async function perfAnalyzer(
  address: string,
  users: number,
  dataFile: string,
  options: StreamingOptions,
): Promise<Figure> {
  const client = new TritonClient({ address, isTls: false });
  const args = [
    '--streaming',
    '--async',
    '--concurrency-range',
    String(users),
    '--measurement-interval',
    String(options.windowMs),
    '--input-data',
    dataFile,
  ];
  try {
    const before = await successCount(client);
    const run = await runPerfAnalyzerStable(address, MODEL, args, `${String(users)} users on ${MODEL} --streaming`);
    // Its CPU over every response it received (warm-up and unstable windows included).
    const responses = ((await successCount(client)) - before) * options.count;
    return { responsesPerSec: run.responsesPerSec ?? Number.NaN, cpuUsPerResponse: (run.cpuSeconds * 1e6) / responses };
  } finally {
    client.close();
  }
}

const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Prints the streaming table; loads `stream_tokens` for it and unloads it after. */
export async function streamingEfficiency(address: string, options: StreamingOptions): Promise<void> {
  const control = new TritonClient({ address, isTls: false, defaultTimeoutMs: 120_000 });
  const dir = await mkdtemp(join(tmpdir(), 'ttg-bench-'));
  try {
    await control.repositoryModelLoad(MODEL);
    await waitForModelReady(control, MODEL, { timeoutMs: 60_000 });
    const dataFile = join(dir, 'count.json');
    // perf_analyzer's --input-data format: one step giving COUNT.
    await writeFile(dataFile, JSON.stringify({ data: [{ COUNT: [options.count] }] }));
    process.stdout.write(
      `\nStreaming on ${MODEL} (COUNT ${String(options.count)}: ${String(options.count)} responses + an empty final per request; ` +
        `${String(options.requests)} requests per figure of ours, median of ${String(options.rounds)} interleaved rounds)\n`,
    );
    process.stdout.write(
      'users | ours h2 resp/s  CPU µs/resp | ours grpc-js resp/s  CPU µs/resp | perf_analyzer --streaming resp/s  CPU µs/resp | CPU ratio h2/PA | resp/s ratio h2/PA\n',
    );
    for (const users of options.users) {
      const figures: Figure[][] = [[], [], []];
      for (let round = 0; round < options.rounds; round++) {
        figures[0]?.push(await ours(address, 'h2', users, options));
        figures[1]?.push(await ours(address, 'grpc-js', users, options));
        figures[2]?.push(await perfAnalyzer(address, users, dataFile, options));
      }
      const [h2, grpcJs, pa] = figures.map((list) => ({
        responsesPerSec: median(list.map((f) => f.responsesPerSec)),
        cpuUsPerResponse: median(list.map((f) => f.cpuUsPerResponse)),
      })) as [Figure, Figure, Figure];
      process.stdout.write(
        `${String(users).padStart(5)} | ${fmt(h2.responsesPerSec).padStart(14)}  ${fmt(h2.cpuUsPerResponse, 1).padStart(11)} | ` +
          `${fmt(grpcJs.responsesPerSec).padStart(19)}  ${fmt(grpcJs.cpuUsPerResponse, 1).padStart(11)} | ` +
          `${fmt(pa.responsesPerSec).padStart(32)}  ${fmt(pa.cpuUsPerResponse, 1).padStart(11)} | ` +
          `${fmt(h2.cpuUsPerResponse / pa.cpuUsPerResponse, 2).padStart(15)} | ${fmt(h2.responsesPerSec / pa.responsesPerSec, 2).padStart(18)}\n`,
      );
    }
  } finally {
    await control.repositoryModelUnload(MODEL).catch(() => undefined);
    control.close();
    await rm(dir, { recursive: true, force: true });
  }
}
