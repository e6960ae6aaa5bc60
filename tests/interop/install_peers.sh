#!/usr/bin/env bash
# Installs the npm peers of the interoperability tests into DIR (the build tree), once.
# Usage: install_peers.sh DIR
set -euo pipefail
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
if ! cmp -s "$here/package.json" "$dir/package.json" || [ ! -d "$dir/node_modules" ]; then
  cp "$here/package.json" "$dir/package.json"
  (cd "$dir" && npm install --silent --no-audit --no-fund --no-package-lock >/dev/null)
fi
