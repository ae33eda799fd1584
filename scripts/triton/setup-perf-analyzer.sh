#!/usr/bin/env bash
# Installs NVIDIA perf_analyzer 2.60.0 for benchmarks only (never needed by tests):
#   .triton/perf-analyzer/   the PyPI wheel's binary plus a private Debian 13 (trixie) runtime
#   .triton/bin/perf_analyzer wrapper that runs the binary through that runtime's loader
# Why: PyPI `perf-analyzer` ships only manylinux_2_38 wheels; the binary needs GLIBC_2.38 and
# GLIBCXX_3.4.32, which Debian 12 (glibc 2.36, GCC 12) lacks. trixie's libc6/libstdc++6/libgcc-s1
# are unpacked into a private root and used through its ld.so; the system is not touched.
# Idempotent (stamp). The Debian mirror is the one this machine's apt uses (debian-mirror.sh reads
# the apt configuration); TRITON_DEBIAN_MIRROR overrides it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
version=2.60.0
dest="$root/.triton/perf-analyzer"
wrapper="$root/.triton/bin/perf_analyzer"
stamp="$dest/setup.stamp"
mirror=$(bash "$here/debian-mirror.sh") || exit 1
runtime_debs=(libc6 libstdc++6 libgcc-s1)

say() { printf 'perf_analyzer setup: %s\n' "$*"; }
die() { printf 'perf_analyzer setup: error: %s\n' "$*" >&2; exit 1; }
step() {
  local label=$1 started=$EPOCHREALTIME
  shift
  "$@"
  say "$(printf '%-40s %6.1f s' "$label" "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')")"
}

[ "$(uname -m)" = x86_64 ] || die "only x86_64 is handled (the wheel tag is manylinux_2_38_x86_64)"
command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null || die "needs apt-get and dpkg-deb (Debian/Ubuntu)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "$keyring is missing (apt-get install debian-archive-keyring)"

wanted_stamp="$version $(sha256sum "$here/setup-perf-analyzer.sh" | cut -c1-16) $mirror"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted_stamp" ] && [ -x "$wrapper" ]; then
  say "up to date ($("$wrapper" --version 2>&1 | head -1))"
  exit 0
fi
rm -f "$stamp"

python=python3
[ -x "$root/.triton/venv/bin/python" ] && python="$root/.triton/venv/bin/python"

fetch_wheel() {
  rm -rf "$dest/wheel" "$dest/pa"
  mkdir -p "$dest/wheel"
  # --platform/--only-binary: pip would otherwise skip a wheel this machine's glibc cannot run.
  PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip download --quiet --no-deps \
    --only-binary=:all: --platform manylinux_2_38_x86_64 -d "$dest/wheel" "perf-analyzer==$version"
  "$python" -m zipfile -e "$dest/wheel"/perf_analyzer-"$version"-*.whl "$dest/pa"
  chmod +x "$dest/pa/perf_analyzer/bin/perf_analyzer"
}

fetch_runtime() {
  local apt="$dest/apt"
  rm -rf "$apt" "$dest/debs" "$dest/root"
  mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$dest/debs" "$dest/root"
  printf 'deb [signed-by=%s] %s trixie main\n' "$keyring" "$mirror" >"$apt/sources.list"
  # Private lists and cache: the system's sources and dpkg database are neither read nor changed.
  local opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=-
    -o "Dir::State=$apt/state" -o "Dir::Cache=$apt/cache" -o APT::Get::List-Cleanup=0
    -o APT::Sandbox::User=root -qq)
  apt-get "${opts[@]}" update </dev/null >/dev/null
  (cd "$dest/debs" && apt-get "${opts[@]}" download "${runtime_debs[@]}" </dev/null >/dev/null)
  local deb
  for deb in "$dest/debs"/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
  (cd "$dest/debs" && ls) >"$dest/runtime-debs.txt"
  rm -rf "$apt" "$dest/debs"
}

write_wrapper() {
  mkdir -p "$(dirname "$wrapper")"
  local lib="$dest/root/usr/lib/x86_64-linux-gnu"
  # System directories come last: libssl3 and zlib1g are taken from Debian 12 itself.
  cat >"$wrapper" <<EOF
#!/bin/sh
# Written by scripts/triton/setup-perf-analyzer.sh: perf_analyzer $version through trixie's loader.
exec "$lib/ld-linux-x86-64.so.2" --argv0 perf_analyzer \\
  --library-path "$lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" \\
  "$dest/pa/perf_analyzer/bin/perf_analyzer" "\$@"
EOF
  chmod +x "$wrapper"
  "$wrapper" --version >/dev/null 2>&1 || die "$wrapper --version failed:
$("$wrapper" --version 2>&1 | tail -5)"
}

mkdir -p "$dest"
step "pip download perf-analyzer==$version" fetch_wheel
step "trixie ${runtime_debs[*]}" fetch_runtime
step "wrapper .triton/bin/perf_analyzer" write_wrapper
printf '%s\n' "$wanted_stamp" >"$stamp"
say "ready: $("$wrapper" --version 2>&1 | head -1); runtime $(tr '\n' ' ' <"$dest/runtime-debs.txt")"
