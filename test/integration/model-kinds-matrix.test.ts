/**
 * The matrix run on models of other kinds (issue 19, phase B), on the real CPU Triton: the
 * run reads the model's config and measures a decoupled model over ModelStreamInfer and a
 * sequence model in sequences, with Triton's own statistics counting exactly the requests we
 * sent; and a model served with max_batch_size 0 under `reload` is refused (exit 2) before the
 * server is touched, as is a paired run whose base is of another kind than its head. Decoupled rows run on both
 * transports. The models are this file's to load and unload (unique names, fixed strategy: no
 * reload). No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import type { RawInputs } from '../../src/config/inputs.js';
import type { RunResult } from '../../src/model/run-result.js';
import { renderRunTables } from '../../src/report/render-run-tables.js';
import { TritonClient, type InferTransportKind } from '../../src/triton/triton-client.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { sharedTriton } from '../support/shared-triton.js';
import { expectCountedCells, runMatrixAs, useLoadedModels } from './model-kinds-harness.js';

const MODELS = ['stream_tokens', 'sequence_sum', 'nobatch_identity'];
const address = sharedTriton().grpcUrl;
const control = new TritonClient({ address, isTls: false });
const REQUESTS = 24;
const TRIALS = 3;
/** stream_tokens sends COUNT data responses per request, then an empty final one. */
const COUNT_FILE = '/virtual/count.json';
const TOKENS = 3;

const SMALL: RawInputs = {
  users: '1,3',
  requests: String(REQUESTS),
  trials: String(TRIALS),
  'warmup-requests': '6',
  'max-reruns': '0',
  'baseline-store': 'none',
  'batch-strategy': 'fixed',
};

async function runOn(
  raw: RawInputs,
  files: ReadonlyMap<string, unknown> = new Map(),
  transport: InferTransportKind = 'h2',
): Promise<RunResult> {
  return runMatrixAs(parseConfig({ 'server-url': address, ...SMALL, ...raw }), { files, transport });
}

useLoadedModels(control, MODELS);

describe('the matrix run reads the model and measures it as it is served', () => {
  it.for<InferTransportKind>(['h2', 'grpc-js'])(
    'a decoupled model (stream_tokens) over ModelStreamInfer (%s): responses = Triton-counted requests × tokens',
    async (transport) => {
      const run = await runOn(
        { model: 'stream_tokens', 'max-batch': '8', inputs: `[{"name": "COUNT", "data": {"file": "${COUNT_FILE}"}}]` },
        new Map([[COUNT_FILE, [TOKENS]]]),
        transport,
      );
      expect(run.method).toMatchObject({ protocol: 'ModelStreamInfer', modelKind: { kind: 'decoupled' } });
      expectCountedCells(run, TRIALS, REQUESTS);
      for (const cell of run.cells) {
        for (const trial of cell.trials) {
          // Over the whole trial: every request Triton counted was answered by TOKENS responses.
          expect(trial.stream?.responsesPerRequest).toBe(TOKENS);
          expect(trial.stream?.emptyFinals).toBe(REQUESTS);
          expect(trial.stream?.zeroResponseRequests).toBe(0);
        }
        expect(cell.responsesPerSecondMedian).toBeGreaterThan(cell.rpsMedian);
        expect(cell.firstResponseMs?.p99).toBeGreaterThanOrEqual(cell.firstResponseMs?.p50 ?? Infinity);
      }
      const text = renderRunTables(run);
      expect(text).toMatch(/^Model: decoupled \(model_transaction_policy\.decoupled: true\)/);
      expect(text).toContain('Responses/s (streaming');
      expect(text).toContain('Time to first response (ms, p50 / p99)');
    },
  );

  it('a sequence model (sequence_sum) in sequences over ModelInfer: whole sequences, every request counted', async () => {
    const run = await runOn({ model: 'sequence_sum', 'max-batch': '4' });
    expect(run.method).toMatchObject({
      sequence: { length: 20, variationPct: 20, idKind: 'int64' },
      modelKind: { kind: 'sequence' },
    });
    expect(run.method.protocol).toBeUndefined();
    // sequence_sum fails any request without START on an unknown ID: no errors, whole sequences.
    expectCountedCells(run, TRIALS, REQUESTS);
    for (const trial of run.cells.flatMap((c) => c.trials)) expect(trial.sequences?.count).toBeGreaterThan(0);
    expect(renderRunTables(run)).toMatch(/^Model: sequence model \(sequence_batching\)/);
  });

  it('refuses a paired run whose base is measured differently (decoupled head, one-shot base) before any row', async () => {
    const before = await control.modelStatistics('stream_tokens');
    const baseBefore = await control.modelStatistics('demo_onnx');
    const outcome = await runCliInProcess([
      'run',
      '--server-url',
      address,
      '--model',
      'stream_tokens',
      '--baseline-model',
      'demo_onnx',
      '--batch-strategy',
      'fixed',
      '--max-batch',
      '8',
      '--users',
      '1',
    ]);
    expect(outcome.exitCode, outcome.stderr).toBe(2);
    expect(outcome.stderr).toMatch(
      /ConfigError: input 'baseline-model': got 'demo_onnx', expected a base model measured like the head: head 'stream_tokens' is decoupled \(ModelStreamInfer\), base 'demo_onnx' is batching \(ModelInfer\)/,
    );
    expect(await control.modelStatistics('stream_tokens')).toEqual(before);
    expect(await control.modelStatistics('demo_onnx')).toEqual(baseBefore);
  });

  it('refuses max-batch rows for a model served with max_batch_size 0 under reload, before touching it', async () => {
    const before = await control.modelStatistics('nobatch_identity');
    const outcome = await runCliInProcess([
      'run',
      '--server-url',
      address,
      '--model',
      'nobatch_identity',
      '--max-batch',
      '4,8',
      '--users',
      '1',
      '--requests',
      '8',
      '--trials',
      '3',
      '--warmup-requests',
      '0',
    ]);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(
      /ConfigError: input 'max-batch': got '4,8', expected only 0 for model 'nobatch_identity' \(batch-strategy 'reload'\)/,
    );
    expect(outcome.stderr).toContain('set batch-strategy: fixed and max-batch: 0');
    // Untouched: still served as it was, and no request reached it.
    expect((await control.modelConfig('nobatch_identity')).maxBatchSize).toBe(0);
    expect(await control.modelReady('nobatch_identity')).toBe(true);
    expect(await control.modelStatistics('nobatch_identity')).toEqual(before);
  });
});
