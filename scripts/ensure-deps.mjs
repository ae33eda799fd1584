// Runs before `npm test` and `npm run demo` (npm's pre-scripts): makes a fresh clone work with
// one command. Installs npm dependencies when node_modules is missing or older than the lock
// file, and checks for Chromium (render tests), installing Debian's package when root.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const needsChromium = process.argv.includes('--chromium');

function run(command, args) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  process.stderr.write('ensure-deps: installing npm dependencies (npm ci)\n');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

if (needsChromium) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      process.stderr.write(`ensure-deps: ${chromium} not found; install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write('ensure-deps: installing Debian chromium for the render tests\n');
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
    }
  }
}
