#!/usr/bin/env bash
# Installs a real CPU-only Triton for tests and benchmarks (docs/architecture.md, docs/real-triton.md):
#   .triton/venv     python 3.11 venv with the pins of requirements.txt
#   .triton/server   tritonserver tree from the nvidia-pytriton wheel, with the 3.11 python stub
#                    and runtime.json (paths and LD_LIBRARY_PATH for scripts/triton/triton-server.ts)
#   .triton/repo     model repository written by make_repo.py
# Idempotent: a stamp of requirements, this script and the model sources makes reruns instant.
# Environment: TRITON_PYTHON (default python3.11), PIP_CACHE_DIR (default .triton/cache/pip).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="$root/.triton"
venv="$state/venv"
server="$state/server"
repo="$state/repo"
stamp="$state/setup.stamp"
python_bin="${TRITON_PYTHON:-python3.11}"
libpython=libpython3.11.so.1.0

say() { printf 'triton setup: %s\n' "$*"; }
die() { printf 'triton setup: error: %s\n' "$*" >&2; exit 1; }

# Runs "$@" and prints one line with its wall time, so slow CI steps are visible in the log.
step() {
  local label=$1 started=$EPOCHREALTIME
  shift
  "$@"
  say "$(printf '%-44s %6.1f s' "$label" "$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')")"
}

can_apt_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  # Non-interactive on purpose: CI runs with no stdin. The update is needed on fresh images,
  # whose package lists are empty.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

mkdir -p "$state"
# Two callers at once (a test run and `npm run triton:start`) must not build the venv twice.
exec 9>"$state/setup.lock"
flock 9

# --- python 3.11 ----------------------------------------------------------------------------
command -v "$python_bin" >/dev/null 2>&1 \
  || die "$python_bin not found on PATH. The wheel's python-backend stub is built for CPython 3.11:
  Debian/Ubuntu: apt-get install -y python3.11 python3.11-venv libpython3.11
  or point TRITON_PYTHON at a python3.11 executable."
py_info=$("$python_bin" -c 'import os, sys, sysconfig
assert sys.version_info[:2] == (3, 11), sys.version
print(os.path.realpath(sys.executable)); print(sysconfig.get_config_var("LIBDIR") or ""); print(sys.version.split()[0])' 2>&1) \
  || die "$python_bin is not CPython 3.11 ($py_info); set TRITON_PYTHON to a python3.11 executable"
python_exe=$(sed -n 1p <<<"$py_info")
python_libdir=$(sed -n 2p <<<"$py_info")
python_version=$(sed -n 3p <<<"$py_info")

# --- libpython3.11.so.1.0 (the stub links it dynamically; the wheel does not ship it) ---------
find_libpython() {
  if [ -n "$python_libdir" ] && [ -e "$python_libdir/$libpython" ]; then
    printf '%s\n' "$python_libdir"
    return
  fi
  # A python built without --enable-shared: fall back to the distribution's libpython.
  local cached
  cached=$(/sbin/ldconfig -p 2>/dev/null | awk -v lib="$libpython" '$1 == lib && /x86-64|AArch64/ { print $NF; exit }')
  [ -n "$cached" ] && dirname "$cached"
  return 0
}
libpython_dir=$(find_libpython)
if [ -z "$libpython_dir" ]; then
  can_apt_install || die "$libpython not found (not in $python_exe's LIBDIR '${python_libdir:-none}', not in the ld.so cache).
  tritonserver's python backend stub needs it. Fix one of:
    apt-get install -y libpython3.11   (as root, Debian/Ubuntu)
    a python 3.11 built with --enable-shared (pyenv: PYTHON_CONFIGURE_OPTS=--enable-shared), via TRITON_PYTHON"
  step "apt-get install libpython3.11" apt_install libpython3.11
  libpython_dir=$(find_libpython)
  [ -n "$libpython_dir" ] || die "apt-get installed libpython3.11 but $libpython is still not in the ld.so cache"
fi

venv_hash=$(printf '%s\n%s\n%s\n' "$python_exe" "$python_version" "$root" | hash_of - "$here/requirements.txt" "$here/setup.sh")
repo_hash=$(cd "$here" && find make_repo.py model_kinds.py models -type f -not -name '*.pyc' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | hash_of -)
wanted_stamp="venv $venv_hash
repo $repo_hash"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted_stamp" ] \
  && [ -x "$venv/bin/python" ] && [ -f "$server/runtime.json" ] && [ -d "$repo" ]; then
  say "up to date ($state)"
  exit 0
