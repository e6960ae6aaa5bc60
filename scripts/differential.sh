#!/usr/bin/env bash
# The engine differential: random bytes become valid random modules through Binaryen's
# `wasm-opt -ttf` (start functions, memory growth, tables, traps, hang limits), and each runs on
# the interpreter and on AOT (build/fuzz/wascc_differential); any difference is a bug in one
# engine. Each module runs in its own process, so a crash is counted, not fatal.
#
#   [JOBS=N] scripts/differential.sh [SECONDS] [BUILD_DIR]
#
# JOBS workers (default: one per core) run side by side, each in BUILD_DIR/differential/wN with
# its own cache; wN/counts holds that worker's "modules divergences crashes" as it goes, so a long
# run can be watched. Diverging and crashing modules are kept in BUILD_DIR/differential/findings.
# The last line is exactly "N modules, N divergences, N crashes"; the exit code is 1 when either
# count is not 0.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${2:-build}
jobs=${JOBS:-$(nproc)}
runner=$PWD/$build/fuzz/wascc_differential
[ -x "$runner" ] || ninja -C "$build" wascc_differential >/dev/null
work=$PWD/$build/differential
mkdir -p "$work/findings"
features=(--mvp-features --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory
          --enable-mutable-globals --enable-multivalue)

# One worker: modules until the time is up, its counts in $dir/counts after each one.
worker() {
  local id=$1 dir=$work/w$1
  local modules=0 divergences=0 crashes=0 status end=$((SECONDS + seconds))
  mkdir -p "$dir"
  # Artifacts of random modules would crowd the user's cache: each worker has its own.
  export XDG_CACHE_HOME=$dir/cache
  while [ $SECONDS -lt $end ]; do
    head -c $((RANDOM % 16384 + 256)) /dev/urandom >"$dir/input.bin"
    # --denan: NaN payloads are nondeterministic by the spec (wasm2c and the interpreter may
    # differ and both be right); the first 2,681-module run found four such "divergences".
    wasm-opt -ttf "$dir/input.bin" "${features[@]}" --denan -o "$dir/module.wasm" 2>/dev/null || continue
    modules=$((modules + 1))
    status=0
    timeout 60 "$runner" "$dir/module.wasm" 2>"$dir/last.log" || status=$?
    case $status in
      0 | 2) ;;
      1)
        divergences=$((divergences + 1))
        cp "$dir/module.wasm" "$work/findings/divergence-w$id-$modules.wasm"
        cat "$dir/last.log" >&2 ;;
      *)
        crashes=$((crashes + 1))
        cp "$dir/module.wasm" "$work/findings/crash-w$id-$modules.wasm"
        # 124: timeout's own status. Counted, as a hang would be, but named: on a starved
        # machine (a 6,753-module run at nice 19 beside a mutation run) two modules took over
        # 60 s and replayed in under a second.
        if [ "$status" -eq 124 ]; then
          echo "worker $id, module $modules: the runner timed out after 60 s" >&2
        else
          echo "worker $id, module $modules: the runner ended with status $status" >&2
        fi
        tail -3 "$dir/last.log" >&2 ;;
    esac
    echo "$modules $divergences $crashes" >"$dir/counts"
    # Each module's artifact is used once.
    if [ $((modules % 50)) -eq 0 ]; then rm -rf "$XDG_CACHE_HOME"; fi
  done
  rm -rf "$XDG_CACHE_HOME"
}

for id in $(seq 1 "$jobs"); do
  rm -f "$work/w$id/counts"
  worker "$id" &
done
wait
modules=0 divergences=0 crashes=0
for id in $(seq 1 "$jobs"); do
  [ -f "$work/w$id/counts" ] || continue
  read -r m d c <"$work/w$id/counts"
  modules=$((modules + m)) divergences=$((divergences + d)) crashes=$((crashes + c))
done
echo "$modules modules, $divergences divergences, $crashes crashes"
[ $divergences -eq 0 ] && [ $crashes -eq 0 ]
