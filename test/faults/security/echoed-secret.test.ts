/**
 * A server (or gateway) whose error text echoes the request metadata (issue 13): the CLI, as its
 * own process, sends `authorization: Bearer <secret>` to the fake Triton, whose every ModelInfer
 * error quotes the metadata back. Neither the secret, nor the token after `Bearer `, nor their
 * base64 or URL-encoded forms may reach stdout, stderr or the result JSON; `***` stands in.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelConfig, startFakeTriton, type FakeTriton } from '../../support/fake-triton.js';
import { REPO_ROOT, runCli } from '../../support/run-entry.js';

const TOKEN = 'tok-Echo-8812-secret';
const SMALL = [
  '--batch-strategy',
  'fixed',
  '--max-batch',
  '16',
  '--users',
  '1',
  '--requests',
  '8',
  '--trials',
  '3',
  '--warmup-requests',
  '0',
];

let fake: FakeTriton;
let dir: string;

beforeAll(async () => {
  fake = await startFakeTriton([{ config: fakeModelConfig('m', 16) }], {
    failInfer: { from: 1, count: 1_000_000, code: status.INVALID_ARGUMENT, details: 'rejected by the gateway' },
    echoMetadataInErrors: true,
  });
  dir = await mkdtemp(join(tmpdir(), 'ttg-echo-'));
});

afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('secrets echoed by the server', () => {
  it('are masked with every part and encoding in every output', async () => {
    const out = join(dir, 'result.json');
    const result = await runCli(
      [
        'run',
        '--server-url',
        fake.address,
        '--model',
        'm',
        '--server-headers',
        `authorization: Bearer ${TOKEN}`,
        '--out',
        out,
        ...SMALL,
      ],
      { cwd: REPO_ROOT, timeoutMs: 60_000 },
    );
    const saved = await readFile(out, 'utf8').catch(() => '');
    const everything = `${result.stdout}\n${result.stderr}\n${saved}`;
    expect(result.exitCode, everything).toBe(1);
    // The echo really happened, masked.
    expect(everything).toMatch(/request metadata: .*authorization=\*\*\*/);
    for (const form of [TOKEN, Buffer.from(TOKEN).toString('base64'), encodeURIComponent(`Bearer ${TOKEN}`)]) {
      expect(everything).not.toContain(form);
    }
    expect(saved).not.toBe('');
  });
});
