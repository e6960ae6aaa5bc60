#!/usr/bin/env bash
# The engine differential: random bytes become valid random modules through Binaryen's
# `wasm-opt -ttf` (start functions, memory growth, tables, traps, hang limits), and each runs on
# the interpreter and on AOT (build/fuzz/wascc_differential); any difference is a bug in one
# engine. Each module runs in its own process, so a crash is counted, not fatal.
#
#   scripts/differential.sh [SECONDS] [BUILD_DIR]
#
# Diverging and crashing modules are kept in BUILD_DIR/differential/findings. The last line is
# exactly "N modules, N divergences, N crashes"; the exit code is 1 when either count is not 0.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${2:-build}
runner=$PWD/$build/fuzz/wascc_differential
[ -x "$runner" ] || ninja -C "$build" wascc_differential >/dev/null
work=$PWD/$build/differential
mkdir -p "$work/findings"
# Artifacts of random modules would crowd the user's cache: this run has its own.
export XDG_CACHE_HOME=$work/cache
features=(--mvp-features --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory
          --enable-mutable-globals --enable-multivalue)
modules=0 divergences=0 crashes=0
end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ]; do
  head -c $((RANDOM % 16384 + 256)) /dev/urandom >"$work/input.bin"
  # --denan: NaN payloads are nondeterministic by the spec (wasm2c and the interpreter may differ
  # and both be right); the first 2,681-module run found four such "divergences", all gone with it.
  wasm-opt -ttf "$work/input.bin" "${features[@]}" --denan -o "$work/module.wasm" 2>/dev/null || continue
  modules=$((modules + 1))
  status=0
  timeout 60 "$runner" "$work/module.wasm" 2>"$work/last.log" || status=$?
  case $status in
    0 | 2) ;;
    1)
      divergences=$((divergences + 1))
      cp "$work/module.wasm" "$work/findings/divergence-$modules.wasm"
      cat "$work/last.log" >&2 ;;
    *)
      crashes=$((crashes + 1))
      cp "$work/module.wasm" "$work/findings/crash-$modules.wasm"
      echo "module $modules: the runner ended with status $status" >&2
      tail -3 "$work/last.log" >&2 ;;
  esac
  # Each module's artifact is used once.
  if [ $((modules % 50)) -eq 0 ]; then rm -rf "$XDG_CACHE_HOME"; fi
done
rm -rf "$XDG_CACHE_HOME"
echo "$modules modules, $divergences divergences, $crashes crashes"
[ $divergences -eq 0 ] && [ $crashes -eq 0 ]
