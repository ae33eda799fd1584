/**
 * No failure, outage or lost write passes (docs/reliability.md, "Exit codes and verdicts"): the
 * publishing half of the pipeline (what `run` and `merge` share) with a store that cannot be
 * read, a save that does not land, and a result file that cannot be written; and the atomic
 * write that leaves no partial file behind.
 */
import { mkdtemp, mkdir, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';
import { BaselineStoreError } from '../../../src/model/baseline-store-error.js';
import type { BaselineStore } from '../../../src/model/baseline-store.js';
import { publishFinishedRun, type PipelineResult, type Sink } from '../../../src/pipeline.js';
import { createJsonFileSink } from '../../../src/sinks/json-file-sink.js';
import { makeRun } from '../../support/baseline-runs.js';

const config = parseConfig({ model: 'demo', 'baseline-store': 'none' });
const empty = { runs: [], selectedBy: 'none', history: [], notes: [] };
const outage = new BaselineStoreError('transport', 'octo/models@data', 'GitHub answered HTTP 502 after 4 retries');

async function publish(store: BaselineStore, sinks: readonly Sink[], save: 'never' | 'always' = 'never') {
  const seen: PipelineResult[] = [];
  const capture: Sink = { name: 'capture', publish: (r) => Promise.resolve(void seen.push(r)) };
  const warnings: string[] = [];
  const judged = { ...config, store: { ...config.store, kind: 'file' as const, save } };
  const result = await publishFinishedRun(
    judged,
    {
      store,
      sinks: [capture, ...sinks],
      log: { info: () => undefined, warn: (m) => warnings.push(m) },
      event: { name: 'push', isDefaultBranch: true, isTag: false },
      preferredShas: [],
    },
    makeRun({ benchmarkKey: 'demo', sha: 'a'.repeat(40) }),
  );
  return { result, seen, warnings };
}

describe('fail closed', () => {
  it('a store that cannot be read is a failure, never a first run', async () => {
    const { result, seen } = await publish(
      { load: () => Promise.reject(outage), save: () => Promise.reject(outage) },
      [],
    );
    expect(result.gate).toMatchObject({ verdict: 'failure', shouldFail: true });
    expect(result.gate.message).toMatch(/^the baseline store could not be read: GitHub answered HTTP 502/);
    expect(result.report.markdown).toContain('### ❌ the baseline store could not be read');
    expect(result.report.markdown).not.toContain('first run');
    expect(seen[0]?.gate.verdict).toBe('failure');
  });

  it('a save the policy asked for that does not land fails the run', async () => {
    const store: BaselineStore = { load: () => Promise.resolve(empty), save: () => Promise.reject(outage) };
    const { result } = await publish(store, [], 'always');
    expect(result.gate).toMatchObject({ verdict: 'failure', shouldFail: true });
    expect(result.gate.runFailures).toEqual([
      'the run was not saved as a baseline: GitHub answered HTTP 502 after 4 retries',
    ]);
  });

  it('a result file that cannot be written fails the run before any other sink speaks, and leaves no file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ttg-fail-closed-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    // A directory where the file should be: the temp file is written, the rename onto it fails.
    const out = join(dir, 'result.json');
    await mkdir(out);
    const store: BaselineStore = {
      load: () => Promise.resolve(empty),
      save: () => Promise.resolve({ isSaved: true, detail: '' }),
    };
    const { result, seen } = await publish(store, [createJsonFileSink(out)]);
    expect(result.gate).toMatchObject({ verdict: 'failure', shouldFail: true });
    expect(result.gate.message).toMatch(new RegExp(`^the result file ${out} could not be written: `));
    // The capture sink comes first in the list, yet runs after the required write: it saw the failure.
    expect(seen.map((r) => r.gate.verdict)).toEqual(['failure']);
    expect(await readdir(dir)).toEqual(['result.json']);
    expect(await readdir(out)).toEqual([]);
  });
});
