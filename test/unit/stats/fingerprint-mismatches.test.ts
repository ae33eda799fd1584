/**
 * Naming what differs between a run's fingerprint and its baseline's
 * (src/stats/fingerprint-mismatches.ts): both values, the weight of each field, fields one side
 * does not know, pooled baseline runs.
 */
import { describe, expect, it } from 'vitest';
import type { Environment, Method, RunResult } from '../../../src/model/run-result.js';
import {
  describeGpus,
  fingerprintMismatches,
  mismatchNote,
  mismatchText,
} from '../../../src/stats/fingerprint-mismatches.js';
import { run as baseRun } from './fixtures.js';

const FULL: Partial<Environment> = {
  gpuNames: ['NVIDIA A100 80GB PCIe'],
  gpuDriver: '535.104.05',
  toolVersion: '0.1.0',
  transport: 'h2',
  batching: { isDynamic: true, maxQueueDelayUs: 100, preferredBatchSizes: [4, 8] },
};

function runWith(id: string, environment: Partial<Environment> = {}, method: Partial<Method> = {}): RunResult {
  const run = baseRun(id, []);
  return { ...run, environment: { ...run.environment, ...environment }, method: { ...run.method, ...method } };
}

describe('fingerprintMismatches', () => {
  it('finds nothing when the fingerprints agree', () => {
    expect(fingerprintMismatches(runWith('c', FULL), [runWith('b', FULL)])).toEqual([]);
  });

  it('names a different GPU with both values; not like-for-like', () => {
    const [gpu] = fingerprintMismatches(runWith('c', { ...FULL, gpuNames: ['NVIDIA L4'] }), [runWith('b', FULL)]);
    expect(gpu).toEqual({ what: 'GPU', baseline: 'NVIDIA A100 80GB PCIe', current: 'NVIDIA L4', weight: 'untrusted' });
    if (gpu === undefined) throw new Error('expected a GPU mismatch');
    expect(mismatchText(gpu)).toBe('GPU differs: NVIDIA A100 80GB PCIe (baseline) vs NVIDIA L4 (this run)');
    expect(mismatchNote(gpu)).toBe(
      'GPU differs: NVIDIA A100 80GB PCIe (baseline) vs NVIDIA L4 (this run): not a like-for-like comparison, the deltas include this difference',
    );
  });

  it('a different number of the same GPU differs too', () => {
    const current = runWith('c', { ...FULL, gpuNames: ['NVIDIA A100 80GB PCIe', 'NVIDIA A100 80GB PCIe'] });
    expect(fingerprintMismatches(current, [runWith('b', FULL)])).toEqual([
      { what: 'GPU', baseline: 'NVIDIA A100 80GB PCIe', current: '2 × NVIDIA A100 80GB PCIe', weight: 'untrusted' },
    ]);
  });

  it('weighs each field: driver, transport and warm-up are caveats; queue delay and sizes the change under test; tool version a note', () => {
    const current = runWith(
      'c',
      {
        ...FULL,
        gpuDriver: '550.54.15',
        transport: 'grpc-js',
        toolVersion: '0.2.0',
        batching: { isDynamic: true, maxQueueDelayUs: 500, preferredBatchSizes: [] },
      },
      { warmupRequests: 64 },
    );
    const found = fingerprintMismatches(current, [runWith('b', FULL)]);
    expect(found.map((m) => [m.what, m.weight])).toEqual([
      ['GPU driver', 'caveat'],
      ['transport', 'caveat'],
      ['warm-up', 'caveat'],
      ['queue delay', 'change'],
      ['preferred batch sizes', 'change'],
      ['tool version', 'note'],
    ]);
    expect(found.map(mismatchNote)).toEqual([
      'GPU driver differs: 535.104.05 (baseline) vs 550.54.15 (this run): compared anyway, read with care',
      'transport differs: h2 (baseline) vs grpc-js (this run): compared anyway, read with care',
      'warm-up differs: default max(32, 2 × users) requests per cell (baseline) vs 64 requests per cell (this run): compared anyway, read with care',
      'queue delay differs: 100 µs (baseline) vs 500 µs (this run): the comparison measures that change',
      'preferred batch sizes differs: 4, 8 (baseline) vs none set (this run): the comparison measures that change',
      'tool version differs: 0.1.0 (baseline) vs 0.2.0 (this run)',
    ]);
  });

  it('names Triton, model version, label and the model config', () => {
    const current = runWith('c', {
      tritonVersion: '2.52.0',
      modelVersion: '2',
      label: 'gpu-l4',
      configHash: 'ffffffffffffffff',
    });
    expect(fingerprintMismatches(current, [runWith('b')]).map(mismatchText)).toEqual([
      'Triton differs: 2.51.0 (baseline) vs 2.52.0 (this run)',
      'model version differs: 1 (baseline) vs 2 (this run)',
      "runner label differs: 'cpu' (baseline) vs 'gpu-l4' (this run)",
      'model config differs: hash 0123456789abcdef (baseline) vs hash ffffffffffffffff (this run)',
    ]);
  });

  it('says when dynamic batching was turned off', () => {
    const current = runWith('c', {
      ...FULL,
      batching: { isDynamic: false, maxQueueDelayUs: 0, preferredBatchSizes: [] },
    });
    expect(fingerprintMismatches(current, [runWith('b', FULL)]).map(mismatchText)).toEqual([
      'queue delay differs: 100 µs (baseline) vs no dynamic batching (this run)',
    ]);
  });

  it('compares nothing a side does not know: a run stored before the new fields, or a runner without nvidia-smi', () => {
    const old = runWith('old');
    expect(fingerprintMismatches(runWith('c', FULL), [old])).toEqual([]);
    expect(fingerprintMismatches(old, [runWith('b', FULL)])).toEqual([]);
  });

  it('old runs timed whole trials: a timing difference is named', () => {
    const current = runWith('c', {}, { timing: 'steady-window' });
    expect(fingerprintMismatches(current, [runWith('b')]).map(mismatchText)).toEqual([
      'trial timing differs: first send to last reply (baseline) vs steady window (this run)',
    ]);
  });

  it('lists each differing value of pooled baseline runs once', () => {
    const current = runWith('c', { ...FULL, gpuNames: ['NVIDIA L4'] });
    const pooled = [
      runWith('a', FULL),
      runWith('b', { ...FULL, gpuNames: ['NVIDIA H100'] }),
      runWith('d', FULL),
      runWith('e', { ...FULL, gpuNames: ['NVIDIA L4'] }),
    ];
    expect(fingerprintMismatches(current, pooled)).toEqual([
      { what: 'GPU', baseline: 'NVIDIA A100 80GB PCIe / NVIDIA H100', current: 'NVIDIA L4', weight: 'untrusted' },
    ]);
  });
});

describe('describeGpus', () => {
  it('counts GPUs of one model and joins models', () => {
    expect(describeGpus(['NVIDIA L4'])).toBe('NVIDIA L4');
    expect(describeGpus(['A', 'A', 'B'])).toBe('2 × A + B');
  });
});
