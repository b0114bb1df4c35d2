#!/usr/bin/env bash
# Developer convenience: make build/dev/tensorc importable (PYTHONPATH=build/dev) with the Python sources
# of src/ linked in, after `cmake --build build/dev`. Installs (pip install .) do not use this.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
pkg="$root/build/dev/tensorc"
mkdir -p "$pkg/dialect"
for f in "$root"/src/*; do
  name=$(basename "$f")
  [ "$name" = dialect ] && continue
  ln -sfn "$f" "$pkg/$name"
done
for f in "$root"/src/dialect/*.py; do ln -sfn "$f" "$pkg/dialect/$(basename "$f")"; done
