// The small runtime edges of the Action: logger, cancellation, progress. `@actions/core` is
// mocked only here (docs/architecture.md#tests allows it in github/ tests): the logger is a thin layer over it.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortOnCancel } from '../../../src/github/abort-on-cancel.js';
import { createActionLogger, defuseWorkflowCommands } from '../../../src/github/action-logger.js';
import { createActionProgress } from '../../../src/github/action-progress.js';
import { collectingLogger } from './github-fixtures.js';

const core = vi.hoisted(() => ({ info: vi.fn(), warning: vi.fn() }));
vi.mock('@actions/core', () => core);

afterEach(() => {
  vi.clearAllMocks();
});

describe('createActionLogger', () => {
  it('logs info lines and turns warnings into annotations', () => {
    const log = createActionLogger();
    log.info('measuring');
    log.warn('the token cannot comment');
    expect(core.info).toHaveBeenCalledWith('measuring');
    expect(core.warning).toHaveBeenCalledWith('the token cannot comment');
  });

  it('defuses lines of server text that the runner would run as workflow commands', () => {
    createActionLogger().info('model failed:\n::add-mask::x\n  ::set-output name=verdict::pass');
    expect(core.info).toHaveBeenCalledWith('model failed:\n: :add-mask::x\n  : :set-output name=verdict::pass');
    expect(defuseWorkflowCommands('a :: b')).toBe('a :: b');
  });
});

describe('abortOnCancel', () => {
  it('aborts on the first signal, only logs later ones, and removes its handlers', () => {
    const emitter = new EventEmitter();
    const log = collectingLogger();
    const cancel = abortOnCancel(log, 60_000, { emitter: emitter as unknown as NodeJS.Process });
    emitter.emit('SIGINT', 'SIGINT');
    expect(cancel.signal.aborted).toBe(true);
    expect(log.warnings).toEqual([
      'SIGINT: the run was cancelled; stopping after the current requests, then restoring the model config (further signals are ignored; the process ends within 60 s)',
    ]);
    cancel.restore.begin('m');
    emitter.emit('SIGTERM', 'SIGTERM'); // GitHub's second signal must not kill the restore
    expect(log.warnings[1]).toMatch(
      /^SIGTERM again: restoring the config of model 'm' \(the process ends within \d+ s\), so that it is not left unloaded; ignored$/,
    );
    cancel.dispose();
    expect(emitter.listenerCount('SIGINT') + emitter.listenerCount('SIGTERM') + emitter.listenerCount('SIGHUP')).toBe(
      0,
    );
  });
});

describe('createActionProgress', () => {
  it('logs the first trial, then once per tenth, and again for a confirmation re-run', () => {
    const log = collectingLogger();
    const progress = createActionProgress(log);
    for (let done = 1; done <= 40; done += 1) progress({ maxBatch: 8, users: 1, done, total: 40 });
    expect(log.infos).toHaveLength(11);
    expect(log.infos.slice(0, 2)).toEqual(['trial 1/40 · max_batch 8, 1 user', 'trial 4/40 · max_batch 8, 1 user']);
    progress({ maxBatch: 32, users: 4, done: 1, total: 8 });
    expect(log.infos.at(-1)).toBe('trial 1/8 · max_batch 32, 4 users');
  });
});
