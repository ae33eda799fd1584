/**
 * Runs the project-local perf_analyzer (`npm run triton:perf-analyzer`) for the benchmarks
 * (docs/client-efficiency.md): through bash so `times` reports its CPU seconds, with its
 * reported infer/sec parsed from stdout.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../scripts/triton/triton-install.js';

const run = promisify(execFile);

/** Where `npm run triton:perf-analyzer` installs it. */
export const PERF_ANALYZER = join(projectRoot, '.triton', 'bin', 'perf_analyzer');

/** What one perf_analyzer process reported. */
export interface PerfAnalyzerRun {
  /** Its figure: the mean infer/sec of its last stable measurement windows. */
  readonly inferPerSec: number;
  /** User + system CPU seconds of perf_analyzer itself (bash `times`, children's line). */
  readonly cpuSeconds: number;
  /** Decoupled models (`--streaming`): its "Response Throughput", responses/s without empty finals. */
  readonly responsesPerSec?: number;
}

/** A perf_analyzer run that failed (e.g. never stable), with the CPU it spent all the same. */
export class PerfAnalyzerFailure extends Error {
  override readonly name = 'PerfAnalyzerFailure';
  constructor(
    message: string,
    readonly cpuSeconds: number,
  ) {
    super(message);
  }
}

/** User + system seconds of bash's children: `times` prints the shell's line, then theirs (the last). */
function childCpuSeconds(stdout: string): number {
  const timesLine = stdout.trim().split('\n').slice(-1)[0] ?? '';
  const seconds = [...timesLine.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return (seconds[0] ?? 0) + (seconds[1] ?? 0);
}

/** Runs perf_analyzer once with `args` against `model` on `address` (gRPC). */
export async function runPerfAnalyzer(
  address: string,
  model: string,
  args: readonly string[],
): Promise<PerfAnalyzerRun> {
  const quoted = ['-m', model, '-i', 'grpc', '-u', address, ...args].map((a) => `'${a}'`).join(' ');
  const script = `"${PERF_ANALYZER}" ${quoted}; status=$?; times; exit $status`;
  let stdout: string;
  try {
    ({ stdout } = await run('bash', ['-c', script], { maxBuffer: 16 * 1024 * 1024 }));
  } catch (err: unknown) {
    const out = err instanceof Error && 'stdout' in err && typeof err.stdout === 'string' ? err.stdout : '';
    throw new PerfAnalyzerFailure(`perf_analyzer failed:\n${out.slice(-2000)}`, childCpuSeconds(out));
  }
  const throughput = /Throughput: ([\d.]+) infer\/sec/.exec(stdout);
  if (throughput === null) {
    throw new PerfAnalyzerFailure(
      `perf_analyzer printed no throughput:\n${stdout.slice(-2000)}`,
      childCpuSeconds(stdout),
    );
  }
  const responses = /Response Throughput: ([\d.]+) infer\/sec/.exec(stdout);
  return {
    inferPerSec: Number(throughput[1]),
    cpuSeconds: childCpuSeconds(stdout),
    ...(responses === null ? {} : { responsesPerSec: Number(responses[1]) }),
  };
}

/**
 * perf_analyzer with its own stability rule (3 windows within ±10 %), relaxed to ±50 % with a
 * message on stderr when this shared machine never gives 3 stable windows. `cpuSeconds` covers
 * both attempts, as the requests a caller counts on the server around this call do.
 */
export async function runPerfAnalyzerStable(
  address: string,
  model: string,
  args: readonly string[],
  what: string,
): Promise<PerfAnalyzerRun> {
  try {
    return await runPerfAnalyzer(address, model, args);
  } catch (err: unknown) {
    if (!(err instanceof PerfAnalyzerFailure)) throw err;
    process.stderr.write(`perf_analyzer not stable within ±10% (${what}): re-run with --stability-percentage 50\n`);
    const second = await runPerfAnalyzer(address, model, [...args, '--stability-percentage', '50']);
    return { ...second, cpuSeconds: second.cpuSeconds + err.cpuSeconds };
  }
}
