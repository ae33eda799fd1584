// The journal's one restore path: single flight, one attempt per change, a report for every
// recorded model, and a NOT restored line that says what is left and how to fix it.
import { describe, expect, it } from 'vitest';
import { createModelJournal, type JournalEntry } from '../../../src/control/model-journal.js';
import type { ReturnOutcome } from '../../../src/control/served-state.js';

const log = { info: () => undefined, warn: () => undefined };

function entry(restore: () => Promise<ReturnOutcome>, isLive = true): JournalEntry & { calls: () => number } {
  let calls = 0;
  return {
    model: 'm',
    server: 'h:1',
    client: { serverLive: () => (isLive ? Promise.resolve(true) : Promise.reject(new Error('DEADLINE_EXCEEDED'))) },
    before: 'served at max_batch_size 64',
    restore: () => {
      calls++;
      return restore();
    },
    describeNow: () => Promise.resolve("model 'm' is now UNAVAILABLE (unloaded)"),
    fix: "load 'm' again",
    calls: () => calls,
  };
}

describe('createModelJournal', () => {
  it('restores once for concurrent callers and reports restored after a change', async () => {
    const journal = createModelJournal({ log, budgetMs: 5000 });
    const recorded = entry(() => Promise.resolve('restored'));
    journal.record(recorded);
    journal.record({ ...recorded, before: 'a later state never wins' });
    journal.willChange('h:1', 'm');
    const [a, b] = await Promise.all([journal.restore('h:1', 'm'), journal.restoreAll()]);
    expect(a).toEqual({
      model: 'm',
      server: 'h:1',
      status: 'restored',
      text: "model 'm' on h:1: restored (served at max_batch_size 64, as before the run)",
    });
    expect(b).toEqual([a]);
    expect(recorded.calls()).toBe(1);
    // Clean: later callers get the same report without another restore; a new change restores again.
    await journal.restoreAll();
    expect(recorded.calls()).toBe(1);
    journal.willChange('h:1', 'm');
    await journal.restoreAll();
    expect(recorded.calls()).toBe(2);
  });

  it('verifies a recorded model that never changed, and calls it unchanged', async () => {
    const journal = createModelJournal({ log, budgetMs: 5000 });
    journal.record(entry(() => Promise.resolve('unchanged')));
    expect((await journal.restoreAll())[0]?.status).toBe('unchanged');
  });

  it('says NOT restored with the state left and the fix, and does not try again until a new change', async () => {
    const journal = createModelJournal({ log, budgetMs: 5000 });
    const failing = entry(() => Promise.reject(new Error('RepositoryModelLoad failed with INTERNAL')));
    journal.record(failing);
    journal.willChange('h:1', 'm');
    const [report] = await journal.restoreAll();
    expect(report?.text).toBe(
      "model 'm' on h:1: NOT restored: RepositoryModelLoad failed with INTERNAL; model 'm' is now UNAVAILABLE (unloaded); before the run it was served at max_batch_size 64; to fix: load 'm' again",
    );
    await journal.restoreAll();
    expect(failing.calls()).toBe(1);
  });

  it('does not touch a server that does not answer', async () => {
    const journal = createModelJournal({ log, budgetMs: 5000 });
    const stalled = entry(() => Promise.resolve('restored'), false);
    journal.record(stalled);
    journal.willChange('h:1', 'm');
    const [report] = await journal.restoreAll();
    expect(report?.status).toBe('not-restored');
    expect(report?.text).toContain('NOT restored: the server at h:1 does not answer (DEADLINE_EXCEEDED)');
    expect(stalled.calls()).toBe(0);
  });

  it('refuses a change of a model it never recorded (a bug), and summarises an unfinished restore', () => {
    const journal = createModelJournal({ log, budgetMs: 5000 });
    expect(() => {
      journal.willChange('h:1', 'x');
    }).toThrow("model 'x' on h:1 changes before it was recorded (a bug)");
    journal.record(entry(() => new Promise(() => undefined)));
    expect(journal.summary('the run had not ended 630 s after SIGTERM')).toEqual([
      {
        model: 'm',
        server: 'h:1',
        status: 'not-restored',
        text: "model 'm' on h:1: NOT restored: the run had not ended 630 s after SIGTERM; to fix: load 'm' again",
      },
    ]);
  });
});
