/**
 * `npm run bench:faults` (issue 20; docs/reliability.md, "Fault sweep"): the interrupt time
 * swept over a run's whole life on the real CPU Triton, for the CLI, the Action and paired runs
 * with both kinds of base side (`baseline-model`, and the zero-config base loaded from a git
 * checkout), with SIGINT, SIGTERM, SIGHUP and a double signal (SIGINT, then SIGTERM 300 ms
 * later, as GitHub cancels). The signal lands before the handlers exist, every 100 ms through
 * the first row's load, while the first row is measured, at and after the second row's load,
 * while it is measured, and during the final restore. Then server faults (killed, stopped,
 * stopped and signalled) and GitHub faults (5xx, no answer) for the Action.
 * After every case: every model exactly as before (field by field), the exit code and verdict
 * as documented, and the process gone before the deadline. Prints the counts and the worst time
 * from the (last) signal or fault to the process's end; exits 1 when any case is wrong.
 * Flags: --quick (every 300 ms, SIGINT and double only), --entries cli,action,paired-model,paired-repo,
 * --no-server-faults, --no-github-faults.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ensureTritonInstalled, startTriton, type TritonProcess } from '../scripts/triton/triton-server.js';
import { TritonClient } from '../src/triton/triton-client.js';
import { addModelCopy } from '../test/support/model-copy.js';
import {
  anchorTime,
  differences,
  reset,
  runningFlag,
  snapshot,
  startEntry,
  watchPhases,
  type CaseResult,
  type Entry,
  type WatchedModel,
} from './fault-sweep-support.js';
import { runGitHubFault, runServerFault } from './fault-outages.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    entries: { type: 'string', default: 'cli,action,paired-model,paired-repo' },
    'no-server-faults': { type: 'boolean', default: false },
    'no-github-faults': { type: 'boolean', default: false },
  },
});

const MATRIX = {
  model: 'demo_onnx',
  'batch-strategy': 'reload',
  'max-batch': '8,16',
  users: '1',
  requests: '200',
  trials: '3',
  'warmup-requests': '16',
  'max-reruns': '0',
  'metrics-url': 'none',
  'load-timeout-s': '60',
  'request-timeout-ms': '5000',
  'lock-timeout-s': '30',
};
const ROUNDS = { 'min-rounds': '3', 'max-rounds': '3' };
/** docs/reliability.md: 2 loads (4 with a zero-config base) of 60 s, plus 30 s to publish. */
const DEADLINE_MS = { plain: 150_000, repo: 270_000 };
const HARD_LIMIT_MS = 300_000;

function entries(address: string, checkout: string): Entry[] {
  const server = { 'server-url': address };
  const head: WatchedModel = { name: 'demo_onnx', isInIndex: true };
  const all: Entry[] = [
    { name: 'cli', kind: 'cli', inputs: { ...MATRIX, ...server }, models: [head], isRepoBase: false },
    {
      name: 'action',
      kind: 'action',
      inputs: { ...MATRIX, ...server, 'baseline-store': 'none', comment: 'never' },
      models: [head],
      isRepoBase: false,
    },
    {
      name: 'paired-model',
      kind: 'cli',
      inputs: { ...MATRIX, ...ROUNDS, ...server, 'baseline-model': 'demo_base' },
      models: [head, { name: 'demo_base', isInIndex: true }],
      isRepoBase: false,
    },
    {
      name: 'paired-repo',
      kind: 'action',
      inputs: {
        ...MATRIX,
        ...ROUNDS,
        ...server,
        'model-repository': join(checkout, 'models'),
        'baseline-ref': 'HEAD',
        'baseline-store': 'none',
        comment: 'never',
      },
      models: [head, { name: 'demo_onnx__base', isInIndex: false }],
      isRepoBase: true,
    },
  ];
  const wanted = flags.entries.split(',');
  return all.filter((entry) => wanted.includes(entry.name));
}

type SignalKind = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'double';
interface Moment {
  readonly phase: string;
  readonly anchor: string;
  readonly offsetMs: number;
}

function moments(): Moment[] {
  const step = flags.quick ? 300 : 100;
  const load = Array.from({ length: Math.floor(1500 / step) + 1 }, (_, i) => ({
    phase: `first load +${i * step} ms`,
    anchor: 'unload-1',
    offsetMs: i * step,
  }));
  return [
    { phase: 'startup (no handlers yet)', anchor: 'spawn', offsetMs: 150 },
    ...load,
    { phase: 'measuring row 1', anchor: 'measure-1', offsetMs: 200 },
    { phase: 'second load', anchor: 'unload-2', offsetMs: 0 },
    { phase: 'second load +500 ms', anchor: 'unload-2', offsetMs: 500 },
    { phase: 'measuring row 2', anchor: 'measure-2', offsetMs: 200 },
    { phase: 'final restore', anchor: 'unload-3', offsetMs: 0 },
    { phase: 'final restore +300 ms', anchor: 'unload-3', offsetMs: 300 },
  ];
}

const results: CaseResult[] = [];

/** The documented ends: cancelled → 1; a verdict printed before the signal → its own code; killed before the handlers → no output. */
function isDocumentedEnd(
  end: { exitCode: number | null; signal: NodeJS.Signals | null },
  verdict: string | undefined,
  output: string,
  expectCancel: boolean,
): boolean {
  if (end.signal !== null) return verdict !== undefined || output.trim() === '';
  if (verdict === undefined) return false;
  if (verdict === 'cancelled') return end.exitCode === 1;
  if (expectCancel) return verdict === 'pass' ? end.exitCode === 0 : end.exitCode === 1; // signalled after the run ended
  return end.exitCode === (verdict === 'pass' || verdict === 'calibrating' ? 0 : 1);
}

