/**
 * Paired mode for decoupled and sequence models (docs/paired.md#model-kinds) on the real CPU
 * Triton: each side is measured as stored mode measures its kind (streams, sequences) in
 * interleaved rounds, the comparison is produced, Triton counted exactly the requests of every
 * side's trials, and the models are restored. Copies of the python-backend test models of this
 * file's own; a small matrix and 3 rounds keep it short. No verdict is asserted: an A/A run's
 * verdict is chance, its structure is not.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { RawInputs } from '../../src/config/inputs.js';
import { parseConfig } from '../../src/config/parse-config.js';
import type { Cell, RunResult } from '../../src/model/run-result.js';
import { evaluateRun } from '../../src/pipeline.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';
import { runMatrixAs } from './model-kinds-harness.js';

const STREAM_HEAD = 'stream_one_pairedkinds';
const STREAM_BASE = 'stream_one_pairedkinds_base';
const SEQUENCE_HEAD = 'sequence_sum_pairedkinds';
const SEQUENCE_BASE = 'sequence_sum_pairedkinds_base';
useModelCopies({
  [STREAM_HEAD]: { from: 'stream_one' },
  [STREAM_BASE]: { from: 'stream_one' },
  [SEQUENCE_HEAD]: { from: 'sequence_sum' },
  [SEQUENCE_BASE]: { from: 'sequence_sum' },
});

const REQUESTS = 16;
const ROUNDS = 3;
const SMALL: RawInputs = {
  users: '1,2',
  requests: String(REQUESTS),
  'warmup-requests': '4',
  'min-rounds': String(ROUNDS),
  'max-rounds': String(ROUNDS),
  'baseline-store': 'none',
};
const EMPTY = { runs: [], selectedBy: 'none', history: [], notes: [] } as const;
const address = sharedTriton().grpcUrl;

async function pairedRun(raw: RawInputs): Promise<{ run: RunResult; config: ReturnType<typeof parseConfig> }> {
  const config = parseConfig({ 'server-url': address, ...SMALL, ...raw });
  return { run: await runMatrixAs(config), config };
}

/** Both sides: users 1 and 2, one trial per round without errors, every request counted by Triton. */
function expectPairedCells(run: RunResult): Cell[] {
  const cells = [...run.cells, ...(run.base?.cells ?? [])];
  expect(run.cells.map((c) => c.users)).toEqual([1, 2]);
  expect(run.base?.cells.map((c) => c.users)).toEqual([1, 2]);
  for (const cell of cells) {
    expect(cell.status, cell.message).not.toBe('failed');
    expect(cell.trials.map((t) => t.round).sort()).toEqual([0, 1, 2]);
    for (const trial of cell.trials) {
      expect(trial.errors, trial.firstError).toBe(0);
      expect(trial.requests).toBe(REQUESTS);
    }
    expect(cell.server?.successCount).toBe(ROUNDS * REQUESTS);
  }
  return cells;
}

describe('paired mode measures decoupled and sequence models as stored mode does', () => {
  it('a decoupled model on streams, gated on responses/s (reload: both models restored after)', async () => {
    const { run, config } = await pairedRun({
      model: STREAM_HEAD,
      'baseline-model': STREAM_BASE,
      'batch-strategy': 'reload',
      'max-batch': '4',
      'gate-metric': 'responses',
    });
    expect(run.method).toMatchObject({ protocol: 'ModelStreamInfer', modelKind: { kind: 'decoupled' } });
    for (const cell of expectPairedCells(run)) {
      // stream_one answers each request with one response carrying the final flag.
      for (const trial of cell.trials) expect(trial.stream?.responsesPerRequest).toBe(1);
      expect(cell.responsesPerSecondMedian).toBeGreaterThan(0);
      expect(cell.firstResponseMs).toBeDefined();
    }
    const { comparison, report } = evaluateRun(run, EMPTY, config);
    expect(comparison.gateMetric).toBe('responses');
    expect(comparison.paired?.cells.map((c) => [c.users, c.rounds])).toEqual([
      [1, ROUNDS],
      [2, ROUNDS],
    ]);
    expect(report.markdown).toContain('Δ median ratio of responses/s');
    const control = new TritonClient({ address, isTls: false });
    try {
      for (const model of [STREAM_HEAD, STREAM_BASE]) expect((await control.modelConfig(model)).maxBatchSize).toBe(8);
    } finally {
      control.close();
    }
  }, 240_000);

  it('a sequence model in sequences on both sides (a request outside a sequence would fail)', async () => {
    const { run, config } = await pairedRun({
      model: SEQUENCE_HEAD,
      'baseline-model': SEQUENCE_BASE,
      'batch-strategy': 'fixed',
      'max-batch': '4',
    });
    expect(run.method).toMatchObject({ sequence: { idKind: 'int64' }, modelKind: { kind: 'sequence' } });
    for (const cell of expectPairedCells(run)) {
      for (const trial of cell.trials) expect(trial.sequences?.count).toBeGreaterThan(0);
    }
    const { comparison } = evaluateRun(run, EMPTY, config);
    expect(comparison.paired?.cells).toHaveLength(2);
    expect(comparison.cells.map((c) => c.verdict)).not.toContain('failed');
  }, 240_000);

  it('refuses gate-metric responses for a sequence model before touching either model', async () => {
    const control = new TritonClient({ address, isTls: false });
    try {
      const before = await Promise.all([SEQUENCE_HEAD, SEQUENCE_BASE].map((m) => control.modelStatistics(m)));
      const attempt = pairedRun({
        model: SEQUENCE_HEAD,
        'baseline-model': SEQUENCE_BASE,
        'batch-strategy': 'fixed',
        'max-batch': '4',
        'gate-metric': 'responses',
      });
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(
        `input 'gate-metric': got 'responses', expected dps for model '${SEQUENCE_HEAD}', which is sequence`,
      );
      const after = await Promise.all([SEQUENCE_HEAD, SEQUENCE_BASE].map((m) => control.modelStatistics(m)));
      expect(after).toEqual(before);
    } finally {
      control.close();
    }
  });
});
