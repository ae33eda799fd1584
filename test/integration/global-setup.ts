/**
 * Starts one real CPU Triton (scripts/triton/, the binary from the nvidia-pytriton wheel) for
 * the whole integration project, on free ports of 127.0.0.1. If it will not start, the suite
 * fails loudly with the server's log tail; it never skips (docs/architecture.md#tests).
 */
import type { TestProject } from 'vitest/node';
import { ensureTritonInstalled, startTriton } from '../../scripts/triton/triton-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the shared server's gRPC endpoint. */
    tritonUrl: string;
    /** `http://host:port` of its HTTP endpoint. */
    tritonHttpUrl: string;
    /** Its own copy of the model repository. */
    tritonRepoDir: string;
    /** `http://host:port/metrics`: its Prometheus metrics. */
    tritonMetricsUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureTritonInstalled();
  const triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0 });
  process.stderr.write(
    `integration: Triton ${triton.version} on ${triton.grpcUrl}, ready in ${(triton.startMs / 1000).toFixed(1)} s\n`,
  );
  project.provide('tritonUrl', triton.grpcUrl);
  project.provide('tritonHttpUrl', triton.httpUrl);
  project.provide('tritonRepoDir', triton.repoDir);
  project.provide('tritonMetricsUrl', `${triton.metricsUrl}/metrics`);
  return () => triton.stop();
}
