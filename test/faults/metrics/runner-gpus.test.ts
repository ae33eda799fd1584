/**
 * The runner's GPU reader (src/metrics/read-runner-gpus.ts) when nvidia-smi is missing, fails,
 * hangs past its deadline or prints garbage: no GPUs, one debug line, never an error. The
 * failures are played by a fake `exec`: no machine here has a GPU driver to break.
 */
import { describe, expect, it } from 'vitest';
import { createRunnerGpuReader, NVIDIA_SMI_ARGS, type ExecText } from '../../../src/metrics/read-runner-gpus.js';
import type { Logger } from '../../../src/logger.js';

function collectingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    debug: (message) => lines.push(`debug: ${message}`),
  };
}

const failWith =
  (err: unknown): ExecText =>
  () => {
    // A non-Error too: the reader must not assume what a child-process failure looks like.
    throw err;
  };

describe('createRunnerGpuReader', () => {
  it('asks nvidia-smi for name, driver and uuid as CSV without header, and reads its answer', async () => {
    const calls: { file: string; args: readonly string[] }[] = [];
    const exec: ExecText = (file, args) => {
      calls.push({ file, args });
      return Promise.resolve('NVIDIA L4, 550.54.15, GPU-5b1e2c3d\n');
    };
    const log = collectingLogger();
    const gpus = await createRunnerGpuReader(log, exec).read(new AbortController().signal);
    expect(calls).toEqual([{ file: 'nvidia-smi', args: NVIDIA_SMI_ARGS }]);
    expect(NVIDIA_SMI_ARGS).toEqual(['--query-gpu=name,driver_version,uuid', '--format=csv,noheader']);
    expect(gpus).toEqual([{ name: 'NVIDIA L4', driver: '550.54.15', uuid: 'GPU-5b1e2c3d' }]);
    expect(log.lines).toEqual([]);
  });

  it.each([
    ['a missing binary', Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' })],
    ['a failed exit', new Error('Command failed: nvidia-smi (exit 9)')],
    ['a timeout', Object.assign(new Error('nvidia-smi killed'), { killed: true, signal: 'SIGTERM' })],
    ['a thrown non-Error', 'boom'],
  ])('%s gives no GPUs and one debug line, no warning', async (_case, err) => {
    const log = collectingLogger();
    const gpus = await createRunnerGpuReader(log, failWith(err)).read(new AbortController().signal);
    expect(gpus).toEqual([]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(
      /^debug: nvidia-smi: not available \(.+\); the fingerprint has no GPU name or driver$/,
    );
  });

  it('garbage output gives no GPUs and one debug line', async () => {
    const log = collectingLogger();
    const gpus = await createRunnerGpuReader(log, () => Promise.resolve('No devices were found\n')).read(
      new AbortController().signal,
    );
    expect(gpus).toEqual([]);
    expect(log.lines).toEqual(['debug: nvidia-smi: no GPU listed; the fingerprint has no GPU name or driver']);
  });

  it('a logger without debug is fine', async () => {
    const log: Logger = { info: () => undefined, warn: () => undefined };
    await expect(
      createRunnerGpuReader(log, failWith(new Error('x'))).read(new AbortController().signal),
    ).resolves.toEqual([]);
  });

  it('the real nvidia-smi resolves on this machine: GPUs where there are some, else none and a debug line', async () => {
    const log = collectingLogger();
    const gpus = await createRunnerGpuReader(log).read(new AbortController().signal);
    if (gpus.length === 0) expect(log.lines.some((line) => line.startsWith('debug: nvidia-smi: '))).toBe(true);
    else expect(log.lines).toEqual([]);
  });
});
