/**
 * The real GitRunner of the zero-config base (read-base-model.ts): `git <args>` in the checkout,
 * stdout as bytes (model files are binary), stderr in the error. execFile, never a shell: the
 * arguments (a ref, a path) come from inputs.
 */
import { execFile } from 'node:child_process';
import type { GitRunner } from './git-runner.js';

/** git's own buffers are unbounded; ours holds one file at most (base-model-tree.ts's cap) plus slack. */
const MAX_OUTPUT_BYTES = 1024 ** 3 + 1024 ** 2;

/**
 * Runs git in `cwd` with `env` (default: this process's); rejects with git's stderr when it
 * exits non-zero or cannot start. Never prompts for credentials, and never lets
 * GIT_LFS_SKIP_SMUDGE (set on some runners to speed up checkouts) turn `git lfs smudge` into a
 * no-op: the zero-config base needs the files (read-lfs-file.ts).
 */
export function createGitRunner(cwd: string, env: NodeJS.ProcessEnv = process.env): GitRunner {
  const gitEnv = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '0' };
  return {
    run: (args, input) =>
      new Promise((resolve, reject) => {
        const child = execFile(
          'git',
          [...args],
          { cwd, encoding: 'buffer', maxBuffer: MAX_OUTPUT_BYTES, env: gitEnv },
          (err, stdout, stderr) => {
            if (err === null) {
              resolve(stdout);
              return;
            }
            const detail = stderr.toString('utf8').trim();
            reject(new Error(`git ${args[0] ?? ''} failed: ${detail === '' ? err.message : detail}`, { cause: err }));
          },
        );
        // git may exit before reading all of stdin (a bad pointer): EPIPE then is not the failure to report.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(input);
      }),
  };
}
