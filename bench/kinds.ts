/**
 * `npm run bench:kinds` (docs/models.md#our-counts-against-tritons): for every model kind of
 * issue 19, our counts over the steady windows of the engine's own trials against Triton's
 * statistics over the same windows. Starts its own CPU Triton with the test repository's models
 * (bench/kind-cases.ts), builds each request with the matrix's request builder, decides the kind
 * with `decideModelKind`, and runs each trial with the functions a matrix row runs:
 * `measureTrial` for unary models, `measureStreamTrial` on the plan of `streamRowPlanOf` for
 * decoupled and sequence models. Window counts: ours from the Trial (requests, items,
 * responses), Triton's from the ModelStatistics snapshots the trial takes at its window's edges.
 * Prints a table; asserts nothing.
 * Flags: --server-url host:port (use a running server that has the models loaded),
 * --window-seconds S (default 4), --trials N (per kind, default 3), --kinds model,model (subset).
 */
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../scripts/triton/triton-server.js';
import { buildInferRequest } from '../src/load/build-infer-request.js';
import { createRng, deriveSeed } from '../src/rng.js';
import { measureTrial, type MeasuredTrial } from '../src/matrix/measure-trial.js';
import { measureStreamTrial } from '../src/matrix/measure-stream-trial.js';
import { decideModelKind } from '../src/matrix/model-kind.js';
import { countersOf } from '../src/matrix/server-stats.js';
import { streamRowPlanOf } from '../src/matrix/stream-row.js';
import { TritonClient } from '../src/triton/triton-client.js';
import { KIND_CASES, type KindCase } from './kind-cases.js';
import { kindRow, KIND_TABLE_HEADER, tallyKind } from './kind-tally.js';

const { values: flags } = parseArgs({
  options: {
    'server-url': { type: 'string' },
    'window-seconds': { type: 'string', default: '4' },
    trials: { type: 'string', default: '3' },
    kinds: { type: 'string' },
  },
});
const WINDOW_SECONDS = Number(flags['window-seconds']);
const TRIALS = Number(flags.trials);
const SEED = 19;
const TIMEOUT_MS = 30_000;
const selected = flags.kinds?.split(',');
const CASES = KIND_CASES.filter((c) => selected === undefined || selected.includes(c.model));

/** Runs the trials of one kind the way a matrix row runs them (measure-row.ts `runOne`). */
async function measureKind(client: TritonClient, kindCase: KindCase): Promise<MeasuredTrial[]> {
  const config = await client.modelConfig(kindCase.model);
  const decision = decideModelKind(config);
  const built = buildInferRequest({
    model: kindCase.model,
    modelVersion: '',
    config,
    maxBatch: config.maxBatchSize,
    itemsPerRequest: kindCase.itemsPerRequest,
    overrides: kindCase.overrides ?? [],
    defaultData: 'random',
    seed: SEED,
    files: kindCase.files ?? new Map(),
  });
  const request = built.bytes;
  const stream = streamRowPlanOf(decision, built.streams, {
    streamTransport: () => client.streamTransport(),
    transport: client.inferTransport(),
    requestTimeoutMs: TIMEOUT_MS,
    ids: {},
  });
  const deps = {
    readStats: async () => countersOf(await client.modelStatistics(kindCase.model)),
    signal: new AbortController().signal,
  };
  const measured: MeasuredTrial[] = [];
  for (let order = 0; order < TRIALS; order++) {
    const spec = {
      users: kindCase.users,
      requests: 0,
      windowSeconds: WINDOW_SECONDS,
      warmupRequests: 10 * kindCase.users,
      itemsPerRequest: kindCase.itemsPerRequest,
      timeoutMs: TIMEOUT_MS,
      order,
    };
    if (stream === undefined) {
      measured.push(await measureTrial(client.inferTransport(), { ...spec, request }, deps));
      continue;
    }
    const sequences =
      stream.sequence === undefined
        ? {}
        : {
            sequences: {
              ...stream.sequence,
              ids: stream.ids,
              rng: createRng(deriveSeed(SEED, `sequences:${String(kindCase.users)}:${String(order)}`)),
            },
          };
    measured.push(
      await measureStreamTrial(
        stream.transport,
        { ...spec, steps: stream.steps, isStream: stream.isStream, ...sequences },
        deps,
      ),
    );
  }
  return measured;
}

async function main(): Promise<void> {
  let triton: TritonProcess | undefined;
  let address = flags['server-url'];
  if (address === undefined) {
    await ensureTritonInstalled();
    const models = [...new Set(CASES.flatMap((c) => [c.model, ...(c.alsoLoads ?? [])]))];
    triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models });
    address = triton.grpcUrl;
  }
  const client = new TritonClient({ address, isTls: false });
  try {
    const load = loadavg().map((x) => x.toFixed(1));
    process.stdout.write(
      `Triton ${triton?.version ?? ''} on ${address}; ${String(cpus().length)} cores, load average ${load.join(' ')} at start; ` +
        `${String(TRIALS)} trials per kind, steady windows of ${String(WINDOW_SECONDS)} s (time mode)\n\n`,
    );
    process.stdout.write(KIND_TABLE_HEADER);
    for (const kindCase of CASES) {
      process.stderr.write(`measuring ${kindCase.kind} (${kindCase.model}) ...\n`);
      const tally = tallyKind(kindCase, await measureKind(client, kindCase));
      process.stdout.write(kindRow(kindCase, tally));
    }
    process.stdout.write(
      `\nload average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} at the end\n`,
    );
  } finally {
    client.close();
    await triton?.stop();
  }
}

await main();
