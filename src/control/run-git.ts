/**
 * The real GitRunner of the zero-config base (read-base-model.ts): `git <args>` in the checkout,
 * stdout as bytes (model files are binary), stderr in the error. execFile, never a shell: the
 * arguments (a ref, a path) come from inputs.
 */
import { execFile } from 'node:child_process';
import type { GitRunner } from './read-base-model.js';

/** git's own buffers are unbounded; ours holds one file at most (base-model-tree.ts's cap) plus slack. */
const MAX_OUTPUT_BYTES = 1024 ** 3 + 1024 ** 2;

/** Runs git in `cwd`; rejects with git's stderr when it exits non-zero or cannot start. */
export function createGitRunner(cwd: string): GitRunner {
  return {
    run: (args) =>
      new Promise((resolve, reject) => {
        execFile(
          'git',
          [...args],
          { cwd, encoding: 'buffer', maxBuffer: MAX_OUTPUT_BYTES, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
          (err, stdout, stderr) => {
            if (err === null) {
              resolve(stdout);
              return;
            }
            const detail = stderr.toString('utf8').trim();
            reject(new Error(`git ${args[0] ?? ''} failed: ${detail === '' ? err.message : detail}`, { cause: err }));
          },
        );
      }),
  };
}
