/**
 * The real CommandRunner: `sh -c <command>` with extra environment, a timeout, abort on
 * signal, and the last lines of its output kept for the error message. The child is killed in
 * every exit path.
 */
import { spawn } from 'node:child_process';
import type { CommandRunner } from './model-controller.js';

const TAIL_CHARS = 2000;

/** Runs a shell command; resolves with its exit code (124 on timeout, like `timeout(1)`). */
export const runShellCommand: CommandRunner = (command, env, options) =>
  new Promise((resolve, reject) => {
    // Its own process group, so a timeout or abort kills what the command started too (a child
    // holding the output pipe open would otherwise outlive load-timeout-s).
    const child = spawn('sh', ['-c', command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone (ESRCH): nothing to kill.
      }
    };
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      killGroup('SIGKILL');
    }, options.timeoutMs);
    const onAbort = (): void => {
      killGroup('SIGTERM');
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    child.on('error', (err) => {
      cleanup();
      reject(err);
    });
    child.on('close', (code) => {
      cleanup();
      resolve({ exitCode: isTimedOut ? 124 : (code ?? 1), outputTail: tail.trim() });
    });
  });
