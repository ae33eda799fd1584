#!/usr/bin/env bash
# Installs actionlint (the GitHub Actions workflow linter) pinned and project-local, the way
# scripts/node24/setup.sh installs Node 24:
#   .actionlint/bin/actionlint  built by `go install` from the Go module proxy (a registry, so
#                               no download of a prebuilt binary from anywhere else)
# Go's module and build caches stay where `go env` puts them (shared by every checkout).
# Idempotent: a rerun with the pinned version in place prints the path and returns at once.
# Prints the binary's path on stdout; everything else goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="$root/.actionlint"
bin="$state/bin/actionlint"
version=1.7.12

die() { printf 'actionlint setup: error: %s\n' "$*" >&2; exit 1; }
installed() { [ -x "$bin" ] && [ "$("$bin" -version 2>/dev/null | head -n 1)" = "v$version" ]; }

if installed; then
  printf '%s\n' "$bin"
  exit 0
fi

mkdir -p "$state"
# Two callers at once (npm test's pretest and a lint run) must not build it twice.
exec 9>"$state/setup.lock"
flock 9
if ! installed; then
  command -v go >/dev/null 2>&1 || die "go not found: actionlint $version is built from source with the Go toolchain (https://go.dev/doc/install)"
  printf 'actionlint setup: go install actionlint v%s into %s\n' "$version" "$state/bin" >&2
  GOBIN="$state/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@v$version" >&2 \
    || die "go install github.com/rhysd/actionlint/cmd/actionlint@v$version failed"
  installed || die "$bin does not report v$version"
fi
printf '%s\n' "$bin"
