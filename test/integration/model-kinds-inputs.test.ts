/**
 * The inputs perf_analyzer users already have (issue 19), on the real CPU Triton: an
 * `input-data` file read through the run's own file reader, its steps replayed in order within
 * each sequence (sequence_steps fails any request whose step is out of order) and round-robin
 * on a unary model; `shape` for a -1 dim and random BYTES strings of `string-length`
 * (text_length16 fails any string not 16 bytes long). Triton's own statistics count exactly the
 * requests we sent. The models are this file's to load and unload. No timing is asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawInputs } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { readInputFiles } from '../../src/load/read-input-files.js';
import type { RunResult } from '../../src/model/run-result.js';
import { sharedTriton } from '../support/shared-triton.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { expectCountedCells, runMatrixAs, useLoadedModels } from './model-kinds-harness.js';

const MODELS = ['sequence_steps', 'text_length16', 'bytes_length'];
const address = sharedTriton().grpcUrl;
const control = new TritonClient({ address, isTls: false });
const REQUESTS = 24;
const TRIALS = 3;
const dir = mkdtempSync(join(tmpdir(), 'ttg-inputs-'));

const SMALL: RawInputs = {
  users: '1,3',
  requests: String(REQUESTS),
  trials: String(TRIALS),
  'warmup-requests': '6',
  'max-reruns': '0',
  'baseline-store': 'none',
  'batch-strategy': 'fixed',
};

/** Writes `json` as a data file of this test and returns its path. */
function dataFile(name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** A matrix run as the CLI makes it: config parsed, data files read by the run's reader. */
async function runOn(raw: RawInputs): Promise<RunResult> {
  const config = parseConfig({ 'server-url': address, ...SMALL, ...raw });
  return runMatrixAs(config, { files: await readInputFiles(config.matrix) });
}

/** The row and every cell measured without errors, and Triton counted exactly the requests of its trials. */
function expectCounted(run: RunResult): void {
  expect(run.rows.map((r) => [r.status, r.message])).toEqual([['ok', undefined]]);
  expectCountedCells(run, TRIALS, REQUESTS);
}

/** Every failure message of a run: its rows', its cells' and its trials' first errors. */
function failuresOf(run: RunResult): string {
  const cells = run.cells.flatMap((c) => [c.message ?? '', ...c.trials.map((t) => t.firstError ?? '')]);
  return [...run.rows.map((r) => r.message ?? ''), ...cells].join('\n');
}

useLoadedModels(control, MODELS);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('inputs perf_analyzer users already have', () => {
  it('an input-data file drives a sequence model: its steps in order within every sequence, as long as the stream', async () => {
    const file = dataFile('steps.json', { data: [[{ INPUT: [1] }, { INPUT: [2] }, { INPUT: [3] }]] });
    const run = await runOn({ model: 'sequence_steps', 'max-batch': '4', 'input-data': file });
    expect(run.method).toMatchObject({
      sequence: { isLengthFromData: true, idKind: 'int64' },
      modelKind: { kind: 'sequence' },
      inputs: [`INPUT:INT32[1]:input-data:${file}`],
    });
    // sequence_steps fails a request whose INPUT is not its position + 1: no errors, steps in order.
    expectCounted(run);
    for (const trial of run.cells.flatMap((c) => c.trials)) expect(trial.sequences?.count).toBeGreaterThan(0);
  });

  it('sequence-length longer than the data stream wraps its steps, which sequence_steps refuses', async () => {
    const file = dataFile('short.json', { data: [{ INPUT: [1] }, { INPUT: [2] }] });
    const run = await runOn({
      model: 'sequence_steps',
      'max-batch': '4',
      'input-data': file,
      'sequence-length': '3',
      'sequence-length-variation': '0',
      users: '1',
    });
    expect(run.method.sequence).toMatchObject({ length: 3, variationPct: 0 });
    // Step 2 replays step 0 (INPUT 1): perf_analyzer's wrap, and the model says so.
    expect(failuresOf(run)).toContain('step 2 carries 1, expected 3');
  });

  it('an input-data file on a unary model: steps of different shapes sent round-robin, all counted', async () => {
    const file = dataFile('texts.json', {
      data: [{ TEXT: { content: ['a'], shape: [1] } }, { TEXT: { content: ['bb', 'ccc'], shape: [2] } }],
    });
    const run = await runOn({ model: 'bytes_length', 'max-batch': '8', 'input-data': file });
    expect(run.method.inputs).toEqual([`TEXT:BYTES[1]:input-data:${file}`]);
    expectCounted(run);
  });

  it('shape fills a -1 dim and BYTES inputs get random strings of string-length', async () => {
    const run = await runOn({ model: 'text_length16', 'max-batch': '8', shape: 'TEXT:4', 'string-length': '16' });
    expect(run.method.inputs).toEqual(['TEXT:BYTES[4]:random(16 chars)']);
    // text_length16 fails a request holding any string that is not 16 bytes long.
    expectCounted(run);
  });

  it('the same model refuses the default 128-character strings: the check above can fail', async () => {
    const run = await runOn({ model: 'text_length16', 'max-batch': '8', shape: 'TEXT:4', users: '1' });
    expect(failuresOf(run)).toContain('TEXT lengths [128], expected 16');
  });
});
