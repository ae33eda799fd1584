// The slow-cell warning (docs/models.md#slow-cells): which cells a long queue delay or a slow
// first request makes slow, what the line blames, and what it suggests changing.
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelConfigSchema } from '../../../src/gen/model_config_pb.js';
import {
  queueDelayUsOf,
  SLOW_CELL_SECONDS,
  SLOW_FIRST_REQUEST_SECONDS,
  slowCellWarning,
  type SlowCellInputs,
  type SlowCellSide,
} from '../../../src/matrix/slow-cell-warning.js';

/** A fast model with no queue delay. */
const SIDE: SlowCellSide = { model: 'm', maxBatch: 8, queueDelayUs: 0, smokeSeconds: 0.002 };

/** 3 trials of 120 requests, 32 warm-up requests, one side (stored mode). */
const INPUTS: SlowCellInputs = {
  row: 8,
  sides: [SIDE],
  canSetQueueDelay: true,
  users: [1, 4, 8],
  itemsPerRequest: 1,
  trials: 3,
  requests: 120,
  trialSeconds: undefined,
  warmupRequests: () => 32,
};

/** The stored-mode inputs with `side` changed on the one side and `rest` on the run. */
const stored = (side: Partial<SlowCellSide>, rest: Partial<SlowCellInputs> = {}): SlowCellInputs => ({
  ...INPUTS,
  ...rest,
  sides: [{ ...SIDE, ...side }],
});

describe('slowCellWarning', () => {
  it('stays silent for a fast model', () => {
    expect(slowCellWarning(INPUTS)).toBeUndefined();
  });

  it('blames the queue delay for the cells that cannot fill max_batch, and names the fixes', () => {
    // 0.1 s per request; 1 user: 3 × 152 requests = 45.6 s; 4 users: 3 × 38 = 11.4 s; 8 users fill the batch.
    const warning = slowCellWarning(stored({ queueDelayUs: 100_000, smokeSeconds: 0.1 }));
    expect(warning).toBe(
      'max_batch 8: the cell at 1 user will take at least 46 s: its dynamic_batching.max_queue_delay_microseconds ' +
        'is 100000 and 1 user × 1 item cannot fill max_batch 8, so every request waits 100 ms. ' +
        'To shorten: a lower `max-queue-delay-us`, fewer `requests`, `trial-seconds` to bound each trial, fewer `warmup-requests`.',
    );
  });

  it('lists every slow cell and estimates the slowest', () => {
    const warning = slowCellWarning(stored({ queueDelayUs: 500_000, smokeSeconds: 0.5 }));
    // 1 user: 3 × 152 × 0.5 s = 228 s; 4 users: 3 × 38 × 0.5 s = 57 s; 8 users fill max_batch 8.
    expect(warning).toMatch(/^max_batch 8: the cells at 1 user, 4 users will take at least 4 min \(the slowest\): /);
  });

  it("points at the model's config when the strategy cannot set the delay", () => {
    const warning = slowCellWarning(stored({ queueDelayUs: 500_000 }, { canSetQueueDelay: false }));
    expect(warning).toContain("To shorten: a lower queue delay in the model's config, fewer `requests`");
    expect(warning).not.toContain('max-queue-delay-us');
  });

  it('blames a slow first request when there is no queue delay to wait out', () => {
    // No dynamic batching; 1.5 s per request: 1 user 3 × 152 × 1.5 = 684 s, 4 users 171 s, 8 users 3 × 19 × 1.5 = 86 s.
    const warning = slowCellWarning(stored({ queueDelayUs: undefined, smokeSeconds: 1.5 }));
    expect(warning).toBe(
      'max_batch 8: the cells at 1 user, 4 users, 8 users will take at least 11 min (the slowest): its first request took 1.5 s. ' +
        'To shorten: fewer `requests`, `trial-seconds` to bound each trial, fewer `warmup-requests`.',
    );
  });

  it('does not extrapolate a first request under a second (a cold first request is no estimate of the rest)', () => {
    // 0.3 s would predict 137 s at 1 user; a first request after a load is often far slower than later ones.
    expect(slowCellWarning(stored({ queueDelayUs: undefined, smokeSeconds: 0.3 }))).toBeUndefined();
    expect(slowCellWarning(stored({ queueDelayUs: 0, smokeSeconds: SLOW_FIRST_REQUEST_SECONDS }))).toBeDefined();
  });

  it('does not count the queue delay the smoke request waited alone against cells that fill the batch', () => {
    // The first request took 1 s, all of it the queue delay (alone it cannot fill max_batch 8);
    // at 8 users × 1 item the batch fills and nothing waits.
    expect(slowCellWarning(stored({ queueDelayUs: 1_000_000, smokeSeconds: 1.001 }, { users: [8] }))).toBeUndefined();
  });

  it('in time mode counts only the warm-up, and does not suggest requests or trial-seconds', () => {
    const inputs = stored({ queueDelayUs: 1_000_000, smokeSeconds: 1 }, { trialSeconds: 5 });
    // 1 user: 3 × 32 warm-up requests × 1 s = 96 s.
    const warning = slowCellWarning(inputs);
    expect(warning).toMatch(/will take at least 96 s: its dynamic_batching/);
    expect(warning).toMatch(/To shorten: a lower `max-queue-delay-us`, fewer `warmup-requests`\.$/);
    expect(slowCellWarning({ ...inputs, warmupRequests: () => 8 })).toBeUndefined();
  });

  it('warns only above the threshold', () => {
    // 1 user, 1 trial of 10 requests and no warm-up beyond the 1 request a trial always sends.
    const at = (seconds: number) =>
      slowCellWarning(
        stored({ smokeSeconds: seconds }, { users: [1], trials: 1, requests: 9, warmupRequests: () => 0 }),
      );
    expect(at(SLOW_CELL_SECONDS / 10)).toBeUndefined();
    expect(at((SLOW_CELL_SECONDS / 10) * 1.01)).toBeDefined();
  });
});

