// Runs before `npm test` and `npm run demo` (npm's pre-scripts): makes a fresh clone work with
// one command. Installs npm dependencies when node_modules is missing or older than the lock
// file, and checks for Chromium (render tests, `--chromium`) and git-lfs (the zero-config base's
// Git LFS tests, `--git-lfs`), installing Debian's package when root.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';

const needsChromium = process.argv.includes('--chromium');
const needsGitLfs = process.argv.includes('--git-lfs');

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
const isStale = !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs;
if (isStale && existsSync('node_modules') && lstatSync('node_modules').isSymbolicLink()) {
  // A checkout sharing another's install (a git worktree): `npm ci` here empties the linked
  // directory for every checkout that shares it, so it is never run through the link.
  process.stderr.write(
    `ensure-deps: node_modules links to ${realpathSync('node_modules')}, older than package-lock.json here; not reinstalling through the link (run npm ci where it points, or remove the link)\n`,
  );
} else if (isStale) {
  process.stderr.write('ensure-deps: installing npm dependencies (npm ci)\n');
  run('npm', ['ci', '--no-audit', '--no-fund'], node24Env());
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let isAptUpdated = false;

/** Installs Debian's `pkg` when root, else says how and fails the pre-script. */
function installDebianPackage(pkg, what, manualHint) {
  if (!isRoot) {
    process.stderr.write(`ensure-deps: ${what} not found; ${manualHint}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`ensure-deps: installing Debian ${pkg} for ${what}\n`);
  if (!isAptUpdated) run('apt-get', ['update', '-qq']);
  isAptUpdated = true;
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg]);
}

if (needsChromium) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    installDebianPackage(
      'chromium',
      'the render tests',
      `${chromium} is missing: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
}

if (needsGitLfs) {
  let hasGitLfs = true;
  try {
    execFileSync('git', ['lfs', 'version'], { stdio: 'ignore' });
  } catch {
    hasGitLfs = false;
  }
  if (!hasGitLfs)
    installDebianPackage('git-lfs', 'the Git LFS tests', "install Debian's git-lfs (apt-get install git-lfs)");
}
