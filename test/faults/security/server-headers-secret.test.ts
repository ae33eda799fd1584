/**
 * `server-headers` values are secrets (auth tokens for a gateway in front of Triton): the CLI,
 * run as its own process, never prints them or stores them — on success, when the server is
 * unreachable, on a TLS mismatch, and when the headers themselves or another input are invalid
 * (ConfigError). Every place is scanned: stdout, stderr, the result JSON (`--out`) and every
 * file of the baseline store. The success case runs against the fake Triton through a proxy
 * that sees the secret go out on the wire, so the scan is of a run that really carried it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelConfig, startFakeTriton, type FakeTriton } from '../../support/fake-triton.js';
import { REPO_ROOT, runCli } from '../../support/run-entry.js';
import { startSniffingProxy, type SniffingProxy } from '../../support/sniffing-proxy.js';
import { readTree } from '../../support/store-snapshot.js';

const SECRET = 'sekret-XYZ-headers-31337';
const HEADER = `authorization: Bearer ${SECRET}`;
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
let proxy: SniffingProxy;
let dir: string;
let closedAddress: string;

beforeAll(async () => {
  fake = await startFakeTriton([{ config: fakeModelConfig('m', 16) }]);
  proxy = await startSniffingProxy(fake.address, SECRET);
  dir = await mkdtemp(join(tmpdir(), 'ttg-secret-'));
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const info = probe.address();
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve();
    }),
  );
  closedAddress = `127.0.0.1:${info !== null && typeof info !== 'string' ? info.port : 9}`;
});

afterAll(async () => {
  await proxy.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** One CLI run; `name` gives it its own output file and store. */
interface SecretCase {
  readonly name: string;
  readonly argv: (paths: { readonly out: string; readonly store: string; readonly configFile: string }) => string[];
  readonly exitCode: number;
  /** A config file to write first. */
  readonly yaml?: string;
  /** What the output must say, so we know which path ran. */
  readonly says: RegExp;
}

const CASES: readonly SecretCase[] = [
  {
    name: 'a successful run that sends the header',
    exitCode: 0,
    says: /no baseline to compare with/,
    argv: ({ out, store }) => [
      'run',
      '--server-url',
      proxy.address,
      '--model',
      'm',
      '--server-headers',
      HEADER,
      '--out',
      out,
      '--baseline-dir',
      store,
      '--save',
      ...SMALL,
    ],
  },
  {
    name: 'an unreachable server',
    exitCode: 1,
    says: /cannot reach Triton at/,
    argv: ({ out }) => [
      'run',
      '--server-url',
      closedAddress,
      '--model',
      'm',
      '--server-headers',
      HEADER,
      '--out',
      out,
      ...SMALL,
    ],
  },
  {
    name: 'TLS to a plaintext port',
    exitCode: 1,
    says: /TLS handshake failed/,
    argv: ({ out }) => [
      'run',
      '--server-url',
      `grpcs://${fake.address}`,
      '--model',
      'm',
      '--server-headers',
      HEADER,
      '--out',
      out,
      ...SMALL,
    ],
  },
  {
    name: 'a header key with uppercase letters (ConfigError)',
    exitCode: 2,
    says: /input 'server-headers': got '\*\*\*'/,
    argv: () => [
      'run',
      '--server-url',
      fake.address,
      '--model',
      'm',
      '--server-headers',
      `Authorization: Bearer ${SECRET}`,
      ...SMALL,
    ],
  },
  {
    name: 'a bad second entry after the secret one (ConfigError)',
    exitCode: 2,
    says: /entry 2 has a key with characters outside/,
    argv: () => [
      'run',
      '--server-url',
      fake.address,
      '--model',
      'm',
      '--server-headers',
      `${HEADER}\nx bad: 1`,
      ...SMALL,
    ],
  },
  {
    name: 'headers in a config file, another input invalid (ConfigError)',
    exitCode: 2,
    says: /input 'users': got '0'/,
    yaml: `model: m\nusers: 0\nserver-headers:\n  - "${HEADER}"\n  - "x-team: blue"\n`,
    argv: ({ configFile }) => ['run', '--server-url', fake.address, '--config-file', configFile],
  },
];

describe('server-headers secrets never leave the process', () => {
  it.concurrent.for(CASES)('$name', async (testCase, { expect: expectHere }) => {
    const caseDir = await mkdtemp(join(dir, 'case-'));
    const paths = {
      out: join(caseDir, 'result.json'),
      store: join(caseDir, 'store'),
      configFile: join(caseDir, 'perf.yml'),
    };
    if (testCase.yaml !== undefined) await writeFile(paths.configFile, testCase.yaml);
    const result = await runCli(testCase.argv(paths), { cwd: REPO_ROOT, timeoutMs: 60_000 });
    const output = `${result.stdout}\n${result.stderr}`;
    expectHere(result.exitCode, output).toBe(testCase.exitCode);
    expectHere(output).toMatch(testCase.says);
    const places: [string, string][] = [
      ['stdout', result.stdout],
      ['stderr', result.stderr],
    ];
    for (const [path, text] of await readTree(caseDir)) if (path !== 'perf.yml') places.push([path, text]);
    if (testCase.exitCode === 0) {
      expectHere(proxy.hasSeen(), 'the header went out on the wire').toBe(true);
      expectHere(places.map(([where]) => where)).toEqual(expect.arrayContaining(['result.json']));
    }
    expectHere(places.filter(([, text]) => text.includes(SECRET)).map(([where]) => where)).toEqual([]);
  });
});
