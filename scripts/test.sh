#!/usr/bin/env bash
# Sets up, builds and runs every test. Usage: scripts/test.sh [BUILD_DIR] [extra cmake args...]
# (e.g. scripts/test.sh build-asan -DWASCC_SANITIZE=ON)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
scripts/setup.sh "$build_dir" -DWASCC_WERROR=ON "$@"
cd "$build_dir"
ctest --output-on-failure -j2
