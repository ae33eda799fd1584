#!/usr/bin/env bash
# `npm run lint:workflows` (part of `npm test`): actionlint over every workflow of this
# repository and every example users copy (.github/workflows/**), with .github/actionlint.yaml
# (the self-hosted runner labels the examples use). Installs the pinned actionlint first.
# shellcheck and pyflakes integration is off: actionlint would use them only when found on
# PATH, and the result must not depend on what else a machine has installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

actionlint=$(bash scripts/actionlint/setup.sh)
mapfile -t workflows < <(find .github/workflows -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
[ "${#workflows[@]}" -gt 0 ] || { echo 'lint:workflows: no workflow files under .github/workflows' >&2; exit 1; }
# Relative paths: the `paths:` globs of .github/actionlint.yaml match against them.
"$actionlint" -config-file .github/actionlint.yaml -shellcheck= -pyflakes= "$@" "${workflows[@]}"
echo "lint:workflows: ${#workflows[@]} workflow files, 0 findings (actionlint $("$actionlint" -version | head -n 1))"
