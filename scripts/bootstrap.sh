#!/usr/bin/env bash
# Installs the system packages speakerdb needs, idempotently: nothing is downloaded
# when everything is already there. Usage: scripts/bootstrap.sh [runtime|test]
#   runtime: what building and running speakerdb needs
#   test:    runtime plus what the test suite needs (PostgreSQL server, Chromium)
set -euo pipefail

profile="${1:-runtime}"
packages=(libxml2-dev pkg-config ca-certificates curl python3)
if [ "$profile" = "test" ]; then
  packages+=(postgresql postgresql-contrib chromium chromium-driver)
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

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: Swift 6 is required (https://www.swift.org/install/)" >&2
  exit 1
fi