async function runSignalCase(
  entry: Entry,
  signal: SignalKind,
  moment: Moment,
  client: TritonClient,
  cwd: string,
): Promise<void> {
  const before = await snapshot(client, entry.models);
  const timeline = watchPhases(client, 'demo_onnx');
  const run = startEntry(entry.kind, entry.inputs, cwd);
  const isRunning = runningFlag(run.done);
  const kill = setTimeout(() => run.child.kill('SIGKILL'), HARD_LIMIT_MS);
  const at = await anchorTime(moment.anchor, timeline.seen, isRunning, run.startedAt);
  let lastSignalAt: number | undefined;
  if (at !== undefined) {
    await sleep(Math.max(0, at + moment.offsetMs - performance.now()));
    if (isRunning()) {
      run.child.kill(signal === 'double' ? 'SIGINT' : signal);
      lastSignalAt = performance.now();
      if (signal === 'double') {
        await sleep(300);
        if (isRunning()) {
          run.child.kill('SIGTERM');
          lastSignalAt = performance.now();
        }
      }
    }
  }
  const end = await run.done;
  clearTimeout(kill);
  timeline.stop();
  const after = await snapshot(client, entry.models);
  const problems = differences(before, after);
  if (problems.length > 0) await reset(client, before);
  const name = `${entry.name} ${signal} ${moment.phase}`;
  const exitMs = lastSignalAt === undefined ? undefined : end.at - lastSignalAt;
  const deadline = entry.isRepoBase ? DEADLINE_MS.repo : DEADLINE_MS.plain;
  const isDocumented = isDocumentedEnd(end, run.verdict(), run.stdout() + run.stderr(), true);
  const status =
    lastSignalAt === undefined
      ? 'not reached'
      : exitMs !== undefined && exitMs > deadline
        ? 'hang'
        : problems.length > 0 || !isDocumented
          ? 'wrong'
          : 'ok';
  const detail = `exit ${end.exitCode ?? end.signal}, verdict ${run.verdict() ?? '-'}${problems.length > 0 ? `; ${problems.join('; ')}` : ''}`;
  results.push({
    group: `signals/${entry.name}`,
    name,
    status,
    isRestored: problems.length === 0,
    isDocumented,
    exitMs,
    detail,
  });
  if (status !== 'ok')
    process.stdout.write(
      `  ${status}: ${name}: ${detail}\n${status === 'wrong' ? run.stderr().split('\n').slice(-6).join('\n') : ''}\n`,
    );
}

function summarize(): boolean {
  const groups = [...new Set(results.map((r) => r.group))];
  process.stdout.write(
    '\n| group | cases | reached | restored exactly | exit code and verdict as documented | hang | wrong | worst time to exit (s) |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n',
  );
  for (const group of [...groups, 'all']) {
    const rows = results.filter((r) => group === 'all' || r.group === group);
    const reached = rows.filter((r) => r.status !== 'not reached');
    const restored = reached.filter((r) => r.isRestored === true).length;
    const checked = reached.filter((r) => r.isRestored !== undefined).length;
    const worst = Math.max(0, ...reached.map((r) => r.exitMs ?? 0)) / 1000;
    process.stdout.write(
      `| ${group} | ${rows.length} | ${reached.length} | ${checked === 0 ? '—' : `${restored}/${checked}`} | ${reached.filter((r) => r.isDocumented).length}/${reached.length} | ${reached.filter((r) => r.status === 'hang').length} | ${reached.filter((r) => r.status === 'wrong').length} | ${worst.toFixed(1)} |\n`,
    );
  }
  return results.every((r) => r.status === 'ok' || r.status === 'not reached');
}

async function main(): Promise<void> {
  await ensureTritonInstalled();
  const triton: TritonProcess = await startTriton({ grpcPort: 0, httpPort: 0, metricsPort: 0, models: ['demo_onnx'] });
  const client = new TritonClient({ address: triton.grpcUrl, isTls: false });
  const checkout = await mkdtemp(join(tmpdir(), 'ttg-faults-checkout-'));
  try {
    await addModelCopy(triton, 'demo_base', { parameters: { slowdown_pct: '0', slowdown_us: '0' } });
    await cp(join(triton.repoDir, 'demo_onnx'), join(checkout, 'models', 'demo_onnx'), { recursive: true });
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
        cwd: checkout,
        stdio: 'pipe',
      });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const signals: SignalKind[] = flags.quick ? ['SIGINT', 'double'] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'double'];
    const started = performance.now();
    for (const entry of entries(triton.grpcUrl, checkout)) {
      process.stdout.write(`${entry.name}: ${signals.length} signals × ${moments().length} moments\n`);
      for (const signal of signals)
        for (const moment of moments())
          await runSignalCase(entry, signal, moment, client, entry.isRepoBase ? checkout : process.cwd());
    }
    if (!flags['no-server-faults'])
      for (const entry of entries(triton.grpcUrl, checkout))
        for (const fault of ['kill', 'stop', 'stop+SIGINT'] as const)
          results.push(await runServerFault(entry, fault, { checkout, deadlineMs: DEADLINE_MS.plain }));
    if (!flags['no-github-faults']) {
      const inputs = { ...MATRIX, 'server-url': triton.grpcUrl, 'max-batch': '8', 'github-token': 'fake-token' };
      for (const mode of ['5xx', 'no answer'] as const)
        results.push(await runGitHubFault(mode, { ...inputs, comment: 'never' }));
    }
    process.stdout.write(`\nswept in ${((performance.now() - started) / 60_000).toFixed(1)} min\n`);
  } finally {
    client.close();
    await triton.stop();
  }
  process.exitCode = summarize() ? 0 : 1;
}

await main();
