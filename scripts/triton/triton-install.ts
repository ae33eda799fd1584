// Locates the CPU Triton that scripts/triton/setup.sh installs under .triton/ (docs/architecture.md).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the project root (the directory holding package.json). */
export const projectRoot: string = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of `.triton/`, where setup.sh installs everything and servers keep state. */
export const tritonStateDir: string = path.join(projectRoot, '.triton');

/** `.triton/server/runtime.json`, written by setup.sh: where the binaries are, how to run them. */
export interface TritonRuntime {
  readonly tritonserver: string;
  readonly backendDirectory: string;
  readonly cacheDirectory: string;
  /** nvidia_pytriton.libs plus the directory of libpython3.11.so.1.0, ':'-separated. */
  readonly ldLibraryPath: string;
  /** The venv's bin directory; first on PATH so the python stub finds the venv (see below). */
  readonly venvBin: string;
  readonly venvSitePackages: string;
}

/** Master copy of the model repository; each server works on its own copy of it. */
export const masterRepoDir: string = path.join(tritonStateDir, 'repo');

const setupScript = path.join(projectRoot, 'scripts', 'triton', 'setup.sh');
const runtimeFile = path.join(tritonStateDir, 'server', 'runtime.json');
const setupLogTailLines = 40;

/** Reads runtime.json; throws naming the file and the fix when setup has not run. */
export function readTritonRuntime(): TritonRuntime {
  let text: string;
  try {
    text = readFileSync(runtimeFile, 'utf8');
  } catch (err: unknown) {
    throw new Error(`${runtimeFile} is missing: run 'npm run triton:setup' (bash scripts/triton/setup.sh) first`, {
      cause: err,
    });
  }
  return JSON.parse(text) as TritonRuntime;
}

/**
 * Environment for tritonserver and its python stubs.
 *
 * The stub embeds libpython without telling it where a python executable is, so CPython's
 * getpath searches PATH for `python3`; with the venv's bin first it finds `.triton/venv/pyvenv.cfg`
 * and puts the venv's site-packages on sys.path (checked: sys.prefix is then the venv; without it
 * the base interpreter's sys.path is used and `import numpy` fails in the stub).
 * PYTHONHOME/PYTHONPATH from the caller's shell would override that, so they are dropped.
 */
export function tritonEnvironment(runtime: TritonRuntime): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PYTHONHOME;
  delete env.PYTHONPATH;
  delete env.VIRTUAL_ENV;
  env.PYTHONNOUSERSITE = '1';
  env.PATH = [runtime.venvBin, process.env.PATH ?? '/usr/bin:/bin'].join(path.delimiter);
  env.LD_LIBRARY_PATH = [runtime.ldLibraryPath, process.env.LD_LIBRARY_PATH]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(path.delimiter);
  return env;
}

/**
 * Runs setup.sh, which returns at once when its stamp is current. Its progress goes to stderr,
 * so `triton:start` keeps exactly one line on stdout. Rejects with the output's tail on failure.
 */
export function ensureTritonInstalled(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [setupScript], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const keep = (chunk: Buffer): void => {
      process.stderr.write(chunk);
      tail.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      tail.splice(0, Math.max(0, tail.length - setupLogTailLines));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => {
      reject(new Error(`could not run bash ${setupScript}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve();
        return;
      }
      const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      reject(new Error(`bash ${setupScript} failed with ${how}; last lines:\n${tail.join('\n')}`));
    });
  });
}
