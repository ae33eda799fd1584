// Runs before `npm test` and `npm run demo` (npm's pre-scripts): makes a fresh clone work with
// one command. Installs npm dependencies when node_modules is missing or older than the lock
// file, and checks for Chromium (render tests), installing Debian's package when root.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';

const needsChromium = process.argv.includes('--chromium');

function run(command, args, env = process.env) {
  execFileSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

// npm checks each package's `engines` against the node that runs npm. The action runs on Node 24
// (action.yml), and mermaid 12, its parser, chevrotain, commander 15, protoc-gen-es and
// content-type 3 declare Node >= 22, so installing under the system's Node 20 printed six
// EBADENGINE warnings. We install under the project-local Node 24 (scripts/node24/setup.sh): the
// system's npm, run by that node, resolves the same lock file. The tests still run on the
// system's Node too (.ci/run), which keeps the CLI's `engines` claim honest.
function node24Env() {
  const node = execFileSync('bash', ['scripts/node24/setup.sh'], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
  const bin = dirname(resolve(node));
  return { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
}

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  process.stderr.write('ensure-deps: installing npm dependencies (npm ci)\n');
  run('npm', ['ci', '--no-audit', '--no-fund'], node24Env());
}

if (needsChromium) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      process.stderr.write(
        `ensure-deps: ${chromium} not found; install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH\n`,
      );
      process.exitCode = 1;
    } else {
      process.stderr.write('ensure-deps: installing Debian chromium for the render tests\n');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
    }
  }
}
