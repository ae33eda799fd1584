/**
 * The CLI's last line is `verdict: <verdict>` on every path (README, "The CLI"), errors
 * included: a server that cannot be reached, a base model the server does not have (named as
 * the input `baseline-model`, not `model`).
 */
import { createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fakeModelConfig, startFakeTriton } from '../../support/fake-triton.js';
import { runCliInProcess } from '../../support/cli-in-process.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

const FAST = ['--requests', '8', '--trials', '3', '--users', '1', '--metrics-url', 'none'];

describe('the verdict line', () => {
  it('ends a run against an unreachable server', async () => {
    const outcome = await runCliInProcess([
      'run',
      '--server-url',
      `127.0.0.1:${await closedPort()}`,
      '--model',
      'm',
      ...FAST,
    ]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/^TritonError: ServerLive on 127\.0\.0\.1:\d+ failed with UNAVAILABLE/m);
    expect(outcome.stdout).toBe('verdict: failure\n');
  });

  it("names 'baseline-model' for a base model the server does not have", async () => {
    const fake = await startFakeTriton([{ config: fakeModelConfig('m', 16) }]);
    onTestFinished(() => fake.close());
    const outcome = await runCliInProcess([
      'run',
      '--server-url',
      fake.address,
      '--model',
      'm',
      '--baseline-model',
      'no_such_base',
      '--batch-strategy',
      'fixed',
      '--max-batch',
      '16',
      ...FAST,
    ]);
    expect(outcome.exitCode, outcome.stderr).toBe(2);
    expect(outcome.stderr).toContain("input 'baseline-model': got 'no_such_base', expected a model that the server at");
    expect(outcome.stdout).toBe('verdict: failure\n');
  });
});
