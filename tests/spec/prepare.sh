#!/usr/bin/env bash
# Converts the WebAssembly spec suite to wast2json output: OUT/NAME.json for the 90 core files,
# OUT/simd/NAME.json for the 56 SIMD files (the interpreter runs them; the aot engine refuses
# SIMD, which WABT 1.0.32's C writer cannot translate).
# Usage: prepare.sh TESTSUITE_DIR OUT
set -euo pipefail
suite=$1
out=$2
if [ ! -d "$suite" ]; then
  echo "prepare.sh: no spec test suite at $suite (it lives in ../shared/testsuite)" >&2
  exit 1
fi
mkdir -p "$out/simd"
for wast in "$suite"/*.wast; do
  name=$(basename "$wast" .wast)
  case $name in simd_*) json=$out/simd/$name.json ;; *) json=$out/$name.json ;; esac
  [ "$json" -nt "$wast" ] || wast2json "$wast" -o "$json"
done
