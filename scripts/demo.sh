#!/usr/bin/env bash
# The main job on a shipped example: make keys, sign a module, inspect it, verify it.
# Keys and outputs go to a temporary directory; nothing of yours is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
scripts/setup.sh "$build_dir"
bin="$PWD/$build_dir/tools"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

set -x
"$bin/wascap/wascap" keys gen account --json > "$work/account.json"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seed"], end="")' "$work/account.json" > "$work/account.nk"
"$bin/wascap/wascap" sign "$build_dir/share/examples/echo.wasm" -o "$work/echo_s.wasm" \
  --name echo --ver 0.1.0 --rev 1 --issuer "@$work/account.nk" --directory "$work/keys" \
  -c wascc:messaging --keyvalue --tag demo --expires 365
"$bin/wascap/wascap" inspect "$work/echo_s.wasm"
"$bin/wascap/wascap" verify "$work/echo_s.wasm" --require-cap wascc:messaging \
  --issuer "$("$bin/wascap/wascap" keys public "@$work/account.nk")"