fi
old_stamp=$(cat "$stamp" 2>/dev/null || true)
rm -f "$stamp"

# --- venv ------------------------------------------------------------------------------------
make_venv() {
  rm -rf "$venv"
  if ! "$python_bin" -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    can_apt_install || die "'$python_bin -m venv' failed (Debian/Ubuntu: apt-get install -y python3.11-venv)"
    apt_install python3.11-venv
    "$python_bin" -m venv "$venv"
  fi
}

pip_install() {
  # --no-deps over a fully pinned closure: see requirements.txt. Only wheels, never a build.
  PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CACHE_DIR="${PIP_CACHE_DIR:-$state/cache/pip}" \
    "$venv/bin/python" -m pip install --quiet --no-deps --only-binary=:all: -r "$here/requirements.txt"
  "$venv/bin/python" -c 'import numpy, onnx, onnxruntime' \
    || die "the venv cannot import numpy, onnx and onnxruntime after pip install"
}

site_packages() { "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }

prepare_server() {
  local site wheel_tree libs stub
  site=$(site_packages)
  wheel_tree="$site/pytriton/tritonserver"
  libs="$site/nvidia_pytriton.libs"
  stub="$wheel_tree/python_backend_stubs/3.11/triton_python_backend_stub"
  [ -x "$wheel_tree/bin/tritonserver" ] && [ -f "$stub" ] \
    || die "nvidia-pytriton did not install $wheel_tree/bin/tritonserver and the 3.11 stub"
  rm -rf "$server"
  mkdir -p "$server"
  # A copy, as PyTriton itself does: the stub must sit inside the backend directory, and the
  # wheel's own tree stays pristine for the next venv rebuild.
  cp -a "$wheel_tree/bin" "$wheel_tree/backends" "$wheel_tree/caches" "$server/"
  rm -rf "$server/backends/python/__pycache__"
  cp "$stub" "$server/backends/python/triton_python_backend_stub"
  chmod +x "$server/backends/python/triton_python_backend_stub"

  # The copies lose the wheel's $ORIGIN-relative RPATH, hence LD_LIBRARY_PATH; libpython comes
  # from the venv's own base python so the embedded interpreter matches the venv's stdlib.
  local ld_path="$libs:$libpython_dir" missing
  missing=$(LD_LIBRARY_PATH="$ld_path" ldd "$server/bin/tritonserver" \
    "$server/backends/python/libtriton_python.so" \
    "$server/backends/python/triton_python_backend_stub" 2>&1 | grep 'not found' || true)
  [ -z "$missing" ] || die "unresolved shared libraries with LD_LIBRARY_PATH=$ld_path:
$missing"

  RUNTIME_SERVER="$server" RUNTIME_LD_PATH="$ld_path" RUNTIME_VENV="$venv" RUNTIME_SITE="$site" \
    "$venv/bin/python" - "$server/runtime.json" <<'PY'
import json, os, sys
env = os.environ
json.dump({
    "tritonserver": env["RUNTIME_SERVER"] + "/bin/tritonserver",
    "backendDirectory": env["RUNTIME_SERVER"] + "/backends",
    "cacheDirectory": env["RUNTIME_SERVER"] + "/caches",
    "ldLibraryPath": env["RUNTIME_LD_PATH"],
    "venvBin": env["RUNTIME_VENV"] + "/bin",
    "venvSitePackages": env["RUNTIME_SITE"],
}, open(sys.argv[1], "w"), indent=2)
PY
}

make_repo() {
  rm -rf "$repo" "$repo.tmp"
  "$venv/bin/python" "$here/make_repo.py" --out "$repo.tmp"
  mv "$repo.tmp" "$repo"
}

rebuilt_venv=false
if [ "$(sed -n 1p <<<"$old_stamp")" != "venv $venv_hash" ] || [ ! -x "$venv/bin/python" ] || [ ! -f "$server/runtime.json" ]; then
  step "python $python_version venv -> .triton/venv" make_venv
  step "pip install -r requirements.txt" pip_install
  step "tritonserver tree -> .triton/server" prepare_server
  rebuilt_venv=true
fi
if $rebuilt_venv || [ "$(sed -n 2p <<<"$old_stamp")" != "repo $repo_hash" ] || [ ! -d "$repo" ]; then
  step "model repository -> .triton/repo" make_repo
fi
printf '%s\n' "$wanted_stamp" >"$stamp"
say "ready ($state)"
