/**
 * Asks `nvidia-smi` on the runner which GPUs it has (docs/baseline-store.md#fingerprint). Never
 * fatal: a runner without the binary (every hosted runner, the CPU test server), a driver that
 * does not answer or text we cannot read gives no GPUs and one debug line, and the run goes on.
 */
import { execFile } from 'node:child_process';
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import { parseNvidiaSmiGpus, type RunnerGpu } from './parse-nvidia-smi.js';

/** Reads the runner's GPUs. */
export interface RunnerGpuReader {
  /** Resolves with the GPUs seen (possibly none); never rejects. */
  read(signal: AbortSignal): Promise<readonly RunnerGpu[]>;
}

/** Runs a program without a shell; resolves with its stdout, rejects on failure or exit code ≠ 0. */
export type ExecText = (
  file: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
) => Promise<string>;

/** The query: one CSV line per GPU, no header (parse-nvidia-smi.ts reads it). */
export const NVIDIA_SMI_ARGS = ['--query-gpu=name,driver_version,uuid', '--format=csv,noheader'] as const;

/** A hung driver must not hold the run: nvidia-smi answers in well under a second when it works. */
const TIMEOUT_MS = 10_000;

/** The reader over `nvidia-smi` (found on PATH); `exec` is swapped in tests. */
export function createRunnerGpuReader(log: Logger, exec: ExecText = execText): RunnerGpuReader {
  return {
    async read(signal: AbortSignal): Promise<readonly RunnerGpu[]> {
      let text: string;
      try {
        text = await exec('nvidia-smi', NVIDIA_SMI_ARGS, { timeoutMs: TIMEOUT_MS, signal });
      } catch (err: unknown) {
        log.debug?.(`nvidia-smi: not available (${errorMessage(err)}); the fingerprint has no GPU name or driver`);
        return [];
      }
      const gpus = parseNvidiaSmiGpus(text);
      if (gpus.length === 0) log.debug?.('nvidia-smi: no GPU listed; the fingerprint has no GPU name or driver');
      return gpus;
    },
  };
}

/** `execFile` as a promise of stdout (bounded: a few lines per GPU). */
const execText: ExecText = (file, args, options) =>
  new Promise<string>((resolve, reject) => {
    const settings = {
      encoding: 'utf8',
      timeout: options.timeoutMs,
      signal: options.signal,
      maxBuffer: 64 * 1024,
      windowsHide: true,
    } as const;
    execFile(file, [...args], settings, (err: Error | null, stdout: string) => {
      if (err !== null) reject(err);
      else resolve(stdout);
    });
  });
