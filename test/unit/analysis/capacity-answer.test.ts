// Does the largest max_batch run? From the capacity probe when it ran, else from the matrix.
import { describe, expect, it } from 'vitest';
import { findCapacityAnswer } from '../../../src/analysis/capacity-answer.js';
import type { CapacityProbe } from '../../../src/model/run-result.js';
import { cellOf, formed, runOf } from './run-builders.js';

const cells = [cellOf(8, 4, [100], formed(4)), cellOf(64, 4, [100], formed(3, 4))];

describe('findCapacityAnswer', () => {
  it('from the matrix: the largest loaded row is not shown to run when no batch that large formed', () => {
    expect(findCapacityAnswer(runOf(cells))).toEqual({
      source: 'matrix',
      largestLoaded: 64,
      largestFormed: 4,
      isLargestShown: false,
    });
    expect(findCapacityAnswer(runOf([cellOf(8, 4, [100])]))).toMatchObject({
      largestFormed: undefined,
      isLargestShown: false,
    });
  });

  it('from the matrix: shown when it formed batches as large as the largest row', () => {
    expect(findCapacityAnswer(runOf([cellOf(4, 4, [100], formed(4))]))).toMatchObject({ isLargestShown: true });
  });

  it('from the probe: the largest row that ran a full batch and the first search failure', () => {
    const probes: CapacityProbe[] = [
      { maxBatch: 8, status: 'ok', fullRequestMs: 2 },
      { maxBatch: 64, status: 'ok', fullRequestMs: 12.5 },
      { maxBatch: 128, status: 'failed', message: 'the row did not load: refused', isSearch: true },
      { maxBatch: 96, status: 'failed', message: 'no', isSearch: true },
    ];
    expect(findCapacityAnswer(runOf(cells, { capacity: probes }))).toEqual({
      source: 'probe',
      probes,
      largestFullBatch: 64,
      failedSearch: 128,
      searchEnd: { kind: 'refused', maxBatch: 96 },
    });
  });

  it('from the probe: a search cancelled by the run, or stopped at its bound, is no refusal', () => {
    const ok = { status: 'ok' as const, isSearch: true };
    const stopped = [
      { maxBatch: 128, ...ok },
      { maxBatch: 256, status: 'cancelled' as const, message: 'the run was stopped during this probe', isSearch: true },
    ];
    expect(findCapacityAnswer(runOf(cells, { capacity: stopped }))).toMatchObject({
      failedSearch: undefined,
      searchEnd: { kind: 'cancelled', maxBatch: 256 },
    });
    const bound = [
      { maxBatch: 128, ...ok },
      { maxBatch: 1024, ...ok, isSearchBound: true },
    ];
    expect(findCapacityAnswer(runOf(cells, { capacity: bound }))).toMatchObject({
      searchEnd: { kind: 'bound', maxBatch: 1024 },
    });
  });

  it('from a probe whose rows all failed: no full batch shown', () => {
    const probes: CapacityProbe[] = [{ maxBatch: 8, status: 'failed', message: 'no' }];
    expect(findCapacityAnswer(runOf(cells, { capacity: probes }))).toMatchObject({
      largestFullBatch: undefined,
      failedSearch: undefined,
    });
  });

  it('is undefined without a probe and without a loaded row', () => {
    const run = runOf(cells);
    expect(findCapacityAnswer({ ...run, rows: [] })).toBeUndefined();
  });
});
