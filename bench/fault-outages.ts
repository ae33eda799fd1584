/**
 * The outages of `npm run bench:faults` (bench/faults.ts): a server killed, stopped (SIGSTOP) or
 * stopped and then signalled while the first row is measured, each on a fresh server; and the
 * Action's branch store against a GitHub that answers 502 or nothing at all.
 */
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTriton } from '../scripts/triton/triton-server.js';
import { TritonClient } from '../src/triton/triton-client.js';
import { addModelCopy } from '../test/support/model-copy.js';
import {
  anchorTime,
  runningFlag,
  startEntry,
  watchPhases,
  type CaseResult,
  type Entry,
} from './fault-sweep-support.js';

/** The longest a case may take before it is killed (a hang). */
const HARD_LIMIT_MS = 300_000;

/** A fresh server per server fault: killed or stopped, it cannot serve the next case. */
export async function runServerFault(
  entry: Entry,
  fault: 'kill' | 'stop' | 'stop+SIGINT',
  options: { readonly checkout: string; readonly deadlineMs: number },
): Promise<CaseResult> {
  const triton = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const client = new TritonClient({ address: triton.grpcUrl, isTls: false });
  try {
    if (entry.name === 'paired-model')
      await addModelCopy(triton, 'demo_base', { parameters: { slowdown_pct: '0', slowdown_us: '0' } });
    const inputs = { ...entry.inputs, 'server-url': triton.grpcUrl };
    const timeline = watchPhases(client, 'demo_onnx');
    const run = startEntry(entry.kind, inputs, entry.isRepoBase ? options.checkout : process.cwd());
    const isRunning = runningFlag(run.done);
    const kill = setTimeout(() => run.child.kill('SIGKILL'), HARD_LIMIT_MS);
    const at = await anchorTime('measure-1', timeline.seen, isRunning, run.startedAt);
    timeline.stop();
    let faultAt: number | undefined;
    if (at !== undefined && isRunning()) {
      process.kill(triton.pid, fault === 'kill' ? 'SIGKILL' : 'SIGSTOP');
      faultAt = performance.now();
      if (fault === 'stop+SIGINT') {
        await sleep(1000);
        run.child.kill('SIGINT');
      }
    }
    const end = await run.done;
    clearTimeout(kill);
    if (fault !== 'kill') process.kill(triton.pid, 'SIGCONT');
    const verdict = run.verdict();
    const expected = fault === 'stop+SIGINT' ? 'cancelled' : 'failure';
    const saysState = /NOT restored|restored \(/.test(run.stdout() + run.stderr());
    const isDocumented = end.exitCode === 1 && verdict === expected && saysState;
    const exitMs = faultAt === undefined ? undefined : end.at - faultAt;
    const status =
      faultAt === undefined
        ? 'not reached'
        : exitMs !== undefined && exitMs > options.deadlineMs
          ? 'hang'
          : isDocumented
            ? 'ok'
            : 'wrong';
    const detail = `exit ${end.exitCode ?? end.signal}, verdict ${verdict ?? '-'}, model state ${saysState ? 'reported' : 'NOT reported'}`;
    process.stdout.write(`  ${status}: ${entry.name} ${fault}: ${detail}, ${((exitMs ?? 0) / 1000).toFixed(1)} s\n`);
    return {
      group: 'server faults',
      name: `${entry.name} ${fault}`,
      status,
      isRestored: undefined,
      isDocumented,
      exitMs,
      detail,
    };
  } finally {
    client.close();
    await triton.stop();
  }
}

/** The Action with the branch store against a GitHub that answers 502, or nothing at all. */
export async function runGitHubFault(
  mode: '5xx' | 'no answer',
  inputs: Readonly<Record<string, string>>,
): Promise<CaseResult> {
  const server = createServer((_, res) => {
    if (mode === '5xx') res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Server Error"}');
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const port = (server.address() as { port: number }).port;
  try {
    const env = { GITHUB_API_URL: `http://127.0.0.1:${port}`, GITHUB_REPOSITORY: 'octo/models' };
    const run = startEntry('action', inputs, process.cwd(), env);
    const startedAt = performance.now();
    const kill = setTimeout(() => run.child.kill('SIGKILL'), HARD_LIMIT_MS);
    const end = await run.done;
    clearTimeout(kill);
    const verdict = run.verdict();
    const isDocumented = end.exitCode === 1 && verdict === 'failure';
    const detail = `exit ${end.exitCode ?? end.signal}, verdict ${verdict ?? '-'}`;
    process.stdout.write(`  ${isDocumented ? 'ok' : 'wrong'}: action, GitHub ${mode}: ${detail}\n`);
    return {
      group: 'github faults',
      name: `action, GitHub ${mode}`,
      status: isDocumented ? 'ok' : 'wrong',
      isRestored: undefined,
      isDocumented,
      exitMs: end.at - startedAt,
      detail,
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
