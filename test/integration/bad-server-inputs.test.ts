/**
 * Bad inputs the real Triton reveals (test/bad-input/server-cases.ts), through the CLI's `main`:
 * the exit code and the message of each, and that the server saw no ModelInfer (ModelStatistics
 * success and failure counts of every model unchanged) and no load or unload (repository index
 * unchanged): facts about the whole server, which this file has to itself while it runs
 * (test/support/shared-triton.ts). A model with a BYTES input (`bytes_echo`, the identity model
 * over strings) is added to the server's repository for the BYTES cases, and removed again;
 * `nobatch_identity` (max_batch_size 0) is loaded for the case that refuses max-batch rows, and
 * `sequence_sum` (sequence_batching) for the one that refuses items-per-request above 1.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { TritonClient } from '../../src/triton/triton-client.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { verdictLineOf } from '../bad-input/bad-input-case.js';
import { sharedTriton } from '../support/shared-triton.js';
import { expectRejected, expectWellFormed, fillPlaceholders, type Placeholders } from '../bad-input/bad-input-case.js';
import { SERVER_CASES, SMALL_MATRIX } from '../bad-input/server-cases.js';

const BYTES_CONFIG = `name: "bytes_echo"
backend: "python"
max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_STRING dims: [ 1 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_STRING dims: [ 1 ] } ]
instance_group [ { kind: KIND_CPU count: 1 } ]
`;

let client: TritonClient;
let closedAddress: string;

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const info = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (info === null || typeof info === 'string') throw new Error('no TCP address');
  return `127.0.0.1:${info.port}`;
}

const triton = sharedTriton();

beforeAll(async () => {
  client = new TritonClient({ address: triton.grpcUrl, isTls: false });
  closedAddress = await closedPort();
  const modelDir = join(triton.repoDir, 'bytes_echo');
  await mkdir(join(modelDir, '1'), { recursive: true });
  for (const file of ['model.py', 'model_params.py'])
    await cp(join(triton.repoDir, 'identity', '1', file), join(modelDir, '1', file));
  await writeFile(join(modelDir, 'config.pbtxt'), BYTES_CONFIG);
  await client.repositoryModelLoad('bytes_echo', undefined, { timeoutMs: 60_000 });
  // Served with max_batch_size 0 (scripts/triton's test models; not loaded at start).
  await client.repositoryModelLoad('nobatch_identity', undefined, { timeoutMs: 60_000 });
  // A sequence model, for the case that refuses items-per-request above 1.
  await client.repositoryModelLoad('sequence_sum', undefined, { timeoutMs: 60_000 });
});

afterAll(async () => {
  await client.repositoryModelUnload('bytes_echo').catch(() => undefined);
  await client.repositoryModelUnload('nobatch_identity').catch(() => undefined);
  await client.repositoryModelUnload('sequence_sum').catch(() => undefined);
  client.close();
  await rm(join(triton.repoDir, 'bytes_echo'), { recursive: true, force: true });
});

/** Requests every model has seen, as Triton counts them (successes and failures). */
async function inferCounts(): Promise<string> {
  const stats = await client.modelStatistics('');
  return stats
    .map(
      (s) =>
        `${s.name}/${s.version}: ${s.inferenceStats?.success?.count ?? 0n} ok, ${s.inferenceStats?.fail?.count ?? 0n} failed`,
    )
    .sort()
    .join('\n');
}

/** Every model's name, version and state: a load or unload changes it. */
async function repositoryState(): Promise<string> {
  return (await client.repositoryIndex())
    .map((m) => `${m.name}@${m.version}:${m.state}`)
    .sort()
    .join(' ');
}

describe('bad inputs the server reveals', () => {
  it.for(SERVER_CASES)('$name', async (testCase) => {
    const dir = await mkdtemp(join(tmpdir(), 'ttg-bad-server-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    for (const [name, text] of Object.entries(testCase.files ?? {})) await writeFile(join(dir, name), text);
    const places: Placeholders = {
      server: triton.grpcUrl,
      http: triton.httpUrl.replace(/^http:\/\//, ''),
      closed: closedAddress,
      dir,
    };
    expectWellFormed(testCase, { isValueQuoted: testCase.channel === 'model metadata (real Triton)' });
    const [countsBefore, stateBefore] = [await inferCounts(), await repositoryState()];
    const outcome = await runCliInProcess([
      ...testCase.argv.map((arg) => fillPlaceholders(arg, places)),
      ...SMALL_MATRIX,
    ]);
    expectRejected(testCase, { exitCode: outcome.exitCode, text: outcome.stderr }, places);
    // Multiline: node's own warnings (DEP0123 for TLS to an IP address) may come first.
    expect(outcome.stderr).toMatch(testCase.exitCode === 2 ? /^ConfigError: /m : /^TritonError: /m);
    expect(outcome.stdout).toBe(verdictLineOf(testCase.argv));
    // Failed before any load was sent, and nothing was reloaded.
    expect(await inferCounts()).toBe(countsBefore);
    expect(await repositoryState()).toBe(stateBefore);
  });

  it('left demo_onnx at its original max_batch_size', async () => {
    expect((await client.modelConfig('demo_onnx')).maxBatchSize).toBe(64);
  });
});
