// The signal handlers shared by the CLI and the Action: the first signal (SIGINT, SIGTERM or
// SIGHUP) aborts, later ones say what is really happening and are ignored, and the process
// never outlives the deadline: then `onDeadline` ends it. Crashes go to `onCrash`.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { interruptOnSignals, restoreBudgetMs, restoreDeadlineMs } from '../../../src/control/interrupt.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setUp(deadlineMs = 10_000) {
  const emitter = new EventEmitter();
  const warnings: string[] = [];
  const deadlines: string[] = [];
  const crashes: unknown[] = [];
  const handle = interruptOnSignals(
    { info: () => undefined, warn: (m) => warnings.push(m) },
    {
      deadlineMs,
      verb: 'interrupted',
      emitter: emitter as unknown as NodeJS.Process,
      onDeadline: (name) => deadlines.push(name),
      onCrash: (err) => crashes.push(err),
    },
  );
  return { emitter, warnings, deadlines, crashes, handle };
}

describe('interruptOnSignals', () => {
  it('aborts on the first signal and names the bound', () => {
    const { emitter, warnings, handle } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    expect(handle.signal.aborted).toBe(true);
    expect((handle.signal.reason as Error).message).toBe('interrupted by SIGINT');
    expect(warnings).toEqual([
      'SIGINT: the run was interrupted; stopping after the current requests, then restoring the model config (further signals are ignored; the process ends within 10 s)',
    ]);
  });

  it('treats SIGHUP (a closed terminal) like Ctrl-C', () => {
    const { emitter, handle } = setUp();
    emitter.emit('SIGHUP', 'SIGHUP');
    expect((handle.signal.reason as Error).message).toBe('interrupted by SIGHUP');
  });

  it('reports each later signal with the phase it lands in, and ignores it', () => {
    const { emitter, warnings, handle, deadlines } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    emitter.emit('SIGINT', 'SIGINT');
    handle.restore.begin('demo');
    vi.advanceTimersByTime(4000);
    emitter.emit('SIGTERM', 'SIGTERM');
    handle.restore.end(undefined);
    emitter.emit('SIGHUP', 'SIGHUP');
    expect(warnings.slice(1)).toEqual([
      'SIGINT again: still stopping the current requests; the model config is restored next (the process ends within 10 s); ignored',
      "SIGTERM again: restoring the config of model 'demo' (the process ends within 6 s), so that it is not left unloaded; ignored",
      'SIGHUP again: the model config is back as before the run; publishing what was measured; ignored',
    ]);
    expect(deadlines).toEqual([]);
    expect(emitter.listenerCount('SIGINT')).toBe(1);
  });

  it('says when the restore failed', () => {
    const { emitter, warnings, handle } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    handle.restore.begin('demo');
    handle.restore.end('load timed out');
    emitter.emit('SIGINT', 'SIGINT');
    expect(warnings[1]).toBe(
      'SIGINT again: the restore failed (load timed out); publishing what was measured; ignored',
    );
  });

  it('ends the process at the deadline even when no further signal comes', () => {
    const { emitter, warnings, deadlines } = setUp();
    emitter.emit('SIGTERM', 'SIGTERM');
    vi.advanceTimersByTime(9999);
    expect(deadlines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(deadlines).toEqual(['SIGTERM']);
    expect(warnings.at(-1)).toBe('10 s have passed since SIGTERM; stopping now');
  });

  it('no deadline once disposed: a run that ended on time ends as usual', () => {
    const { emitter, deadlines, handle } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    handle.dispose();
    vi.advanceTimersByTime(60_000);
    expect(deadlines).toEqual([]);
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGHUP')).toBe(0);
    expect(emitter.listenerCount('unhandledRejection')).toBe(0);
  });

  it('hands an unhandled rejection to onCrash once, aborting the run', () => {
    const { emitter, crashes, handle } = setUp();
    const error = new Error('boom');
    emitter.emit('unhandledRejection', error);
    emitter.emit('uncaughtException', new Error('again'));
    expect(crashes).toEqual([error]);
    expect((handle.signal.reason as Error).message).toBe('stopped by an internal error');
  });

  it('bounds the restore by two model loads, the process by that plus a margin', () => {
    expect(restoreBudgetMs({ server: { loadTimeoutMs: 120_000 } })).toBe(240_000);
    expect(restoreDeadlineMs({ server: { loadTimeoutMs: 120_000 } })).toBe(270_000);
    // The zero-config base waits for a base load in flight, then unloads the base (docs/paired.md).
    expect(
      restoreDeadlineMs({
        server: { loadTimeoutMs: 120_000 },
        paired: { base: { fromRepository: { path: 'm', ref: undefined } } },
      }),
    ).toBe(510_000);
  });
});
