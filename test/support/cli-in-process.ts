/**
 * Runs the CLI's `main(argv)` (src/cli/cli-main.ts) in the test process, capturing what it
 * writes to stdout and stderr: the same code path as `triton-throughput-gate <argv>` without
 * a process start per case (tens of bad inputs stay cheap). Calls must not overlap: the
 * capture swaps `process.stdout.write` for the duration of one call.
 */
import { main } from '../../src/cli/cli-main.js';

/** What one CLI call returned and printed. */
export interface CliOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Write = typeof process.stdout.write;

let isRunning = false;

/** Runs `main(argv)`; resolves with its exit code and output. */
export async function runCliInProcess(argv: readonly string[]): Promise<CliOutcome> {
  if (isRunning) throw new Error('runCliInProcess: calls must not overlap (stdout is captured globally)');
  isRunning = true;
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  // Reflect.get: the very function objects, to put back unchanged (not bound copies).
  const originals = {
    stdout: Reflect.get<typeof process.stdout, 'write'>(process.stdout, 'write'),
    stderr: Reflect.get<typeof process.stderr, 'write'>(process.stderr, 'write'),
  };
  const capture =
    (into: string[]): Write =>
    (chunk: string | Uint8Array) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  process.stdout.write = capture(chunks.stdout);
  process.stderr.write = capture(chunks.stderr);
  try {
    const exitCode = await main(argv);
    return { exitCode, stdout: chunks.stdout.join(''), stderr: chunks.stderr.join('') };
  } finally {
    process.stdout.write = originals.stdout;
    process.stderr.write = originals.stderr;
    isRunning = false;
  }
}
