/**
 * Row rounds against the real CPU Triton (docs/answers.md#measuring-rows-interleaved): a
 * max_batch 1 and 8 × users 1 and 2 matrix in 3 rounds with the reload strategy. Every cell gets
 * its 3 trials, one per round; the rows alternate round by round (forward, backward, forward),
 * which the trials' run order shows; the run records its rounds and the model ends at its
 * original max_batch. On a copy of the demo model of its own (test/support/model-copy.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import type { ModelController } from '../../src/control/model-controller.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import { silentLogger } from '../../src/logger.js';
import { runMatrix } from '../../src/matrix/run-matrix.js';
import type { RunResult } from '../../src/model/run-result.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { sharedTriton, useModelCopies } from '../support/shared-triton.js';

// A copy of its own: the run reloads it while other files use the shared server.
const MODEL = 'demo_onnx_rounds';
useModelCopies({ [MODEL]: {} });
const address = sharedTriton().grpcUrl;

async function runInRounds(applies: number[]): Promise<RunResult> {
  const config = parseConfig({
    'server-url': address,
    model: MODEL,
    'max-batch': '1,8',
    users: '1,2',
    requests: '48',
    trials: '3',
    'row-rounds': '3',
    'warmup-requests': '16',
    'max-reruns': '0',
    'metrics-url': 'none',
    'baseline-store': 'none',
  });
  const client = new TritonClient({ address, isTls: false });
  try {
    const reload = CONTROLLER_FACTORIES.reload({ client, config, log: silentLogger, runCommand: runShellCommand });
    // The real controller, its applies counted (the lease's acquire kept).
    const controller: ModelController = {
      ...reload,
      apply: (maxBatch, signal) => {
        applies.push(maxBatch);
        return reload.apply(maxBatch, signal);
      },
    };
    const deps = {
      client,
      transport: client.inferTransport(),
      controller,
      log: silentLogger,
      files: new Map(),
      signal: new AbortController().signal,
    };
    return await runMatrix(config, deps, { source: { event: 'test' }, label: 'ci' });
  } finally {
    client.close();
  }
}

/** Run orders of the trials of one row in one round. */
function ordersOf(run: RunResult, maxBatch: number, round: number): number[] {
  return run.cells
    .filter((cell) => cell.maxBatch === maxBatch)
    .flatMap((cell) => cell.trials.filter((trial) => trial.round === round).map((trial) => trial.order));
}

describe('row rounds on the real server', () => {
  it('measures every cell in each of 3 rounds, the rows alternating, and restores the model', async () => {
    const applies: number[] = [];
    const run = await runInRounds(applies);
    expect(run.isComplete).toBe(true);
    expect(run.method.rowRounds).toBe(3);
    expect(run.rows.map((row) => [row.maxBatch, row.status])).toEqual([
      [1, 'ok'],
      [8, 'ok'],
    ]);
    for (const cell of run.cells) {
      expect(cell.status).not.toBe('failed');
      expect(cell.trials.map((trial) => trial.round).sort()).toEqual([0, 1, 2]);
      expect(cell.trials.every((trial) => trial.errors === 0)).toBe(true);
    }
    // Round 0 forward (1 then 8), round 1 backward (8 then 1), round 2 forward again.
    const after = (later: number[], earlier: number[]): boolean => Math.min(...later) > Math.max(...earlier);
    expect(after(ordersOf(run, 8, 0), ordersOf(run, 1, 0))).toBe(true);
    expect(after(ordersOf(run, 1, 1), ordersOf(run, 8, 1))).toBe(true);
    expect(after(ordersOf(run, 8, 2), ordersOf(run, 1, 2))).toBe(true);
    // Four reloads for six row visits: each round's last row starts the next round.
    expect(applies).toEqual([1, 8, 1, 8]);
    const client = new TritonClient({ address, isTls: false });
    try {
      expect((await client.modelConfig(MODEL)).maxBatchSize).toBe(64);
    } finally {
      client.close();
    }
  });
});
