#!/usr/bin/env bash
# Sets up, builds and runs every test. Usage: scripts/test.sh [BUILD_DIR] [extra cmake args...]
# Without arguments (what the README and .ci/run use): the suite in build/, then the sanitizer
# pass (scripts/sanitize.sh: clang ASan+UBSan build, unit/CLI/real-world tests, a few seconds
# of every fuzz target). With a build directory, that build's suite alone
# (e.g. scripts/test.sh build-asan -DWASCC_SANITIZE=ON for g++'s sanitizers).
set -euo pipefail
cd "$(dirname "$0")/.."
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}  # WABT's own leak: see the file
with_sanitizers=$([ $# -eq 0 ] && echo yes || echo no)
build_dir=${1:-build}
shift || true
scripts/setup.sh "$build_dir" -DWASCC_WERROR=ON "$@"
(cd "$build_dir" && ctest --output-on-failure -j2)
if [ "$with_sanitizers" = yes ]; then
  scripts/sanitize.sh build-sanitize 5
fi
