// The signal handlers shared by the CLI and the Action: the first signal aborts, later ones
// say what is really happening and are ignored until the deadline, then the signal is let through.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { interruptOnSignals, restoreDeadlineMs } from '../../../src/control/interrupt.js';

function setUp(deadlineMs = 10_000) {
  const emitter = new EventEmitter();
  const warnings: string[] = [];
  const passed: string[] = [];
  let time = 1000;
  const handle = interruptOnSignals(
    { info: () => undefined, warn: (m) => warnings.push(m) },
    {
      deadlineMs,
      verb: 'interrupted',
      emitter: emitter as unknown as NodeJS.Process,
      now: () => time,
      onDeadlinePassed: (name) => passed.push(name),
    },
  );
  return {
    emitter,
    warnings,
    passed,
    handle,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('interruptOnSignals', () => {
  it('aborts on the first signal and names the bound', () => {
    const { emitter, warnings, handle } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    expect(handle.signal.aborted).toBe(true);
    expect((handle.signal.reason as Error).message).toBe('interrupted by SIGINT');
    expect(warnings).toEqual([
      'SIGINT: the run was interrupted; stopping after the current requests, then restoring the model config (further signals are ignored for up to 10 s)',
    ]);
  });

  it('reports each later signal with the phase it lands in, and ignores it', () => {
    const { emitter, warnings, handle, advance, passed } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    emitter.emit('SIGINT', 'SIGINT');
    handle.restore.begin('demo');
    advance(4000);
    emitter.emit('SIGTERM', 'SIGTERM');
    handle.restore.end(undefined);
    emitter.emit('SIGINT', 'SIGINT');
    expect(warnings.slice(1)).toEqual([
      'SIGINT again: still stopping the current requests; the model config is restored next (up to 10 s); ignored',
      "SIGTERM again: restoring the config of model 'demo' (up to 6 s left), so that it is not left unloaded; ignored",
      'SIGINT again: the model config is back as before the run; publishing what was measured; ignored',
    ]);
    expect(passed).toEqual([]);
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

  it('lets a signal through once the deadline has passed, with the handlers removed', () => {
    const { emitter, warnings, advance, passed } = setUp();
    emitter.emit('SIGINT', 'SIGINT');
    advance(10_000);
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(warnings[1]).toBe('SIGTERM again: 10 s have passed since the first signal; stopping now');
    expect(passed).toEqual(['SIGTERM']);
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM')).toBe(0);
  });

  it('bounds the wait by two model loads plus a margin', () => {
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
