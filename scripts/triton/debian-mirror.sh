#!/usr/bin/env bash
# Prints the Debian mirror this machine's apt already uses, for setup-perf-analyzer.sh: the
# Repo-URI of the first `deb` source with the main component of a Debian release (not its
# -security/-updates/-backports suites). apt itself parses the configuration (apt-get
# indextargets: one-line /etc/apt/sources.list and *.list, deb822 *.sources, `Enabled: no`,
# APT_CONFIG), so every format apt accepts is read the way apt reads it.
# TRITON_DEBIAN_MIRROR, when set, wins and is printed as given. Exit 1 with a message when no
# source qualifies (e.g. an Ubuntu machine): the caller then asks for TRITON_DEBIAN_MIRROR.
set -euo pipefail

if [ -n "${TRITON_DEBIAN_MIRROR:-}" ]; then
  printf '%s\n' "${TRITON_DEBIAN_MIRROR%/}"
  exit 0
fi

# --no-release-info: without it apt lists only sources whose Release file `apt-get update` has
# fetched (none on a fresh image). So the release name alone says whether a source is Debian's.
debian_releases=' buster bullseye bookworm trixie forky duke sid oldoldstable oldstable stable testing unstable '
mirror=$(apt-get indextargets --no-release-info --format '$(TARGET_OF) $(COMPONENT) $(RELEASE) $(REPO_URI)' 2>/dev/null \
  | awk -v releases="$debian_releases" '
      $1 == "deb" && $2 == "main" && index(releases, " " $3 " ") > 0 {
        print $4; exit
      }') || true

if [ -z "$mirror" ]; then
  echo "no Debian 'deb ... main' source in this machine's apt configuration (/etc/apt/sources.list, /etc/apt/sources.list.d/); set TRITON_DEBIAN_MIRROR to a Debian mirror's URL" >&2
  exit 1
fi
printf '%s\n' "${mirror%/}"
