/**
 * The fingerprint in the report (src/report/render-fingerprint.ts): the not-like-for-like warning
 * under the headline (shown once, not again in the notes), the caveats in the notes, and the
 * measured-on line. End to end from compareRun, so the texts are the ones users get.
 */
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../src/model/run-result.js';
import { renderReport } from '../../../src/report/render-report.js';
import { renderFingerprintLine, renderMismatchWarning } from '../../../src/report/render-fingerprint.js';
import { compareRun } from '../../../src/stats/compare-run.js';
import { baseline, cell, DEFAULT_GATE, run } from '../stats/fixtures.js';

const AT = { maxBatch: 8, users: 2 };
const DPS = [1000, 1010, 990, 1005, 995];
const A100: Partial<Environment> = {
  gpuNames: ['NVIDIA A100 80GB PCIe'],
  gpuDriver: '535.104.05',
  transport: 'h2',
  toolVersion: '0.1.0',
  batching: { isDynamic: true, maxQueueDelayUs: 100, preferredBatchSizes: [4, 8] },
};

function runOn(id: string, environment: Partial<Environment>) {
  const base = run(id, [cell({ ...AT, dps: DPS })]);
  return { ...base, environment: { ...base.environment, ...environment } };
}

const GATE = { verdict: 'pass', shouldFail: false, message: '', regressedCells: [], toConfirm: [] } as const;

describe('fingerprint mismatches in the report', () => {
  it('warns under the headline of another GPU, with both values, and does not repeat it in the notes', () => {
    const current = runOn('c', { ...A100, gpuNames: ['NVIDIA L4'], gpuDriver: '550.54.15' });
    const comparison = compareRun(current, baseline([runOn('b', A100)], 'file'), DEFAULT_GATE);
    expect(renderMismatchWarning(comparison)).toBe(
      '⚠️ **Not like-for-like:** GPU differs: NVIDIA A100 80GB PCIe (baseline) vs NVIDIA L4 (this run). ' +
        'The deltas include this difference, not only the change; compare with a baseline measured on the same setup.',
    );
    const { markdown } = renderReport(comparison, { benchmarkKey: 'demo', gate: GATE });
    const [header = '', rest = ''] = markdown.split('#### Throughput');
    expect(header).toContain('⚠️ **Not like-for-like:** GPU differs');
    expect(header).toContain('on cpu · NVIDIA L4');
    expect(rest).not.toContain('GPU differs');
    expect(rest).toContain(
      '- ℹ️ GPU driver differs: 535.104.05 (baseline) vs 550.54.15 (this run): compared anyway, read with care',
    );
    // The CLI prints the notes: there the warning is a note like the others.
    expect(comparison.notes).toContain(
      'GPU differs: NVIDIA A100 80GB PCIe (baseline) vs NVIDIA L4 (this run): not a like-for-like comparison, the deltas include this difference',
    );
  });

  it('no warning when only caveats, changes or notes differ; a queue delay change is named as the change under test', () => {
    const current = runOn('c', {
      ...A100,
      toolVersion: '0.2.0',
      batching: { isDynamic: true, maxQueueDelayUs: 500, preferredBatchSizes: [4, 8] },
    });
    const comparison = compareRun(current, baseline([runOn('b', A100)]), DEFAULT_GATE);
    expect(renderMismatchWarning(comparison)).toBeUndefined();
    const { markdown } = renderReport(comparison, { benchmarkKey: 'demo', gate: GATE });
    expect(markdown).toContain(
      '- ℹ️ queue delay differs: 100 µs (baseline) vs 500 µs (this run): the comparison measures that change',
    );
    expect(markdown).toContain('- ℹ️ tool version differs: 0.1.0 (baseline) vs 0.2.0 (this run)');
    expect(markdown).not.toContain('Not like-for-like');
  });

  it('an old stored run without the new fields compares without any mismatch', () => {
    const comparison = compareRun(runOn('c', A100), baseline([runOn('old', {})]), DEFAULT_GATE);
    expect(comparison.mismatches).toBeUndefined();
    expect(renderMismatchWarning(comparison)).toBeUndefined();
  });
});

describe('renderFingerprintLine', () => {
  it('names every known field of the run', () => {
    expect(
      renderFingerprintLine(runOn('c', { ...A100, gpuNames: ['NVIDIA A100 80GB PCIe', 'NVIDIA A100 80GB PCIe'] })),
    ).toBe(
      'Measured on: Triton 2.51.0 · GPU 2 × NVIDIA A100 80GB PCIe (driver 535.104.05) · transport h2 · ' +
        'warm-up default max(32, 2 × users) requests per cell · queue delay 100 µs · preferred batch sizes 4, 8 · triton-throughput-gate 0.1.0',
    );
  });

  it('leaves out what an old run does not know', () => {
    expect(renderFingerprintLine(runOn('old', {}))).toBe(
      'Measured on: Triton 2.51.0 · warm-up default max(32, 2 × users) requests per cell',
    );
  });
});
