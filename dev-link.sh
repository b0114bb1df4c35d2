#!/usr/bin/env bash
# Developer convenience: make BUILD/tensorc importable (PYTHONPATH=BUILD) with the Python sources of src/
# linked in, after `cmake --build BUILD` (BUILD defaults to build/dev). Installs (pip install .) do not
# use this.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
build="${1:-$root/build/dev}"
pkg="$build/tensorc"
mkdir -p "$pkg/dialect"
for f in "$root"/src/*; do
  name=$(basename "$f")
  [ "$name" = dialect ] && continue
  ln -sfn "$f" "$pkg/$name"
done
for f in "$root"/src/dialect/*.py; do ln -sfn "$f" "$pkg/dialect/$(basename "$f")"; done
