/**
 * A run that fails after it was cancelled reports `cancelled`, never `failure` (issue 13,
 * docs/reliability.md "Exit codes and verdicts"): the abort itself makes the next RPC fail, and
 * that failure must not turn a cancelled run into a failed one. Through composeAndRun (what the
 * CLI and the Action call) against the fake Triton, plus the Action's failure summary.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { composeAndRun, type RunEnvironment } from '../../../src/compose/compose-run.js';
import { cancelledIfAborted, RunCancelledError } from '../../../src/compose/run-cancelled-error.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { withLease } from '../../../src/control/model-lease.js';
import { reportRunFailure } from '../../../src/github/report-run-failure.js';
import type { Logger } from '../../../src/logger.js';
import { fakeModelConfig } from '../../support/fake-triton-models.js';
import { startFakeTriton, type FakeTriton } from '../../support/fake-triton.js';

let fake: FakeTriton | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function environment(signal: AbortSignal, lines: string[]): RunEnvironment {
  const log: Logger = {
    info: (m: string) => {
      lines.push(`info: ${m}`);
    },
    warn: (m: string) => {
      lines.push(`warn: ${m}`);
    },
  };
  return {
    log,
    signal,
    sinks: [],
    event: { name: 'cli', isDefaultBranch: false, isTag: false },
    context: { source: { event: 'cli' }, label: '' },
  };
}

function configFor(address: string, extra: Record<string, string> = {}) {
  return parseConfig({
    'server-url': address,
    model: 'm',
    'max-batch': '8',
    users: '1',
    requests: '8',
    trials: '3',
    'metrics-url': 'none',
    'baseline-store': 'none',
    ...extra,
  });
}

describe('an error after the cancel', () => {
  it('rejects as RunCancelledError when the run was cancelled before its first RPC', async () => {
    fake = await startFakeTriton([{ config: fakeModelConfig('m', 16) }]);
    const abort = new AbortController();
    abort.abort(new Error('interrupted by SIGTERM'));
    const error = await composeAndRun(configFor(fake.address), environment(abort.signal, [])).catch(
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(RunCancelledError);
    expect((error as Error).message).toMatch(/^the run was interrupted by SIGTERM before it produced a result: /);
    expect((error as Error).cause).toBeDefined();
    expect(fake.events).toEqual([]); // nothing was changed
  });

  it('rejects as RunCancelledError when cancelled while waiting for another run’s lease', async () => {
    const nowMs = Date.now();
    const held = withLease(fakeModelConfig('m', 16), {
      id: 'cccccccc-3333',
      host: 'elsewhere',
      pid: 1,
      label: 'cli',
      takenAtMs: nowMs,
      renewedAtMs: nowMs,
      ttlMs: 600_000,
    });
    fake = await startFakeTriton([{ config: held }]);
    const abort = new AbortController();
    const lines: string[] = [];
    const running = composeAndRun(
      configFor(fake.address, { 'lock-timeout-s': '60' }),
      environment(abort.signal, lines),
    ).catch((err: unknown) => err);
    // Cancel once the run says it waits for the holder.
    for (let i = 0; i < 100 && !lines.some((l) => l.includes('is in use: run cccccccc (cli) on host elsewhere')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      lines.some(
        (l) =>
          l.startsWith("info: model 'm' on ") && l.includes('is in use: run cccccccc (cli) on host elsewhere, pid 1'),
      ),
    ).toBe(true);
    abort.abort(new Error('cancelled by SIGINT'));
    const error = await running;
    expect(error).toBeInstanceOf(RunCancelledError);
    expect((error as Error).message).toMatch(/^the run was cancelled by SIGINT before it produced a result: /);
    expect(fake.events).toEqual([]); // the holder's model was never touched
  });

  it('leaves an error before any cancel as it is', () => {
    const err = new Error('boom');
    expect(cancelledIfAborted(err, new AbortController().signal)).toBe(err);
  });

  it('the Action reports verdict cancelled and says the run was cancelled', async () => {
    const outputs: Record<string, string> = {};
    const written: string[] = [];
    const summary = {
      addRaw: (text: string) => {
        written.push(text);
        return summary;
      },
      write: () => Promise.resolve(summary),
    };
    await reportRunFailure(
      {
        summary: summary as never,
        isSummaryAvailable: true,
        setOutput: (k: string, v: unknown) => {
          outputs[k] = String(v);
        },
      },
      'RunCancelledError',
      'the run was cancelled by SIGTERM before it produced a result: x',
      'cancelled',
    );
    expect(outputs['verdict']).toBe('cancelled');
    expect(written.join('')).toMatch(/was cancelled/);
  });
});