describe('slowCellWarning in paired mode', () => {
  /** Head and base of a paired row: 3 rounds (min-rounds), up to 6 (max-rounds). */
  const paired = (head: Partial<SlowCellSide>, base: Partial<SlowCellSide>): SlowCellInputs => ({
    ...INPUTS,
    trials: 3,
    maxRounds: 6,
    sides: [
      { ...SIDE, model: 'm', ...head },
      { ...SIDE, model: 'm__base', ...base },
    ],
  });

  it('counts both sides of every round: two sides each under the threshold alone can be over it together', () => {
    // 60 ms per request on each side; 1 user: 3 rounds × 152 requests × 60 ms = 27.4 s per side, 54.7 s both.
    const side = { queueDelayUs: 60_000, smokeSeconds: 0.06 };
    expect(slowCellWarning(stored(side))).toBeUndefined();
    expect(slowCellWarning(paired(side, side))).toMatch(/^max_batch 8: the cell at 1 user will take at least 55 s /);
  });

  it('names the side the time comes from, the rounds, and the rounds among the fixes', () => {
    // Only the base waits: 1 user, 3 × 152 × 100 ms = 45.6 s.
    expect(slowCellWarning(paired({}, { queueDelayUs: 100_000, smokeSeconds: 0.1 }))).toBe(
      'max_batch 8: the cell at 1 user will take at least 46 s over 3 rounds of both sides (up to 6 while undecided): ' +
        'on m__base, the dynamic_batching.max_queue_delay_microseconds is 100000 and 1 user × 1 item cannot fill ' +
        'max_batch 8, so every request waits 100 ms. To shorten: a lower `max-queue-delay-us`, fewer `requests`, ' +
        '`trial-seconds` to bound each trial, fewer `warmup-requests`, fewer `min-rounds` and `max-rounds`.',
    );
  });

  it("blames the head's slow first request when most of the time is the head's", () => {
    const warning = slowCellWarning(paired({ queueDelayUs: undefined, smokeSeconds: 2 }, { smokeSeconds: 1.2 }));
    expect(warning).toContain(
      '(the slowest) over 3 rounds of both sides (up to 6 while undecided): on m, the first request took 2 s.',
    );
    expect(warning).not.toContain('max-queue-delay-us');
  });

  it('does not mention more rounds when max-rounds is min-rounds', () => {
    const warning = slowCellWarning({ ...paired({}, { queueDelayUs: 100_000 }), maxRounds: 3 });
    expect(warning).toContain('at least 46 s over 3 rounds of both sides: on m__base');
  });
});

describe('queueDelayUsOf', () => {
  it('reads the dynamic batcher’s delay, and nothing without one', () => {
    const dynamic = create(ModelConfigSchema, {
      schedulingChoice: { case: 'dynamicBatching', value: { maxQueueDelayMicroseconds: 250_000n } },
    });
    expect(queueDelayUsOf(dynamic)).toBe(250_000);
    expect(queueDelayUsOf(create(ModelConfigSchema, {}))).toBeUndefined();
  });
});
