/**
 * Starts one real CPU Triton (scripts/triton/, the binary from the nvidia-pytriton wheel) for
 * the integration projects, on free ports of 127.0.0.1, and starts building the bundles (dist/)
 * that the end-to-end tests run (test/support/bundles.ts waits for it). Vitest runs every
 * project's setup before the first test, so the build is not awaited here: it runs beside the
 * in-process tests. Every file shares the server, each on models of its own where it changes or
 * counts one (test/support/shared-triton.ts). Both integration projects (`integration`, files in
 * parallel, and `integration-alone`, one file at a time after them) name this setup; the first
 * starts the server and the build, the other reuses them. If Triton will not start, the suite
 * fails loudly with the server's log tail; it never skips (docs/architecture.md#tests).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../../scripts/triton/triton-server.js';

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
    /** Where the bundles' build writes its outcome ({@link BundlesOutcome}) when it ends. */
    bundlesOutcomeFile: string;
  }
}

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** What the bundles' build wrote when it ended: `error` is set when it failed. */
export interface BundlesOutcome {
  readonly error?: string;
}

/**
 * `npm run build` (scripts/build.mjs) into dist/: dist/index.js is what GitHub runs, and building
 * it here also proves the build works. Writes the outcome to `outcomeFile` when it ends.
 * `.ci/run` builds and checks dist/ itself first, and says so with TTG_DIST_IS_BUILT=true.
 */
async function buildBundles(outcomeFile: string): Promise<void> {
  let outcome: BundlesOutcome = {};
  if (process.env['TTG_DIST_IS_BUILT'] !== 'true') {
    const startedMs = performance.now();
    try {
      await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
      process.stderr.write(`integration: dist/ built in ${((performance.now() - startedMs) / 1000).toFixed(1)} s\n`);
    } catch (err: unknown) {
      // execFile's error carries the child's stderr: ncc's own message.
      const stderr = err instanceof Error && 'stderr' in err && typeof err.stderr === 'string' ? err.stderr : '';
      outcome = { error: `npm run build failed: ${stderr === '' ? String(err) : stderr}` };
    }
  }
  writeFileSync(outcomeFile, JSON.stringify(outcome));
}

/** The server and build both projects share, and how many of them still use them. */
interface Shared {
  readonly started: Promise<TritonProcess>;
  readonly built: Promise<void>;
  readonly outcomeFile: string;
  users: number;
}

// Each project loads this module on its own; the process (vitest's main one) is what they share.
const SHARED = Symbol.for('triton-throughput-gate.integration-server');
const shared = globalThis as { [SHARED]?: Shared };

async function startServer(): Promise<TritonProcess> {
  await ensureTritonInstalled();
  const triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0 });
  process.stderr.write(
    `integration: Triton ${triton.version} on ${triton.grpcUrl}, ready in ${(triton.startMs / 1000).toFixed(1)} s\n`,
  );
  return triton;
}

function startShared(): Shared {
  const outcomeFile = join(mkdtempSync(join(tmpdir(), 'ttg-bundles-')), 'outcome.json');
  return { started: startServer(), built: buildBundles(outcomeFile), outcomeFile, users: 0 };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const entry = (shared[SHARED] ??= startShared());
  entry.users += 1;
  const triton = await entry.started;
  project.provide('tritonUrl', triton.grpcUrl);
  project.provide('tritonHttpUrl', triton.httpUrl);
  project.provide('tritonRepoDir', triton.repoDir);
  project.provide('tritonMetricsUrl', `${triton.metricsUrl}/metrics`);
  project.provide('bundlesOutcomeFile', entry.outcomeFile);
  return async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    shared[SHARED] = undefined;
    await entry.built; // never leave a build writing dist/ behind
    rmSync(resolve(entry.outcomeFile, '..'), { recursive: true, force: true });
    await triton.stop();
  };
}
