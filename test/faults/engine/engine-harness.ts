/**
 * Wires the real engine to the fake Triton for fault tests: `parseConfig` with small, fast
 * defaults, the real `TritonClient`, `createGrpcInferTransport` and the strategy's controller
 * from `CONTROLLER_FACTORIES`, and `runMatrix`. Everything opened here is closed by
 * `onTestFinished`, whatever the test's outcome.
 */
import * as grpc from '@grpc/grpc-js';
import { onTestFinished } from 'vitest';
import type { Config } from '../../../src/config/config.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../../src/control/controllers.js';
import type { CommandRunner } from '../../../src/control/model-controller.js';
import { runShellCommand } from '../../../src/control/run-shell-command.js';
import type { Logger } from '../../../src/logger.js';
import { runMatrix } from '../../../src/matrix/run-matrix.js';
import type { Cell, RunResult } from '../../../src/model/run-result.js';
import { createGrpcInferTransport } from '../../../src/triton/grpc-infer-transport.js';
import { TritonClient } from '../../../src/triton/triton-client.js';
import {
  eventText,
  fakeModelConfig,
  startFakeTriton,
  type FakeModelSpec,
  type FakeTriton,
  type FakeTritonFaults,
} from '../../support/fake-triton.js';

/**
 * Small and fast: one row, 2 users, 2 trials of 8 requests (set after parsing, see below), 2 warm-up requests, no re-runs. Such
 * short trials vary a lot, so max-cv is 100%; tests still never assert ok vs noisy (timing).
 */
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
  'baseline-store': 'none',
};

/** A logger that keeps every line. */
export interface CollectingLogger extends Logger {
  readonly lines: string[];
}

function collectingLogger(): CollectingLogger {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`) };
}

/** What `setUpEngine` wired. */
export interface Engine {
  readonly fake: FakeTriton;
  readonly config: Config;
  readonly log: CollectingLogger;
  /** Aborts the run's signal. */
  readonly abort: AbortController;
  /** Runs the whole matrix once. */
  run(): Promise<RunResult>;
  /** The fake's repository events as text (`eventText`). */
  events(): string[];
}

/** Options of `setUpEngine`. */
export interface EngineOptions {
  /** Raw inputs on top of the defaults (`server-url` is the fake's). */
  readonly inputs?: RawInputs;
  /** Default: model `m` at max_batch 16, loaded. */
  readonly models?: readonly FakeModelSpec[];
  readonly faults?: FakeTritonFaults;
  /** Default: the real shell runner. */
  readonly runCommand?: CommandRunner;
}

/** Starts the fake and builds the engine around it; cleanup is registered on the current test. */
export async function setUpEngine(options: EngineOptions = {}): Promise<Engine> {
  const fake = await startFakeTriton(options.models ?? [{ config: fakeModelConfig('m', 16) }], options.faults ?? {});
  onTestFinished(() => fake.close());
  const parsed = parseConfig({ ...DEFAULT_INPUTS, ...options.inputs, 'server-url': fake.address });
  // The engine measures any trial count; 3 is a floor of the gate's config (docs/statistics.md §1).
  // These tests count trials, and 2 per cell keeps them short.
  const config = options.inputs?.trials === undefined ? { ...parsed, matrix: { ...parsed.matrix, trials: 2 } } : parsed;
  const client = new TritonClient({ address: config.server.address, isTls: false, defaultTimeoutMs: 5000 });
  const transport = createGrpcInferTransport({
    address: config.server.address,
    isTls: false,
    metadata: new grpc.Metadata(),
    channels: 1,
  });
  onTestFinished(() => {
    transport.close();
    client.close();
  });
  const log = collectingLogger();
  const abort = new AbortController();
  const controller = CONTROLLER_FACTORIES[config.control.strategy]({
    client,
    config,
    log,
    runCommand: options.runCommand ?? runShellCommand,
  });
  return {
    fake,
    config,
    log,
    abort,
    run: () =>
      runMatrix(
        config,
        { client, transport, controller, log, files: new Map(), signal: abort.signal },
        { source: { event: 'cli' }, label: 'faults' },
      ),
    events: () => fake.events.map(eventText),
  };
}

/** A cell measured without errors (`ok` or `noisy`: which one depends on timing, never asserted). */
export function isMeasured(cell: Cell): boolean {
  return cell.status !== 'failed' && cell.trials.length > 0 && cell.trials.every((t) => t.errors === 0);
}

/** Rejects naming `what` when `promise` has not settled after `limitMs` (so a hang fails fast). */
export async function within<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what}: no result within ${limitMs} ms`));
    }, limitMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}
