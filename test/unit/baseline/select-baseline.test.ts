import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../../src/baseline/run-index.js';
import { isSameSha, selectBaseline } from '../../../src/baseline/select-baseline.js';
import { ENVIRONMENT, makeEntry, makeQuery, sha, type RunSpec } from '../../support/baseline-runs.js';

const A = sha('a');
const B = sha('b');
const C = sha('c');
const OPTIONS = { history: 30 };

/** An entry with id `d<day>`, started on day `day` of January 2026 (later days are newer). */
function at(day: number, spec: RunSpec = {}): IndexEntry {
  const startedAt = `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
  return makeEntry({ startedAt, id: `d${day}`, ...spec });
}

function ids(entries: readonly IndexEntry[]): string[] {
  return entries.map((entry) => entry.id);
}

describe('selectBaseline — which commit', () => {
  const runs = [at(1, { sha: C }), at(2, { sha: B }), at(3, { sha: A }), at(4, { sha: A }), at(5, { sha: C })];

  it('merge-base: the newest runs of the first preferred sha that has data, pooled', () => {
    const selection = selectBaseline({ runs, archived: [] }, makeQuery([A, B]), OPTIONS);
    expect(selection.selectedBy).toBe('merge-base');
    expect(selection.sha).toBe(A);
    expect(ids(selection.chosen)).toEqual([at(4).id, at(3).id]);
    expect(selection.notes).toEqual([]);
  });

  it('ancestor: the nearest later preferred sha with data when the merge-base has none', () => {
    const selection = selectBaseline({ runs, archived: [] }, makeQuery([sha('x'), B, A]), OPTIONS);
    expect(selection.selectedBy).toBe('ancestor');
    expect(selection.sha).toBe(B);
    expect(ids(selection.chosen)).toEqual([at(2).id]);
  });

  it("latest: the newest comparable run (and its commit's other runs) outside PRs", () => {
    const selection = selectBaseline({ runs, archived: [] }, makeQuery(), OPTIONS);
    expect(selection.selectedBy).toBe('latest');
    expect(ids(selection.chosen)).toEqual([at(5).id, at(1).id]);
  });

  it('never latest in a PR whose merge-base and ancestors have no runs: it may be newer than the merge-base', () => {
    const selection = selectBaseline({ runs, archived: [] }, makeQuery([sha('x')]), OPTIONS);
    expect(selection).toMatchObject({ selectedBy: 'none', chosen: [] });
    expect(selection.notes.at(-1)).toMatch(
      /^no stored run of the merge-base or its first-parent ancestors: the latest/,
    );
  });

  it('history holds default-branch runs and tags, not feature-branch or PR runs', () => {
    const mixed = [
      at(1, { sha: A, ref: 'refs/heads/main', event: 'push' }),
      at(2, { sha: B, ref: 'refs/heads/feature', event: 'push' }),
      at(3, { sha: C, ref: 'refs/tags/v1', event: 'push' }),
      at(4, { sha: sha('d'), ref: 'refs/heads/main', event: 'schedule' }),
      at(5, { sha: sha('e'), ref: 'refs/heads/main', event: 'pull_request' }),
      at(6, { sha: sha('f') }),
    ];
    const selection = selectBaseline({ runs: mixed, archived: [] }, makeQuery(), {
      ...OPTIONS,
      defaultRef: 'refs/heads/main',
    });
    const kept = [0, 2, 3, 5].map((index) => mixed[index]?.id);
    expect(selection.history.map((point) => point.runId)).toEqual(kept);
  });

  it('latest leaves out runs of other refs when the default branch is known', () => {
    const onTag = [at(1, { sha: A, ref: 'refs/heads/main' }), at(2, { sha: B, ref: 'refs/tags/v2' })];
    const selection = selectBaseline({ runs: onTag, archived: [] }, makeQuery(), {
      ...OPTIONS,
      defaultRef: 'refs/heads/main',
    });
    expect(selection.sha).toBe(A);
  });

  it('latest keeps runs whose ref was not recorded', () => {
    const runs = [at(1, { sha: A, ref: 'refs/heads/main' }), at(2, { sha: B })];
    const selection = selectBaseline({ runs, archived: [] }, makeQuery(), {
      ...OPTIONS,
      defaultRef: 'refs/heads/main',
    });
    expect(selection.sha).toBe(B);
  });

  it('archived runs can still be the merge-base (a long-lived PR)', () => {
    const selection = selectBaseline(
      { runs: [at(9, { sha: B })], archived: [at(1, { sha: A })] },
      makeQuery([A]),
      OPTIONS,
    );
    expect(selection.selectedBy).toBe('merge-base');
    expect(ids(selection.chosen)).toEqual([at(1).id]);
  });

  it('accepts abbreviated shas on either side', () => {
    const selection = selectBaseline({ runs: [at(1, { sha: A.slice(0, 7) })], archived: [] }, makeQuery([A]), OPTIONS);
    expect(selection.selectedBy).toBe('merge-base');
  });
});

describe('selectBaseline — pooling', () => {
  const reruns = [1, 2, 3, 4, 5, 6, 7].map((day) => at(day, { sha: A }));

  it('pools up to 5 runs of the chosen commit, newest first', () => {
    const selection = selectBaseline({ runs: reruns, archived: [] }, makeQuery([A]), OPTIONS);
    expect(ids(selection.chosen)).toEqual([7, 6, 5, 4, 3].map((day) => at(day).id));
  });

  it('honours maxPooledRuns', () => {
    const selection = selectBaseline({ runs: reruns, archived: [] }, makeQuery([A]), { ...OPTIONS, maxPooledRuns: 2 });
    expect(ids(selection.chosen)).toEqual([at(7).id, at(6).id]);
  });

  it('never pools runs without a sha: they may come from different commits', () => {
    const local = [at(1), at(2), at(3)];
    const selection = selectBaseline({ runs: local, archived: [] }, makeQuery(), OPTIONS);
    expect(selection.selectedBy).toBe('latest');
    expect(ids(selection.chosen)).toEqual([at(3).id]);
    expect(selection.sha).toBeUndefined();
  });
});

describe('selectBaseline — environment and method', () => {
  it('returns none with a note naming the mismatch when no stored run is comparable', () => {
    const runs = [at(1, { sha: A, environment: { tritonVersion: '2.50.0' } })];
    const selection = selectBaseline({ runs, archived: [] }, makeQuery([A]), OPTIONS);
    expect(selection.selectedBy).toBe('none');
    expect(selection.chosen).toEqual([]);
    expect(selection.notes).toContainEqual(
      expect.stringContaining('baseline measured on Triton 2.50.0, this run on Triton 2.51.0: not compared'),
    );
  });

  it('names every mismatching field, environment and method', () => {
    const runs = [
      at(1, { sha: A, environment: { tritonVersion: '2.50.0', label: 'gpu-a100' }, method: { requests: 960 } }),
    ];
    const [note] = selectBaseline({ runs, archived: [] }, makeQuery(), OPTIONS).notes;
    expect(note).toMatch(
      /^baseline measured on Triton 2\.50\.0 and label 'gpu-a100' and 960 requests per trial, this run on Triton \S+ and label 'cpu' and 480 requests per trial: not compared/,
    );
  });

  it('never compares runs on another GPU model or count, and names both', () => {
    const a100 = ['NVIDIA A100-SXM4-80GB'];
    const runs = [
      at(1, { sha: A, environment: { gpuNames: a100 } }),
      at(2, { sha: A, environment: { gpuNames: [...a100, ...a100] } }),
    ];
    const query = makeQuery([A], { environment: { ...ENVIRONMENT, gpuNames: ['NVIDIA L4'] } });
    const selection = selectBaseline({ runs, archived: [] }, query, OPTIONS);
    expect(selection.selectedBy).toBe('none');
    expect(selection.notes).toContainEqual(
      expect.stringContaining(
        'baseline measured on GPU 2 × NVIDIA A100-SXM4-80GB, this run on GPU NVIDIA L4: not compared',
      ),
    );
    const same = makeQuery([A], { environment: { ...ENVIRONMENT, gpuNames: a100 } });
    expect(ids(selectBaseline({ runs, archived: [] }, same, OPTIONS).chosen)).toEqual([runs[0]?.id]);
  });

  it('keeps runs comparable when one side does not know its GPU (stored before names were recorded, no nvidia-smi)', () => {
    const runs = [at(1, { sha: A })];
    const query = makeQuery([A], {
      environment: { ...ENVIRONMENT, gpuNames: ['NVIDIA L4'], gpuDriver: '550.54.15', toolVersion: '9.9.9' },
    });
    expect(selectBaseline({ runs, archived: [] }, query, OPTIONS).selectedBy).toBe('merge-base');
    const known = [at(1, { sha: A, environment: { gpuNames: ['NVIDIA L4'] } })];
    expect(selectBaseline({ runs: known, archived: [] }, makeQuery([A]), OPTIONS).selectedBy).toBe('merge-base');
  });

  it('compares across a GPU driver or transport change (the comparison notes name them)', () => {
    const runs = [
      at(1, { sha: A, environment: { gpuNames: ['NVIDIA L4'], gpuDriver: '535.104.05', transport: 'grpc-js' } }),
    ];
    const query = makeQuery([A], {
      environment: { ...ENVIRONMENT, gpuNames: ['NVIDIA L4'], gpuDriver: '550.54.15', transport: 'h2' },
    });
    expect(selectBaseline({ runs, archived: [] }, query, OPTIONS).selectedBy).toBe('merge-base');
  });

  it('compares across a changed model config: that is what a PR under test changes', () => {
    const runs = [at(1, { sha: A, environment: { configHash: 'ffff' } })];
    expect(selectBaseline({ runs, archived: [] }, makeQuery([A]), OPTIONS).selectedBy).toBe('merge-base');
  });

  it('ignores the client host, the trial count and the warm-up (they do not make trials incomparable)', () => {
    const runs = [at(1, { sha: A, environment: { clientHost: 'other' }, method: { trials: 9, warmupRequests: 64 } })];
    expect(selectBaseline({ runs, archived: [] }, makeQuery([A]), OPTIONS).selectedBy).toBe('merge-base');
  });

  it('compares the input descriptions', () => {
    const runs = [at(1, { sha: A, method: { inputs: ['INPUT0:FP32[32]:random'] } })];
    const selection = selectBaseline({ runs, archived: [] }, makeQuery([A]), OPTIONS);
    expect(selection.selectedBy).toBe('none');
    expect(selection.notes.join()).toContain('inputs [INPUT0:FP32[32]:random]');
  });

  it('falls back to a comparable ancestor and says why the merge-base was not used', () => {
    const runs = [at(2, { sha: A, environment: { tritonVersion: '2.50.0' } }), at(1, { sha: B })];
    const selection = selectBaseline({ runs, archived: [] }, makeQuery([A, B]), OPTIONS);
    expect(selection.selectedBy).toBe('ancestor');
    expect(selection.notes).toEqual([
      `runs of the merge-base ${A.slice(0, 7)} were not used: baseline measured on Triton 2.50.0, this run on Triton 2.51.0: not compared`,
    ]);
  });

  it('says nothing when there is no stored run at all', () => {
    expect(selectBaseline({ runs: [], archived: [] }, makeQuery([A]), OPTIONS)).toEqual({
      chosen: [],
      selectedBy: 'none',
      history: [],
      notes: [],
    });
  });
});

describe('selectBaseline — history', () => {
  it('the last `history` comparable recent runs, oldest first, whatever their sha', () => {
    const runs = [
      at(4, { sha: C }),
      at(1, { sha: A }),
      at(3, { sha: B, environment: { label: 'gpu' } }),
      at(2, { sha: B }),
    ];
    const selection = selectBaseline({ runs, archived: [at(1, { id: 'old', sha: A })] }, makeQuery(), { history: 2 });
    expect(selection.history.map((point) => point.runId)).toEqual([at(2).id, at(4).id]);
    expect(selection.history[0]).toEqual({
      runId: at(2).id,
      sha: B,
      startedAt: '2026-01-02T00:00:00.000Z',
      bestDps: { '8': 1000 },
      cellDps: { '8x1': 1000 },
      // The latency gate's noise comes from the entries' latency medians too.
      cellLatencyMs: { '8x1': { p50: 1, p90: 2, p99: 3 } },
    });
  });

  it('invariants: chosen runs are comparable, of one commit, at most the pool size; history is ordered', () => {
    const entry = fc
      .record({
        day: fc.integer({ min: 1, max: 28 }),
        sha: fc.constantFrom(A, B, C, undefined),
        triton: fc.constantFrom('2.50.0', '2.51.0'),
      })
      .map(({ day, sha: commit, triton }) =>
        at(day, {
          ...(commit === undefined ? {} : { sha: commit }),
          environment: { tritonVersion: triton },
          id: `${day}-${commit ?? 'local'}-${triton}`,
        }),
      );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 20 }),
        fc.subarray([A, B, C]),
        fc.integer({ min: 1, max: 4 }),
        (runs, preferred, pool) => {
          const selection = selectBaseline({ runs, archived: [] }, makeQuery(preferred), {
            history: 5,
            maxPooledRuns: pool,
          });
          expect(selection.chosen.length).toBeLessThanOrEqual(pool);
          expect(new Set(selection.chosen.map((chosen) => chosen.sha)).size).toBeLessThanOrEqual(1);
          for (const chosen of selection.chosen) expect(chosen.environment.tritonVersion).toBe('2.51.0');
          const times = selection.history.map((point) => point.startedAt);
          expect(times).toEqual([...times].sort());
          expect(selection.history.length).toBeLessThanOrEqual(5);
        },
      ),
    );
  });
});

describe('isSameSha', () => {
  it.each([
    [A, A, true],
    [A.toUpperCase(), A, true],
    [A.slice(0, 7), A, true],
    [A, A.slice(0, 10), true],
    [A.slice(0, 6), A, false],
    [A, B, false],
    [undefined, A, false],
  ])('%s vs %s → %s', (stored, wanted, expected) => {
    expect(isSameSha(stored, wanted)).toBe(expected);
  });
});
