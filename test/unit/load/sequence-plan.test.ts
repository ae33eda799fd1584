// Sequence planning: perf_analyzer's length rule with a seeded Rng, unique IDs, the flags of a
// user's requests (START first, END last, the user's last request always ends its sequence),
// and which ID kind a model config asks for.
import { create } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataType,
  ModelConfigSchema,
  ModelSequenceBatching_Control_Kind,
  type ModelConfig,
} from '../../../src/gen/model_config_pb.js';
import {
  createSequenceCursor,
  createSequenceIds,
  drawSequenceLength,
  sequenceIdKindOf,
  type SequencePlan,
} from '../../../src/load/sequence-plan.js';
import { createRng, type Rng } from '../../../src/rng.js';

const fixed = (value: number): Rng => ({ next: () => value });

describe('drawSequenceLength', () => {
  it.each([
    [0, 20, 20, 16], // 20 - trunc(0.2 * 20)
    [0.5, 20, 20, 20],
    [0.999999, 20, 20, 23], // trunc(3.99) = 3
    [0, 1, 20, 1],
    [0, 5, 100, 1], // 5 - 5 = 0 -> at least 1
    [0.3, 20, 0, 20],
  ])('u=%f, length %i, ±%i%% -> %i', (u, length, pct, expected) => {
    expect(drawSequenceLength(fixed(u), length, pct)).toBe(expected);
  });

  it('stays within length ± pct and at least 1, for any seed', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 200 }),
        (seed, length, pct) => {
          const value = drawSequenceLength(createRng(seed), length, pct);
          expect(value).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(length - (length * pct) / 100)));
          expect(value).toBeLessThanOrEqual(Math.floor(length + (length * pct) / 100));
        },
      ),
    );
  });
});

describe('createSequenceIds', () => {
  it('counts from first, as numbers or prefixed strings', () => {
    const ids = createSequenceIds(7);
    expect([ids.next('int64'), ids.next('string'), ids.next('int64')]).toEqual([7, 'ttg-8', 9]);
  });
});

describe('createSequenceCursor', () => {
  const plan = (length: number, variationPct = 0, seed = 1): SequencePlan => ({
    length,
    variationPct,
    idKind: 'int64',
    ids: createSequenceIds(),
    rng: createRng(seed),
  });
  const walk = (cursorPlan: SequencePlan, requests: number) => {
    const cursor = createSequenceCursor(cursorPlan);
    return Array.from({ length: requests }, (_, i) => {
      const flags = cursor.next(i === requests - 1);
      return `${String(flags.sequenceId)}${flags.isStart ? 'S' : ''}${flags.isEnd ? 'E' : ''}@${cursor.position}`;
    });
  };

  it('runs sequences of the length, START first and END last, new ID each', () => {
    expect(walk(plan(3), 7)).toEqual(['1S@0', '1@1', '1E@2', '2S@0', '2@1', '2E@2', '3SE@0']);
  });

  it('a sequence of one request is START and END at once', () => {
    expect(walk(plan(1), 3)).toEqual(['1SE@0', '2SE@0', '3SE@0']);
  });

  it('replays the steps of a data stream in order, each sequence as long as its stream', () => {
    const cursor = createSequenceCursor({ ...plan(20, 20), dataStreams: [3], isLengthFromData: true });
    const walked = Array.from({ length: 7 }, (_, i) => {
      const flags = cursor.next(i === 6);
      return `${String(flags.sequenceId)}${flags.isStart ? 'S' : ''}${flags.isEnd ? 'E' : ''}#${cursor.step}`;
    });
    expect(walked).toEqual(['1S#0', '1#1', '1E#2', '2S#0', '2#1', '2E#2', '3SE#0']);
  });

  it('gives each sequence one data stream, its steps offset past the streams before it', () => {
    const cursor = createSequenceCursor({ ...plan(1), dataStreams: [2, 3], isLengthFromData: true });
    for (let sequence = 0; sequence < 50; sequence++) {
      const first = cursor.next(false);
      const start = cursor.step;
      expect([0, 2]).toContain(start);
      const length = start === 0 ? 2 : 3;
      const steps = [start];
      for (let k = 1; k < length; k++) {
        expect(cursor.next(false).sequenceId).toBe(first.sequenceId);
        steps.push(cursor.step);
      }
      expect(steps).toEqual(start === 0 ? [0, 1] : [2, 3, 4]);
    }
  });

  it('wraps a data stream shorter than a sequence of sequence-length', () => {
    const cursor = createSequenceCursor({ ...plan(5), dataStreams: [2] });
    expect(Array.from({ length: 5 }, (_, i) => (cursor.next(i === 4), cursor.step))).toEqual([0, 1, 0, 1, 0]);
  });

  it('ends the last sequence on the user last request, whatever its planned length', () => {
    expect(walk(plan(20), 5).at(-1)).toBe('1E@4');
  });

  it('every sequence starts with START, ends with END and never repeats an ID', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer(),
        (length, pct, requests, seed) => {
          const cursor = createSequenceCursor(plan(length, pct, seed));
          const seen = new Set<number | string>();
          let open: number | string | undefined;
          for (let i = 0; i < requests; i++) {
            const { sequenceId, isStart, isEnd } = cursor.next(i === requests - 1);
            if (open === undefined) {
              expect(isStart).toBe(true);
              expect(seen.has(sequenceId)).toBe(false);
              seen.add(sequenceId);
            } else {
              expect(isStart).toBe(false);
              expect(sequenceId).toBe(open);
            }
            open = isEnd ? undefined : sequenceId;
          }
          expect(open).toBeUndefined();
        },
      ),
    );
  });
});

describe('sequenceIdKindOf', () => {
  const control = (kind: ModelSequenceBatching_Control_Kind, dataType = DataType.TYPE_INVALID) => ({
    name: 'X',
    control: [{ kind, dataType }],
  });
  const config = (controls: ReturnType<typeof control>[] | undefined): ModelConfig =>
    create(ModelConfigSchema, {
      name: 'm',
      schedulingChoice:
        controls === undefined
          ? { case: 'dynamicBatching', value: {} }
          : { case: 'sequenceBatching', value: { controlInput: controls } },
    });

  it('undefined for a model without sequence batching', () => {
    expect(sequenceIdKindOf(config(undefined))).toBeUndefined();
  });

  it.each([
    ['no CORRID control', [control(ModelSequenceBatching_Control_Kind.CONTROL_SEQUENCE_START)], 'int64'],
    [
      'a UINT64 CORRID',
      [control(ModelSequenceBatching_Control_Kind.CONTROL_SEQUENCE_CORRID, DataType.TYPE_UINT64)],
      'int64',
    ],
    [
      'a STRING CORRID',
      [control(ModelSequenceBatching_Control_Kind.CONTROL_SEQUENCE_CORRID, DataType.TYPE_STRING)],
      'string',
    ],
  ])('%s -> %s', (_what, controls, expected) => {
    expect(sequenceIdKindOf(config(controls))).toBe(expected);
  });
});
