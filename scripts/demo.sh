#!/usr/bin/env bash
# The main job on the embedded default (SQLite in ./data): builds speakerdb, loads the
# bundled sample data and serves the web app on http://127.0.0.1:5001 (PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh runtime
swift build --product speakerdb
bin="$(swift build --show-bin-path)/speakerdb"
"$bin" migrate
"$bin" import SampleData/speakers.json
echo "speakerdb: open http://${HOST:-127.0.0.1}:${PORT:-5001}/ (Ctrl-C to stop)"
exec "$bin" serve
