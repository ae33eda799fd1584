// warnIfSlow (docs/models.md#slow-cells): the run's settings reach the estimate as each mode
// sends them: a stored row's `trials`, a paired row's `min-rounds` rounds of both sides.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';
import { ModelConfigSchema, ModelDynamicBatchingSchema } from '../../../src/gen/model_config_pb.js';
import { warnIfSlow, type SmokedSide } from '../../../src/matrix/warn-slow-cells.js';

/** 1 user, 4 requests and the 1-request minimum warm-up per trial: 5 requests. */
const RAW = {
  model: 'm',
  'max-batch': '8',
  users: '1',
  requests: '4',
  trials: '3',
  'warmup-requests': '0',
  'baseline-store': 'none',
};

/** A side served at max_batch 8 whose batcher holds every unfilled batch `delayUs`. */
function sideOf(model: string, delayUs: bigint): SmokedSide {
  const config = create(ModelConfigSchema, {
    maxBatchSize: 8,
    schedulingChoice: {
      case: 'dynamicBatching',
      value: create(ModelDynamicBatchingSchema, { maxQueueDelayMicroseconds: delayUs }),
    },
  });
  return { model, config, smokeSeconds: Number(delayUs) / 1e6 };
}

function warningsOf(raw: Record<string, string>, sides: readonly SmokedSide[]): string[] {
  const warnings: string[] = [];
  warnIfSlow(parseConfig(raw), { info: () => undefined, warn: (m) => warnings.push(m) }, 8, sides);
  return warnings;
}

describe('warnIfSlow', () => {
  it('estimates a stored row from `trials` and names no model', () => {
    // 3 trials × 5 requests × 3 s = 45 s.
    const [warning] = warningsOf(RAW, [sideOf('m', 3_000_000n)]);
    expect(warning).toMatch(/^max_batch 8: the cell at 1 user will take at least 45 s: its dynamic_batching/);
  });

  it('estimates a paired row from min-rounds rounds of both sides, naming the side and max-rounds', () => {
    const raw = { ...RAW, 'baseline-model': 'm__base', 'min-rounds': '4', 'max-rounds': '7' };
    // 4 rounds × 5 requests × (2 s + 1 s) = 60 s; the head's 2 s is most of it.
    const [warning] = warningsOf(raw, [sideOf('m', 2_000_000n), sideOf('m__base', 1_000_000n)]);
    expect(warning).toMatch(
      /^max_batch 8: the cell at 1 user will take at least 60 s over 4 rounds of both sides \(up to 7 while undecided\): on m, the dynamic_batching/,
    );
    // Each side alone, at 3 trials, stays under the threshold: 3 × 5 × 2 s = 30 s.
    expect(warningsOf(RAW, [sideOf('m', 2_000_000n)])).toEqual([]);
  });
});
