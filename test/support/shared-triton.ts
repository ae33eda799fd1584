/**
 * The integration projects' real Tritons (test/integration/global-setup.ts): one per worker, so
 * a file has its server to itself while it runs, and the files before and after it on the same
 * server see what it leaves behind. A file that reloads a model, changes its config or counts
 * its requests does so on copies of its own (model-copy.ts), added here before its tests and
 * removed after them, so the startup models (demo_onnx, identity) stay as every file expects
 * them (docs/architecture.md#tests).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { TestTriton } from '../integration/global-setup.js';
import { addModelCopy, LOAD_TIMEOUT_MS, removeModelCopy, type ModelCopyOptions } from './model-copy.js';

/** How long a file waits for a server that another file's process still holds. */
const CLAIM_TIMEOUT_MS = 600_000;
let claimed: TestTriton | undefined;

/**
 * This file's server: the one of its worker (VITEST_POOL_ID, 1 to the project's maxWorkers)
 * unless another process still holds it, then any free one. A claim lasts until this process
 * exits, not until the file's last hook: a full `npm test` once showed two files' traffic on one
 * server at once (a model's count rose inside another file's before/after snapshot, and a model
 * vanished mid-test); the cause was not pinned down (vitest 4 hands each worker slot to one file
 * at a time, but stops a finished file's process without waiting). Waiting for the holder to
 * exit rules it out, and a wait of more than 2 s is said on stderr.
 */
export function sharedTriton(): TestTriton {
  if (claimed !== undefined) return claimed;
  const servers = inject('tritonServers');
  const slot = Number(process.env['VITEST_POOL_ID'] ?? '1');
  if (servers.length === 0) throw new Error('no integration server: run the file in an integration project');
  const order = servers.map((_, i) => servers[(slot - 1 + i) % servers.length] as TestTriton);
  const startedMs = Date.now();
  let isReported = false;
  for (;;) {
    const server = order.find(tryClaim);
    if (server !== undefined) return (claimed = server);
    const waitedMs = Date.now() - startedMs;
    if (waitedMs > CLAIM_TIMEOUT_MS) throw new Error(`every integration server stayed held: ${holders(order)}`);
    if (!isReported && waitedMs > 2_000) {
      process.stderr.write(`integration: pid ${process.pid} waits for a server: ${holders(order)}\n`);
      isReported = true;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); // a synchronous sleep: callers are sync
  }
}

const lockOf = (server: TestTriton): string => join(server.runDir, 'claimed-by.pid');

/** Takes `server` for this process if no live process holds it; released when this process exits. */
function tryClaim(server: TestTriton): boolean {
  const lock = lockOf(server);
  const holder = holderOf(lock);
  if (holder !== undefined && isAlive(holder)) return false;
  if (holder !== undefined) rmSync(lock, { force: true }); // its process is gone
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    return false; // another process took it first
  }
  process.once('exit', () => {
    if (holderOf(lock) === process.pid) rmSync(lock, { force: true });
  });
  return true;
}

function holderOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    // A file just created and not yet written is held: its writer is about to fill it in.
    return Number.isInteger(pid) && pid > 0 ? pid : -1;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === -1) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: unknown) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const holders = (servers: readonly TestTriton[]): string =>
  servers.map((s) => `${s.grpcUrl} held by pid ${String(holderOf(lockOf(s)))}`).join(', ');

/**
 * Adds each copy (by its name, unique in the whole suite: `<source>_<file>`, e.g.
 * `demo_onnx_lease`) to this file's server before its tests and removes it after them.
 */
export function useModelCopies(copies: Readonly<Record<string, ModelCopyOptions>>): void {
  beforeAll(async () => {
    for (const [name, options] of Object.entries(copies)) await addModelCopy(sharedTriton(), name, options);
  }, LOAD_TIMEOUT_MS);
  afterAll(async () => {
    for (const name of Object.keys(copies)) await removeModelCopy(sharedTriton(), name);
  }, LOAD_TIMEOUT_MS);
}
