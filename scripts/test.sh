#!/usr/bin/env bash
# Runs the whole test suite from a clean clone: installs what the tests need, builds in
# debug (keeping .build/ between runs) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test
swift build --build-tests
swift test "$@"
