#!/usr/bin/env bash
# The main job on the embedded default (SQLite in ./data): builds speakerdb, serves the
# bundled sample event site on 127.0.0.1:5002, crawls it (plain HTTP, and headless
# Chromium for its JavaScript-rendered pages), extracts and resolves the speakers, and
# serves the web app on http://127.0.0.1:5001 (PORT to change). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh runtime
swift build --product speakerdb
exec "$(swift build --show-bin-path)/speakerdb" demo "$@"
