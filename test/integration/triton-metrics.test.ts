/**
 * Triton's metrics per cell against the real CPU Triton 2.51 (src/metrics/): its endpoint
 * reports the host's CPU utilisation and memory (nv_cpu_*) and no GPU, and a matrix run with
 * `metrics-url` stores them on every cell; a dead endpoint only costs a warning.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { CONTROLLER_FACTORIES } from '../../src/control/controllers.js';
import { runShellCommand } from '../../src/control/run-shell-command.js';
import type { Logger } from '../../src/logger.js';
import { createMetricsSampler, metricsSamplerFor } from '../../src/metrics/metrics-sampler.js';
import { runMatrix } from '../../src/matrix/run-matrix.js';
import { TritonClient } from '../../src/triton/triton-client.js';
import { sharedTriton } from '../support/shared-triton.js';

const address = sharedTriton().grpcUrl;
const metricsUrl = sharedTriton().metricsUrl;
const client = new TritonClient({ address, isTls: false });
afterAll(() => {
  client.close();
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (message) => warnings.push(message) };
}

describe("Triton's metrics endpoint", () => {
  it('reports CPU utilisation and memory used, and no GPU, on the CPU build', async () => {
    const log = recordingLogger();
    const sampler = createMetricsSampler({ url: metricsUrl, log, intervalMs: 200 });
    const recording = sampler.start();
    // Triton refreshes CPU metrics every couple of seconds; the first values can be 0.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const readings = await recording.stop();
    expect(log.warnings).toEqual([]);
    expect(readings.length).toBeGreaterThanOrEqual(3);
    const last = readings.at(-1);
    expect(last?.gpus).toEqual([]);
    expect(last?.cpuUtilization).toBeGreaterThanOrEqual(0);
    expect(last?.cpuUtilization).toBeLessThanOrEqual(1);
    expect(last?.cpuMemoryUsedBytes).toBeGreaterThan(0);
    expect(sampler.gpus()).toEqual([]);
  });

  it('stores the metrics on every cell of a matrix run and records the transport', async () => {
    const log = recordingLogger();
    const config = parseConfig({
      model: 'identity',
      'batch-strategy': 'fixed',
      'max-batch': '64',
      users: '1,2',
      requests: '200',
      trials: '3',
      'max-reruns': '0',
      'metrics-url': metricsUrl,
      transport: 'grpc-js',
    });
    const transport = client.inferTransport();
    const controller = CONTROLLER_FACTORIES[config.control.strategy]({
      client,
      config,
      log,
      runCommand: runShellCommand,
    });
    const run = await runMatrix(
      config,
      {
        client,
        transport,
        controller,
        log,
        files: new Map(),
        signal: new AbortController().signal,
        ...metricsSamplerFor(config.server.metricsUrl, log),
      },
      { source: {}, label: '' },
    );
    expect(log.warnings).toEqual([]);
    expect(run.environment.transport).toBe('grpc-js');
    expect(run.environment.gpus).toBeUndefined();
    for (const cell of run.cells) {
      expect(cell.metrics?.readings).toBeGreaterThanOrEqual(4);
      expect(cell.metrics?.cpuMemoryUsedBytes).toBeGreaterThan(0);
      expect(cell.metrics?.gpuUtilization).toBeUndefined();
    }
  });

  it('warns once and goes on when the endpoint cannot be read, with the reason and the way out', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => {
          resolve(port);
        });
      });
    });
    const url = `http://127.0.0.1:${closedPort}/metrics`;
    const log = recordingLogger();
    const sampler = createMetricsSampler({ url, log });
    expect(await sampler.start().stop()).toEqual([]);
    expect(await sampler.start().stop()).toEqual([]);
    expect(log.warnings).toEqual([
      // fetch's own message is only `fetch failed`: the warning carries its cause.
      `metrics: cannot read ${url} (fetch failed: connect ECONNREFUSED 127.0.0.1:${closedPort}); cells are reported without Triton's metrics (set metrics-url to the server's metrics endpoint, Triton's --metrics-port, or 'none')`,
    ]);
  });
});
