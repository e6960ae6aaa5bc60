#!/usr/bin/env bash
# The sanitizer pass of CI: one clang-14 build with ASan, UBSan and libFuzzer's coverage
# (-DWASCC_FUZZ=ON) runs the unit, CLI and real-world tests, then every fuzz target for a few
# seconds from its seeds. Usage: scripts/sanitize.sh [BUILD_DIR] [FUZZ_SECONDS]
# (scripts/test.sh BUILD -DWASCC_SANITIZE=ON is the same with g++, without the fuzz targets.)
set -euo pipefail
cd "$(dirname "$0")/.."
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}  # WABT's own leak: see the file
build=${1:-build-fuzz}
fuzz_seconds=${2:-5}
scripts/setup.sh --deps-only
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWASCC_FUZZ=ON
fi
ninja -C "$build"
ninja -C "$build" fuzz_targets
# The spec tests and the peers' round trips ran in the plain build; here what parses hostile
# input: unit tests, every CLI's golden cases, the real-world modules on both engines.
(cd "$build" && ctest --output-on-failure -j2 -R '^(unit|cli-.*|spec-prepare|realworld-.*|runner-servers|lattice|lattice-creds)$')
WASCC_FUZZ_BUILD=$PWD/$build scripts/fuzz.sh all "$fuzz_seconds"
