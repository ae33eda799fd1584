/**
 * The whole pipeline (runPipeline: matrix, baseline, comparison, report, sinks, save) on the
 * fake Triton, the way the CLI wires it: the real TritonClient with the DEFAULT h2 transport
 * (`client.inferTransport()`, what users run), the strategy's controller, and a file store
 * that already holds a baseline and is told to save every run (`save-baseline: always` on a
 * push to the default branch). Fault tests then check what must hold after any fault: the run
 * ended, the report says what happened, the model was restored, and the stored baseline was
 * neither lost, rewritten nor joined by a partial run (store-snapshot.ts `expectSoundStore`).
 * Everything opened is closed by `onTestFinished`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createStore } from '../../src/compose/create-store.js';
import { createFileStore } from '../../src/baseline/file-store.js';
import type { Config } from '../../src/config/config.js';
import type { RawInputs } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import { runJournal } from '../../src/compose/compose-run.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import type { Logger } from '../../src/logger.js';
import type { RunResult } from '../../src/model/run-result.js';
import { runPipeline, type PipelineResult } from '../../src/pipeline.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { makeRun } from './baseline-runs.js';
import { readTree } from './store-snapshot.js';
import {
  eventText,
  fakeModelConfig,
  startFakeTriton,
  type FakeModelSpec,
  type FakeTriton,
  type FakeTritonFaults,
} from './fake-triton.js';

/** Small and fast, like the engine harness: one row, 2 users, 2 trials of 8 requests (set after parsing). */
const DEFAULT_INPUTS: RawInputs = {
  model: 'm',
  'max-batch': '8',
  users: '2',
  requests: '8',
  trials: '3',
  'warmup-requests': '2',
  'max-reruns': '0',
  'max-cv': '1',
  'request-timeout-ms': '5000',
  'load-timeout-s': '5',
  'input-data': 'zeros',
  seed: '1',
  confirm: 'false',
  'save-baseline': 'always',
};

/** What a pipeline run on the fake left behind. */
export interface FaultRun {
  readonly fake: FakeTriton;
  readonly config: Config;
  readonly result: PipelineResult;
  /** Every log line, `info: ...` / `warn: ...`. */
  readonly logLines: readonly string[];
  /** The fake's repository events (`load m max_batch=8 -> ready`, ...). */
  readonly events: readonly string[];
  /** Store files (relative path → text) before and after the run. */
  readonly storeBefore: ReadonlyMap<string, string>;
  readonly storeAfter: ReadonlyMap<string, string>;
  /** The baseline run seeded before the run. */
  readonly seeded: RunResult;
}

/** Options of {@link runPipelineOnFake}. */
export interface FaultRunOptions {
  readonly inputs?: RawInputs;
  /** Default: model `m` at max_batch 16, loaded. */
  readonly models?: readonly FakeModelSpec[];
  readonly faults?: FakeTritonFaults;
  /** Called once the run is wired, with the abort controller of its signal. */
  readonly onReady?: (abort: AbortController, fake: FakeTriton) => void;
}

/** Starts the fake, seeds the store, runs the pipeline once and reads the store back. */
export async function runPipelineOnFake(options: FaultRunOptions = {}): Promise<FaultRun> {
  const fake = await startFakeTriton(options.models ?? [{ config: fakeModelConfig('m', 16) }], options.faults ?? {});
  onTestFinished(() => fake.close());
  const storeDir = await mkdtemp(join(tmpdir(), 'ttg-fault-store-'));
  onTestFinished(() => rm(storeDir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`) };
  const parsed = parseConfig({
    ...DEFAULT_INPUTS,
    'baseline-store': 'file',
    'baseline-path': storeDir,
    ...options.inputs,
    'server-url': fake.address,
  });
  // The engine measures any trial count; 3 is a floor of the gate's config (docs/statistics.md §1).
  // These cases count trials, and 2 per cell keeps them short.
  const config = options.inputs?.trials === undefined ? { ...parsed, matrix: { ...parsed.matrix, trials: 2 } } : parsed;
  const seeded = makeRun({
    benchmarkKey: config.benchmarkKey,
    sha: 'a'.repeat(40),
    startedAt: '2026-01-01T00:00:00.000Z',
  });
  await createFileStore({ dir: storeDir, history: 30, log }).save(seeded);
  const storeBefore = await readTree(storeDir);
  const client = new TritonClient({ address: fake.address, isTls: false, defaultTimeoutMs: 5000 });
  onTestFinished(() => {
    client.close();
  });
  const abort = new AbortController();
  options.onReady?.(abort, fake);
  // One journal for the controller and the pipeline, as compose-run.ts wires it.
  const journal = runJournal(config, log);
  const controller = CONTROLLER_FACTORIES[config.control.strategy]({
    client,
    config,
    log,
    runCommand: runShellCommand,
    journal,
  });
  const published: PipelineResult[] = [];
  const result = await runPipeline(config, {
    matrix: { client, transport: client.inferTransport(), controller, log, files: new Map(), signal: abort.signal },
    store: (await createStore(config.store, { log })).store,
    sinks: [
      {
        name: 'capture',
        publish: (r) => {
          published.push(r);
          return Promise.resolve();
        },
      },
    ],
    log,
    journal,
    event: { name: 'push', isDefaultBranch: true, isTag: false },
    context: { source: { event: 'push', sha: 'b'.repeat(40), ref: 'refs/heads/main' }, label: 'faults' },
    preferredShas: [],
  });
  if (published[0] !== result) throw new Error('the sink did not receive the pipeline result');
  return {
    fake,
    config,
    result,
    logLines: lines,
    events: fake.events.map(eventText),
    storeBefore,
    storeAfter: await readTree(storeDir),
    seeded,
  };
}
