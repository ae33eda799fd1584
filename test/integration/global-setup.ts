/**
 * Starts the integration projects' real CPU Tritons (scripts/triton/, the binary from the
 * nvidia-pytriton wheel) on free ports of 127.0.0.1, one per worker of the `integration` project,
 * and starts building the bundles (dist/) that the end-to-end tests run (test/support/bundles.ts
 * waits for it). Each file uses its worker's server (test/support/shared-triton.ts), so no two
 * files use one server at the same time: Triton 2.51's CPU build crashed (SIGSEGV in
 * pthread_mutex_lock) when two files loaded and unloaded models on one server at once. Vitest
 * runs every project's setup before the first test, so the build is not awaited here: it runs
 * beside the in-process tests. Both integration projects (`integration`, files in parallel, and
 * `integration-alone`, one file at a time after them) name this setup; the first starts the
 * servers and the build, the other reuses them. If Triton will not start, the suite fails loudly
 * with the server's log tail; it never skips (docs/architecture.md#tests).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../../scripts/triton/triton-server.js';

/** One running test server, as the test files reach it. */
export interface TestTriton {
  /** `host:port` of the gRPC endpoint. */
  readonly grpcUrl: string;
  /** `http://host:port` of the HTTP endpoint. */
  readonly httpUrl: string;
  /** The server's own copy of the model repository (writable). */
  readonly repoDir: string;
  /** `http://host:port/metrics`: its Prometheus metrics. */
  readonly metricsUrl: string;
  /** The server's own directory (log, repository copy), removed when it stops. */
  readonly runDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One server per worker of the integration project; worker N uses entry N - 1. */
    tritonServers: TestTriton[];
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

/** The servers and build both projects share, and how many of them still use them. */
interface Shared {
  readonly started: Promise<TritonProcess[]>;
  readonly built: Promise<void>;
  readonly outcomeFile: string;
  users: number;
}

// Each project loads this module on its own; the process (vitest's main one) is what they share.
const SHARED = Symbol.for('triton-throughput-gate.integration-server');
const shared = globalThis as { [SHARED]?: Shared };

/** Starts `count` servers at once; if one fails, stops the others and rethrows. */
async function startServers(count: number): Promise<TritonProcess[]> {
  await ensureTritonInstalled();
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0 })),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(servers.map((triton) => triton.stop()));
    throw failed.reason;
  }
  for (const triton of servers) {
    process.stderr.write(
      `integration: Triton ${triton.version} on ${triton.grpcUrl}, ready in ${(triton.startMs / 1000).toFixed(1)} s\n`,
    );
  }
  return servers;
}

/** As many servers as the integration projects run files at once. */
function serverCount(project: TestProject): number {
  const integration = project.vitest.projects.filter((p) => p.name.startsWith('integration'));
  return Math.max(1, ...integration.map((p) => p.config.maxWorkers));
}

function startShared(count: number): Shared {
  const outcomeFile = join(mkdtempSync(join(tmpdir(), 'ttg-bundles-')), 'outcome.json');
  return { started: startServers(count), built: buildBundles(outcomeFile), outcomeFile, users: 0 };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const entry = (shared[SHARED] ??= startShared(serverCount(project)));
  entry.users += 1;
  const servers = await entry.started;
  project.provide(
    'tritonServers',
    servers.map((triton) => ({
      grpcUrl: triton.grpcUrl,
      httpUrl: triton.httpUrl,
      repoDir: triton.repoDir,
      metricsUrl: `${triton.metricsUrl}/metrics`,
      runDir: triton.runDir,
    })),
  );
  project.provide('bundlesOutcomeFile', entry.outcomeFile);
  return async () => {
    entry.users -= 1;
    if (entry.users > 0) return;
    shared[SHARED] = undefined;
    await entry.built; // never leave a build writing dist/ behind
    rmSync(resolve(entry.outcomeFile, '..'), { recursive: true, force: true });
    for (const triton of servers) reportDeath(triton);
    await Promise.all(servers.map((triton) => triton.stop()));
  };
}

/**
 * A server that died while files used it fails every later file on it with ECONNREFUSED; its log
 * (removed by stop()) is the only record of why, so its tail is printed before it goes.
 */
function reportDeath(triton: TritonProcess): void {
  const exit = triton.exitStatus();
  if (exit === undefined) return;
  const how = exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;
  process.stderr.write(
    `integration: Triton on ${triton.grpcUrl} died during the run (${how}); last 60 lines of its log:\n${triton.logTail(60)}\n`,
  );
}
