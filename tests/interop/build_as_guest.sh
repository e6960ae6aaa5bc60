#!/usr/bin/env bash
# Builds the AssemblyScript waPC guest with the public SDK from npm into DIR/as_guest.wasm.
# Usage: build_as_guest.sh DIR
set -euo pipefail
dir=$1
here=$(cd "$(dirname "$0")/as-guest" && pwd)
mkdir -p "$dir"
if ! cmp -s "$here/package.json" "$dir/package.json" || [ ! -d "$dir/node_modules/assemblyscript" ]; then
  cp "$here/package.json" "$dir/package.json"
  (cd "$dir" && npm install --silent --no-audit --no-fund --no-package-lock >/dev/null)
fi
mkdir -p "$dir/assembly"
cp "$here/assembly/index.ts" "$dir/assembly/index.ts"
if [ ! -f "$dir/as_guest.wasm" ] || [ "$here/assembly/index.ts" -nt "$dir/as_guest.wasm" ]; then
  (cd "$dir" && npx --no-install asc assembly/index.ts -o as_guest.wasm --use abort=assembly/index/abort --optimize)
fi
