#!/usr/bin/env bash
# Formats every tracked C and C++ file with clang-format (.clang-format at the root);
# `scripts/format.sh --check` lists the files that are not formatted and exits 1 if any.
set -euo pipefail
cd "$(dirname "$0")/.."
format=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files '*.c' '*.cpp' '*.h' | grep -v '^tests/data/')
if [ "${1:-}" = --check ]; then
  unformatted=0
  for file in "${files[@]}"; do
    if ! "$format" --dry-run --Werror "$file" >/dev/null 2>&1; then
      echo "$file"
      unformatted=1
    fi
  done
  exit "$unformatted"
fi
"$format" -i "${files[@]}"
