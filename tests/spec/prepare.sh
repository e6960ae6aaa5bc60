#!/usr/bin/env bash
# Converts the non-SIMD files of the WebAssembly spec suite to wast2json output in OUT.
# Usage: prepare.sh TESTSUITE_DIR OUT
set -euo pipefail
suite=$1
out=$2
if [ ! -d "$suite" ]; then
  echo "prepare.sh: no spec test suite at $suite (it lives in ../shared/testsuite)" >&2
  exit 1
fi
mkdir -p "$out"
for wast in "$suite"/*.wast; do
  name=$(basename "$wast" .wast)
  case $name in simd_*) continue ;; esac  # WABT 1.0.32's C writer cannot translate SIMD
  [ "$out/$name.json" -nt "$wast" ] || wast2json "$wast" -o "$out/$name.json"
done
