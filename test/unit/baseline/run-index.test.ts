import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyRunIndex,
  parseRunIndex,
  serializeRunIndex,
  withEntries,
  withoutMissing,
  type IndexEntry,
} from '../../../src/baseline/run-index.js';
import { makeEntry, sha } from '../../support/baseline-runs.js';

/** An entry started `minute` minutes after midnight, id `m<minute>`. */
function entry(minute: number): IndexEntry {
  const startedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return makeEntry({ startedAt, id: `m${String(minute).padStart(3, '0')}`, sha: sha(`c${minute}`) });
}

const ids = (entries: readonly IndexEntry[]): string[] => entries.map((item) => item.id);

describe('withEntries — retention', () => {
  it('keeps the newest `history` runs (oldest first) and archives the rest; nothing is dropped', () => {
    const all = Array.from({ length: 35 }, (_, minute) => entry(minute));
    const index = withEntries(emptyRunIndex('demo'), all.reverse(), 30);
    expect(index.runs).toHaveLength(30);
    expect(ids(index.runs)[0]).toBe('m005');
    expect(ids(index.runs).at(-1)).toBe('m034');
    expect(ids(index.archived)).toEqual(['m000', 'm001', 'm002', 'm003', 'm004']);
  });

  it('raising `history` later brings archived runs back', () => {
    const small = withEntries(emptyRunIndex('demo'), [entry(1), entry(2), entry(3)], 1);
    expect(ids(small.archived)).toEqual(['m001', 'm002']);
    expect(ids(withEntries(small, [], 5).runs)).toEqual(['m001', 'm002', 'm003']);
  });

  it('keeps the indexed entry when the same path is added again', () => {
    const first = entry(1);
    const index = withEntries(emptyRunIndex('demo'), [first], 30);
    const again = withEntries(index, [{ ...first, bestDps: { '8': 1 } }], 30);
    expect(again.runs).toEqual([first]);
  });

  it('property: runs ∪ archived is the input; runs are the newest, at most `history`', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 50 }),
        (minutes, history) => {
          const index = withEntries(emptyRunIndex('demo'), minutes.map(entry), history);
          expect(new Set([...ids(index.runs), ...ids(index.archived)])).toEqual(
            new Set(minutes.map((minute) => entry(minute).id)),
          );
          expect(index.runs.length).toBe(Math.min(history, minutes.length));
          const newestArchived = index.archived.at(-1)?.startedAt ?? '';
          for (const kept of index.runs) expect(kept.startedAt >= newestArchived).toBe(true);
        },
      ),
    );
  });
});

describe('withoutMissing', () => {
  it('drops entries whose run file no longer exists', () => {
    const index = withEntries(emptyRunIndex('demo'), [entry(1), entry(2)], 1);
    const kept = withoutMissing(index, new Set([entry(2).path]));
    expect(ids(kept.runs)).toEqual(['m002']);
    expect(kept.archived).toEqual([]);
  });
});

describe('parseRunIndex', () => {
  const index = withEntries(emptyRunIndex('demo'), [entry(1), entry(2)], 1);

  it('round-trips a serialized index', () => {
    expect(parseRunIndex(serializeRunIndex(index), 'demo')).toEqual({ index });
  });

  it.each([
    ['truncated JSON', serializeRunIndex(index).slice(0, 50), /^is not valid JSON \(/],
    [
      'a newer schema',
      JSON.stringify({ ...index, schemaVersion: 2 }),
      /written by a newer triton-throughput-gate \(index schemaVersion 2 > 1\)/,
    ],
    [
      'another key',
      JSON.stringify({ ...index, benchmarkKey: 'other' }),
      /belongs to benchmark key "other", not "demo"/,
    ],
    [
      'a malformed entry',
      JSON.stringify({ ...index, runs: [{ ...entry(3), bestDps: 'x' }] }),
      /is malformed: `runs\[0\]\.bestDps` is not an object of numbers/,
    ],
    [
      'an entry without environment',
      JSON.stringify({ ...index, archived: [{ ...entry(3), environment: undefined }] }),
      /`archived\[0\]\.environment` is missing/,
    ],
    ['no archived list', JSON.stringify({ ...index, archived: undefined }), /`archived` is not an array/],
    ['an array', '[]', /is not a JSON object/],
  ])('is unusable with %s', (_name, text, reason) => {
    const parsed = parseRunIndex(text, 'demo');
    expect(parsed).toEqual({ unusable: expect.stringMatching(reason) as unknown });
  });
});
